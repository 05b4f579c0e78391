"""notify → in-app rows now, e-mail and SMS after commit (huey runs immediately in tests)."""

import datetime as dt
import smtplib

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.test import override_settings
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from ocop.core.context import change_context
from ocop.core.exceptions import ApplicationError
from ocop.core.models import ObjectChange
from ocop.notifications.backends import DeliveryError, MessageBackend, TextMessage
from ocop.notifications.models import Notification
from ocop.notifications.services import deliver_notification, mark_all_read, mark_read, notify
from ocop.notifications.tasks import task_deliver_notifications
from tests.factories.accounts import UserFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

SITE = "https://ocop.example.gov.vn"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.OCOP_SITE_URL = SITE + "/"  # a trailing slash in the setting must not double up


@pytest.fixture
def officer():
    return UserFactory(username="xa_yenthe", email="xa.yenthe@example.gov.vn", phone="0912 345 678")


@pytest.fixture
def chair():
    return UserFactory(username="tinh_bacninh", email="tinh@example.gov.vn", phone="")


def _notify(recipients, **kwargs):
    values = {
        "event": "dossiers.dossier.submit",
        "title": "Hồ sơ mới cần tiếp nhận",
        "body": "HTX Yên Thế đã nộp hồ sơ đánh giá sản phẩm Gà đồi.",
        "url": "/dossiers/7/",
    }
    return notify(recipients, **(values | kwargs))


def _open_link(notification) -> str:
    return f"{SITE}/notifications/{notification.pk}/open/"


class FailingEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise smtplib.SMTPException("mail server down")


class RefusingBackend(MessageBackend):
    def send(self, *, phone, text):
        raise DeliveryError("gateway refused the number")


class CrashingBackend(MessageBackend):
    def send(self, *, phone, text):
        raise RuntimeError("boom")


# ---------------------------------------------------------------------------------------------
# notify: the in-app rows
# ---------------------------------------------------------------------------------------------


def test_notify_creates_one_unread_row_per_recipient(officer, chair):
    target = UserFactory(username="ho_san_xuat")
    with change_context(chair):
        created = _notify([officer, chair], obj=target)

    rows = list(Notification.objects.order_by("pk"))
    assert rows == created
    assert [(row.recipient, row.read_at, row.created_by) for row in rows] == [
        (officer, None, chair),
        (chair, None, chair),
    ]
    first = rows[0]
    assert (first.event, first.title, first.body, first.url) == (
        "dossiers.dossier.submit",
        "Hồ sơ mới cần tiếp nhận",
        "HTX Yên Thế đã nộp hồ sơ đánh giá sản phẩm Gà đồi.",
        "/dossiers/7/",
    )
    assert (first.content_type, first.object_id, first.content_object) == (
        ContentType.objects.get_for_model(target),
        str(target.pk),
        target,
    )
    assert first.delivery == {"email": "pending", "sms": "pending"}


def test_notify_without_object_or_link(officer):
    [row] = _notify([officer], url="")
    assert (row.content_type, row.object_id, row.url) == (None, "", "")


def test_notify_deduplicates_recipients_keeping_the_first_occurrence(officer, chair):
    created = _notify([officer, chair, officer, None, chair])
    assert [row.recipient for row in created] == [officer, chair]
    assert Notification.objects.count() == 2


def test_notify_accepts_a_queryset(officer, chair):
    created = _notify(type(officer).objects.filter(pk__in=[officer.pk, chair.pk]).order_by("username"))
    assert [row.recipient for row in created] == [chair, officer]


def test_notify_skips_inactive_users(officer, chair):
    chair.is_active = False
    chair.save()
    created = _notify([officer, chair])
    assert [row.recipient for row in created] == [officer]


def test_notify_with_nobody_to_tell_writes_and_queues_nothing(chair, django_capture_on_commit_callbacks):
    chair.is_active = False
    chair.save()
    with django_capture_on_commit_callbacks() as callbacks:
        assert _notify([chair]) == []
        assert _notify([]) == []
    assert (Notification.objects.count(), callbacks) == (0, [])


def test_notify_keeps_the_title_on_one_line_and_within_200_characters(officer):
    [row] = _notify([officer], title="Hồ sơ\n  mới " + "x" * 300)
    assert len(row.title) == 200
    assert row.title.startswith("Hồ sơ mới xxx")
    assert row.title.endswith("…")


def test_notify_renders_lazy_text_in_the_site_language(officer):
    with translation.override("en"):
        [row] = _notify([officer], title=gettext_lazy("Sign in"), body=gettext_lazy("Sign in"))
    assert (row.title, row.body) == ("Đăng nhập", "Đăng nhập")


@pytest.mark.parametrize("url", ["https://evil.example/", "//evil.example/", "dossiers/7/"])
def test_notify_refuses_links_outside_the_site(officer, url):
    with pytest.raises(ValueError, match="site-relative"):
        _notify([officer], url=url)
    assert Notification.objects.count() == 0


