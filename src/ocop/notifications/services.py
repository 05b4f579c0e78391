"""Write services of notifications: tell the next actor, in the application, by e-mail and by SMS.

The in-app rows are written in the caller's transaction. E-mail and SMS go out from a background
task queued with ``on_commit``, so a workflow step that rolls back sends nothing, and a slow or
broken gateway never holds up a request or undoes it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from functools import partial

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import send_mail
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext

from ocop.core.context import current_user
from ocop.core.exceptions import ApplicationError
from ocop.notifications.backends import DeliveryError, MessageBackend, get_sms_backend
from ocop.notifications.enums import Channel, DeliveryStatus
from ocop.notifications.models import Notification

logger = logging.getLogger(__name__)

DEFAULT_CHANNELS = (Channel.IN_APP, Channel.EMAIL, Channel.SMS)


def _is_site_relative(url: str) -> bool:
    return url.startswith("/") and not url.startswith("//")


def notify(
    recipients: Iterable,
    *,
    event: str,
    title: str,
    body: str,
    url: str = "",
    obj: models.Model | None = None,
    channels: Iterable[str] = DEFAULT_CHANNELS,
) -> list[Notification]:
    """Notify each recipient of ``event``; returns the notifications created.

    * Recipients are de-duplicated (first occurrence kept); inactive users get nothing.
    * One in-app row per recipient is always written, in bulk, inside the caller's transaction
      (it is also the record of the other channels). ``channels`` selects which of ``email`` and
      ``sms`` are sent as well; they start as ``pending`` in ``delivery``.
    * After commit, ``task_deliver_notifications`` delivers the pending channels
      (:func:`deliver_notification`). Nothing is queued when no outbound channel is asked for.
    * ``title`` and ``body`` are rendered in the site language (``LANGUAGE_CODE``), not the
      actor's: pass lazy translations or text already in Vietnamese. ``url`` must be a path on this
      site (``/…``); ``obj`` is stored as the notification's object.

    Not audited row by row (bulk writes): the caller logs the workflow event.
    """
    channels = tuple(channels)
    unknown = sorted(set(channels) - set(Channel.values))
    if unknown:
        raise ValueError(f"Unknown notification channels: {', '.join(unknown)}")
    if url and not _is_site_relative(url):
        raise ValueError(f"Notification links must be site-relative paths, not {url!r}")
    outbound = [channel for channel in Channel.outbound if channel in channels]

    users, seen = [], set()
    for user in recipients:
        if user is None or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        users.append(user)
    if not users:
        return []

    with translation.override(settings.LANGUAGE_CODE):
        title_text = Truncator(" ".join(str(title).split())).chars(200)
        body_text = str(body).strip()
    content_type = ContentType.objects.get_for_model(obj) if obj is not None else None
    object_id = str(obj.pk) if obj is not None else ""
    actor = current_user()
    rows = [
        Notification(
            recipient=user,
            event=event,
            title=title_text,
            body=body_text,
            url=url,
            content_type=content_type,
            object_id=object_id,
            delivery=dict.fromkeys(outbound, DeliveryStatus.PENDING),
            created_by=actor,
        )
        for user in users
    ]
    with transaction.atomic():
        created = Notification.objects.bulk_create(rows)
        if outbound:
            transaction.on_commit(partial(_queue_delivery, [row.pk for row in created]), robust=True)
    return created


def _queue_delivery(notification_ids: list[int]) -> None:
    from ocop.notifications.tasks import task_deliver_notifications  # noqa: PLC0415 - tasks import services

    task_deliver_notifications(notification_ids)


# ---------------------------------------------------------------------------------------------
# Delivery (runs in the worker)
# ---------------------------------------------------------------------------------------------


def absolute_link(notification: Notification) -> str:
    """The notification's "open" page on ``OCOP_SITE_URL``: marks it read, then goes to ``url``."""
    return settings.OCOP_SITE_URL.rstrip("/") + notification.get_absolute_url()


def _failure(exc: Exception) -> str:
    return DeliveryStatus.failed(str(exc) if isinstance(exc, DeliveryError) else f"{type(exc).__name__}: {exc}")


