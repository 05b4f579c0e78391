"""Base classes every domain model builds on, and the two audit logs (ADR 0004).

* :class:`BaseModel` — timestamps and ``created_by``; every change to a subclass is recorded in
  :class:`ObjectChange` automatically (``core.receivers``).
* :class:`ObjectChange` — the automatic audit trail: who, when, before/after values, request id
  (NetBox ``core/models/change_logging.py``).
* :class:`ActivityLog` — semantic workflow events written by services through ``log_action``
  (pretalx ``LogMixin``), e.g. ``certification.certificate.revoke``.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from ocop.core.enums import ChangeAction


class BaseModel(models.Model):
    """Abstract base: creation and update timestamps plus the creating user.

    Subclasses are audited automatically; set ``audit_exclude`` to leave fields (e.g. secrets)
    out of the recorded snapshots.
    """

    created_at = models.DateTimeField(_("created at"), auto_now_add=True, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    audit_exclude: tuple[str, ...] = ()

    class Meta:
        abstract = True


class LookupModel(BaseModel):
    """Abstract base for small classification tables (legal form, ethnicity, document type …)."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ObjectChange(models.Model):
    """One create, update or delete of an audited object (nhật ký thay đổi dữ liệu).

    Written only by ``core.receivers``; never edited. ``prechange_data`` / ``postchange_data``
    hold JSON snapshots of the concrete fields (foreign keys as ids).
    """

    time = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="object_changes",
    )
    user_name = models.CharField(_("user name"), max_length=150, blank=True)
    request_id = models.UUIDField(_("request id"), null=True, blank=True, db_index=True)
    source = models.CharField(_("source"), max_length=20, blank=True)
    action = models.CharField(_("action"), max_length=10, choices=ChangeAction.choices)
    changed_object_type = models.ForeignKey(
        ContentType, verbose_name=_("object type"), on_delete=models.PROTECT, related_name="+"
    )
    changed_object_id = models.CharField(_("object id"), max_length=64)
    changed_object = GenericForeignKey("changed_object_type", "changed_object_id")
    object_repr = models.CharField(_("object"), max_length=300)
    prechange_data = models.JSONField(_("before"), null=True, blank=True)
    postchange_data = models.JSONField(_("after"), null=True, blank=True)

    class Meta:
        ordering = ["-time", "-pk"]
        verbose_name = _("object change")
        verbose_name_plural = _("object changes")
        indexes = [models.Index(fields=["changed_object_type", "changed_object_id"], name="core_change_object_idx")]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.object_repr}"

    @property
    def diff(self) -> list[tuple[str, object, object]]:
        """Fields whose value differs between the two snapshots, as (field, before, after)."""
        before = self.prechange_data or {}
        after = self.postchange_data or {}
        keys = sorted(set(before) | set(after))
        return [(key, before.get(key), after.get(key)) for key in keys if before.get(key) != after.get(key)]


class ActivityLog(models.Model):
    """A semantic workflow event (sự kiện nghiệp vụ) written by a service via ``log_action``.

    ``action_type`` follows ``<app>.<model>.<verb>``, e.g. ``cycles.application.forward``.
    """

    timestamp = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activity_logs",
    )
    actor_name = models.CharField(_("actor name"), max_length=150, blank=True)
    request_id = models.UUIDField(_("request id"), null=True, blank=True)
    action_type = models.CharField(_("action"), max_length=100, db_index=True)
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("object type"), on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.CharField(_("object id"), max_length=64)
    content_object = GenericForeignKey("content_type", "object_id")
    object_repr = models.CharField(_("object"), max_length=300)
    data = models.JSONField(_("data"), default=dict, blank=True)

    class Meta:
        ordering = ["-timestamp", "-pk"]
        verbose_name = _("activity log entry")
        verbose_name_plural = _("activity log entries")
        indexes = [models.Index(fields=["content_type", "object_id"], name="core_activity_object_idx")]

    def __str__(self) -> str:
        return f"{self.action_type} {self.object_repr}"
