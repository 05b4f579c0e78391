"""In-app notifications (thông báo) and the record of their e-mail and SMS delivery."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ocop.core.models import BaseModel


class Notification(BaseModel):
    """One message to one user about a workflow event (thông báo), e.g. "a dossier was submitted".

    Legal basis: none of its own; it tells the next actor of a procedure that it is their turn
    (26/2026/QĐ-TTg sets the deadlines the actor then has to meet).

    Written only by ``notifications.services``: ``notify`` creates the rows in bulk and the
    delivery task fills ``delivery``; ``mark_read``/``mark_all_read`` set ``read_at``. These
    writes are bulk operations on purpose, so a personal inbox does not flood the audit log; the
    event that caused a notification is logged by the service that called ``notify``.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    event = models.CharField(
        _("event"), max_length=100, help_text=_("What happened, as <app>.<model>.<verb>, e.g. dossiers.dossier.submit.")
    )
    title = models.CharField(pgettext_lazy("notification", "title"), max_length=200)
    body = models.TextField(_("content"), blank=True)
    url = models.CharField(
        _("link"), max_length=500, blank=True, help_text=_("A link inside this site, starting with “/”.")
    )
    content_type = models.ForeignKey(
        ContentType,
        verbose_name=_("object type"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    content_object = GenericForeignKey("content_type", "object_id")
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    delivery = models.JSONField(
        _("delivery"),
        default=dict,
        blank=True,
        help_text=_("Per channel: pending, sent, skipped or failed, with the reason. Written by the delivery task."),
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notif_recipient_read_idx"),
            models.Index(fields=["content_type", "object_id"], name="notif_object_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(url="") | (Q(url__startswith="/") & ~Q(url__startswith="//")),
                name="notif_url_site_relative",
                violation_error_message=_("The link must be a path inside this site, starting with “/”."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        """Opening marks the notification read, then redirects to ``url``."""
        return reverse("notifications:notification_open", kwargs={"pk": self.pk})

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