def test_notify_refuses_unknown_channels(officer):
    with pytest.raises(ValueError, match="Unknown notification channels: fax, zalo"):
        _notify([officer], channels=("in_app", "zalo", "fax"))


def test_notifications_are_not_audited_row_by_row(officer):
    [row] = _notify([officer])
    mark_read(row, user=officer)
    mark_all_read(officer)
    assert not ObjectChange.objects.filter(changed_object_type=ContentType.objects.get_for_model(Notification)).exists()


# ---------------------------------------------------------------------------------------------
# notify: delivery after commit
# ---------------------------------------------------------------------------------------------


def test_delivery_waits_for_the_commit(officer, django_capture_on_commit_callbacks, sms_outbox):
    with django_capture_on_commit_callbacks() as callbacks:
        [row] = _notify([officer])
    assert (len(callbacks), mail.outbox, sms_outbox) == (1, [], [])

    callbacks[0]()
    row.refresh_from_db()
    assert row.delivery == {"email": "sent", "sms": "sent"}
    assert len(mail.outbox) == 1
    assert len(sms_outbox) == 1


def test_nothing_is_sent_when_the_workflow_rolls_back(officer, django_capture_on_commit_callbacks, sms_outbox):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        _notify([officer])
        raise RuntimeError("the workflow step failed")
    assert (callbacks, mail.outbox, sms_outbox, Notification.objects.count()) == ([], [], [], 0)