def _email_text(notification: Notification, link: str) -> str:
    lines = [gettext("Dear %(name)s,") % {"name": notification.recipient.display_name}, ""]
    lines += [notification.body or notification.title, ""]
    lines += [gettext("Open it here: %(url)s") % {"url": link}, "", "-- "]
    lines.append(
        gettext("This message was sent automatically by %(site)s. Please do not reply.")
        % {"site": settings.OCOP_SITE_NAME}
    )
    return "\n".join(lines) + "\n"


def _send_email(notification: Notification, link: str) -> str:
    address = notification.recipient.email.strip()
    if not address:
        return DeliveryStatus.SKIPPED_NO_ADDRESS
    try:
        send_mail(
            f"[OCOP] {notification.title}",
            _email_text(notification, link),
            None,
            [address],
            fail_silently=False,
        )
    except Exception as exc:
        logger.exception("E-mail of notification %s failed", notification.pk)
        return _failure(exc)
    return DeliveryStatus.SENT


def _send_sms(notification: Notification, link: str, backend: MessageBackend | Exception) -> str:
    if isinstance(backend, Exception):  # misconfigured OCOP_SMS_BACKEND: the other channels still go
        return _failure(backend)
    if not backend.enabled:
        return DeliveryStatus.SKIPPED_NO_BACKEND
    phone = notification.recipient.phone.strip()
    if not phone:
        return DeliveryStatus.SKIPPED_NO_PHONE
    try:
        backend.send(phone=phone, text=f"OCOP: {notification.title} {link}")
    except Exception as exc:
        if not isinstance(exc, DeliveryError):
            logger.exception("SMS of notification %s failed", notification.pk)
        return _failure(exc)
    return DeliveryStatus.SENT


def _load_sms_backend() -> MessageBackend | Exception:
    try:
        return get_sms_backend()
    except Exception as exc:
        logger.exception("Cannot load the SMS backend")
        return exc


def deliver_notification(notification_ids: Iterable[int]) -> None:
    """Send the pending e-mail and SMS of these notifications and record each channel's outcome.

    Each channel is independent: a failure is recorded as ``failed: <reason>`` and the next
    channel and notification still go; nothing is raised, and the in-app row (committed before
    this runs) stays. Only ``pending`` channels are handled, so a repeated task sends nothing
    twice. E-mail goes to ``recipient.email`` with Django's ``send_mail``; SMS to
    ``recipient.phone`` through ``OCOP_SMS_BACKEND``. Text is in the site language.
    """
    notifications = Notification.objects.filter(pk__in=list(notification_ids)).select_related("recipient")
    backend: MessageBackend | Exception | None = None
    with translation.override(settings.LANGUAGE_CODE):
        for notification in notifications.order_by("pk"):
            delivery = dict(notification.delivery)
            pending = [channel for channel, status in delivery.items() if status == DeliveryStatus.PENDING]
            if not pending:
                continue
            link = absolute_link(notification)
            for channel in pending:
                if not notification.recipient.is_active:
                    delivery[channel] = DeliveryStatus.SKIPPED_INACTIVE
                elif channel == Channel.EMAIL:
                    delivery[channel] = _send_email(notification, link)
                elif channel == Channel.SMS:
                    backend = backend if backend is not None else _load_sms_backend()
                    delivery[channel] = _send_sms(notification, link, backend)
            Notification.objects.filter(pk=notification.pk).update(delivery=delivery, updated_at=timezone.now())


# ---------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------


def mark_read(notification: Notification, *, user) -> Notification:
    """Mark the user's own notification read; the first reading time is kept."""
    if notification.recipient_id != user.pk:
        raise ApplicationError(gettext("This notification is addressed to someone else."))
    if notification.read_at is None:
        now = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now, updated_at=now)
        notification.read_at = now
    return notification


def mark_all_read(user) -> int:
    """Mark every unread notification of the user read; returns how many changed."""
    now = timezone.now()
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=now, updated_at=now)