def test_email_goes_to_each_recipient_with_the_absolute_link(officer, chair, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        rows = _notify([officer, chair])

    assert [(message.to, message.subject) for message in mail.outbox] == [
        (["xa.yenthe@example.gov.vn"], "[OCOP] Hồ sơ mới cần tiếp nhận"),
        (["tinh@example.gov.vn"], "[OCOP] Hồ sơ mới cần tiếp nhận"),
    ]
    body = mail.outbox[0].body
    assert officer.display_name in body.splitlines()[0]
    assert "HTX Yên Thế đã nộp hồ sơ đánh giá sản phẩm Gà đồi." in body.splitlines()
    assert _open_link(rows[0]) in body
    assert mail.outbox[0].content_subtype == "plain"
    assert _open_link(rows[1]) in mail.outbox[1].body


def test_email_without_body_repeats_the_title(officer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _notify([officer], body="")
    assert "Hồ sơ mới cần tiếp nhận" in mail.outbox[0].body.splitlines()


def test_sms_goes_only_to_users_with_a_phone(officer, chair, django_capture_on_commit_callbacks, sms_outbox):
    with django_capture_on_commit_callbacks(execute=True):
        rows = _notify([officer, chair])

    assert sms_outbox == [TextMessage("0912 345 678", f"OCOP: Hồ sơ mới cần tiếp nhận {_open_link(rows[0])}")]
    assert [row.delivery for row in Notification.objects.order_by("pk")] == [
        {"email": "sent", "sms": "sent"},
        {"email": "sent", "sms": "skipped: no phone"},
    ]


def test_email_is_skipped_for_users_without_an_address(django_capture_on_commit_callbacks):
    nobody = UserFactory(email="", phone="0988000111")
    with django_capture_on_commit_callbacks(execute=True):
        [row] = _notify([nobody])
    row.refresh_from_db()
    assert (row.delivery, mail.outbox) == ({"email": "skipped: no address", "sms": "sent"}, [])


def test_sms_is_skipped_while_no_backend_is_configured(officer, settings, django_capture_on_commit_callbacks):
    settings.OCOP_SMS_BACKEND = "ocop.notifications.backends.NullBackend"
    with django_capture_on_commit_callbacks(execute=True):
        [row] = _notify([officer])
    row.refresh_from_db()
    assert row.delivery == {"email": "sent", "sms": "skipped: no SMS backend"}


@pytest.mark.parametrize(
    ("channels", "delivery", "emails", "texts"),
    [
        (("in_app", "email"), {"email": "sent"}, 1, 0),
        (("sms",), {"sms": "sent"}, 0, 1),
        (("in_app",), {}, 0, 0),
    ],
)
def test_channels_choose_what_goes_out(
    officer, channels, delivery, emails, texts, django_capture_on_commit_callbacks, sms_outbox
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        [row] = _notify([officer], channels=channels)
    row.refresh_from_db()
    assert (row.delivery, len(mail.outbox), len(sms_outbox)) == (delivery, emails, texts)
    assert len(callbacks) == (1 if delivery else 0)


# ---------------------------------------------------------------------------------------------
# Delivery failures: recorded per channel, nothing else lost
# ---------------------------------------------------------------------------------------------


@override_settings(EMAIL_BACKEND="tests.notifications.test_services.FailingEmailBackend")
def test_email_failure_is_recorded_and_sms_still_goes(officer, django_capture_on_commit_callbacks, sms_outbox):
    with django_capture_on_commit_callbacks(execute=True):
        [row] = _notify([officer])
    row.refresh_from_db()
    assert row.delivery == {"email": "failed: SMTPException: mail server down", "sms": "sent"}
    assert len(sms_outbox) == 1
    assert row.read_at is None  # the in-app notification is still there, unread


@pytest.mark.parametrize(
    ("backend", "status"),
    [
        ("tests.notifications.test_services.RefusingBackend", "failed: gateway refused the number"),
        ("tests.notifications.test_services.CrashingBackend", "failed: RuntimeError: boom"),
        (
            "ocop.notifications.backends.Missing",
            "failed: ImproperlyConfigured: OCOP_SMS_BACKEND 'ocop.notifications.backends.Missing' cannot be "
            'imported: Module "ocop.notifications.backends" does not define a "Missing" attribute/class',
        ),
    ],
)
def test_sms_failure_is_recorded_and_email_still_goes(
    officer, chair, settings, backend, status, django_capture_on_commit_callbacks
):
    chair.phone = "0977000111"
    chair.save()
    settings.OCOP_SMS_BACKEND = backend
    with django_capture_on_commit_callbacks(execute=True):
        _notify([officer, chair])
    assert [row.delivery for row in Notification.objects.order_by("pk")] == [
        {"email": "sent", "sms": status},
        {"email": "sent", "sms": status},
    ]
    assert len(mail.outbox) == 2


def test_a_long_failure_reason_is_cut(officer, settings, django_capture_on_commit_callbacks):
    settings.OCOP_SMS_BACKEND = "tests.notifications.test_services.LongRefusalBackend"
    with django_capture_on_commit_callbacks(execute=True):
        [row] = _notify([officer], channels=["sms"])
    row.refresh_from_db()
    assert row.delivery["sms"] == "failed: " + "x" * 292


class LongRefusalBackend(MessageBackend):
    def send(self, *, phone, text):
        raise DeliveryError("x" * 1000)


# ---------------------------------------------------------------------------------------------
# deliver_notification
# ---------------------------------------------------------------------------------------------


def test_delivering_again_sends_nothing_twice(officer, django_capture_on_commit_callbacks, sms_outbox):
    with django_capture_on_commit_callbacks(execute=True):
        [row] = _notify([officer])
    deliver_notification([row.pk])
    task_deliver_notifications([row.pk])
    assert (len(mail.outbox), len(sms_outbox)) == (1, 1)


def test_delivery_skips_users_deactivated_in_the_meantime(officer, django_capture_on_commit_callbacks, sms_outbox):
    with django_capture_on_commit_callbacks() as callbacks:
        [row] = _notify([officer])
    officer.is_active = False
    officer.save()
    callbacks[0]()
    row.refresh_from_db()
    assert row.delivery == {"email": "skipped: inactive user", "sms": "skipped: inactive user"}
    assert (mail.outbox, sms_outbox) == ([], [])


def test_delivery_of_unknown_ids_does_nothing():
    deliver_notification([999_999])
    assert mail.outbox == []


def test_delivery_task_has_an_explicit_name():
    assert task_deliver_notifications.name == "ocop.notifications.deliver_notifications"


# ---------------------------------------------------------------------------------------------
# mark_read / mark_all_read
# ---------------------------------------------------------------------------------------------


def test_mark_read_sets_the_time_once(officer):
    [row] = _notify([officer], channels=["in_app"])
    first = mark_read(row, user=officer).read_at
    assert first is not None
    assert Notification.objects.get(pk=row.pk).read_at == first

    again = Notification.objects.get(pk=row.pk)
    mark_read(again, user=officer)
    assert Notification.objects.get(pk=row.pk).read_at == first


def test_mark_read_refuses_someone_elses_notification(officer, chair, english):
    [row] = _notify([officer], channels=["in_app"])
    with pytest.raises(ApplicationError) as refused:
        mark_read(row, user=chair)
    assert refused.value.message == "This notification is addressed to someone else."
    assert Notification.objects.get(pk=row.pk).read_at is None


def test_mark_all_read_marks_only_the_users_unread_notifications(officer, chair):
    earlier = timezone.now() - dt.timedelta(days=1)
    _notify([officer, chair], channels=["in_app"])
    _notify([officer], channels=["in_app"])
    already = _notify([officer], channels=["in_app"])[0]
    Notification.objects.filter(pk=already.pk).update(read_at=earlier)

    assert mark_all_read(officer) == 2
    assert mark_all_read(officer) == 0
    assert Notification.objects.get(pk=already.pk).read_at == earlier
    assert not Notification.objects.filter(recipient=officer, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=chair, read_at__isnull=True).count() == 1
