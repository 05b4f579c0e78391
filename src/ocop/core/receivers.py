"""Automatic audit trail: every save/delete of a ``BaseModel`` subclass (and of models that opt in
with ``audited = True``, such as the user model) writes an :class:`ObjectChange` in the same transaction.

Bulk operations (``bulk_create``, ``QuerySet.update``) send no signals and are therefore not
audited: they are reserved for reference-data loaders, which log one ``ActivityLog`` instead.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from ocop.core.context import current_context, current_user
from ocop.core.enums import ChangeAction
from ocop.core.models import ActivityLog, BaseModel, ObjectChange
from ocop.core.serialization import REDACTED_CHANGED, secret_values, snapshot

_SKIP = (ObjectChange, ActivityLog)


def is_audited(sender) -> bool:
    if not isinstance(sender, type) or issubclass(sender, _SKIP):
        return False
    return issubclass(sender, BaseModel) or getattr(sender, "audited", False)


def _write_change(instance, action: str, before: dict | None, after: dict | None) -> None:
    context = current_context()
    user = current_user()
    ObjectChange.objects.create(
        user=user,
        user_name=user.get_username() if user else "",
        request_id=context.request_id if context else None,
        source=context.source if context else "system",
        action=action,
        changed_object_type=ContentType.objects.get_for_model(instance, for_concrete_model=False),
        changed_object_id=str(instance.pk),
        object_repr=str(instance)[:300],
        prechange_data=before,
        postchange_data=after,
    )


@receiver(pre_save, dispatch_uid="ocop_audit_pre_save")
def capture_prechange(sender, instance, raw=False, **kwargs):
    if raw or not is_audited(sender):
        return
    instance._audit_before = None
    instance._audit_secrets = None
    if instance.pk is not None and not instance._state.adding:
        previous = sender._base_manager.filter(pk=instance.pk).first()
        if previous is not None:
            instance._audit_before = snapshot(previous)
            instance._audit_secrets = secret_values(previous)
    if isinstance(instance, BaseModel) and instance._state.adding and instance.created_by_id is None:
        instance.created_by = current_user()


@receiver(post_save, dispatch_uid="ocop_audit_post_save")
def record_save(sender, instance, created, raw=False, update_fields=None, **kwargs):
    if raw or not is_audited(sender):
        return
    before = getattr(instance, "_audit_before", None)
    after = snapshot(instance)
    # Redacted fields read "***" on both sides: mark a changed secret so the change stays visible.
    secrets_before = getattr(instance, "_audit_secrets", None) or {}
    for attname, value in secret_values(instance).items():
        if attname in secrets_before and secrets_before[attname] != value:
            after[attname] = REDACTED_CHANGED
    if not created:
        ignored = set(getattr(sender, "audit_ignore_changes", ())) | {"updated_at"}
        if before is not None and {k: v for k, v in before.items() if k not in ignored} == {
            k: v for k, v in after.items() if k not in ignored
        }:
            return
    _write_change(instance, ChangeAction.CREATE if created else ChangeAction.UPDATE, before, after)


@receiver(pre_delete, dispatch_uid="ocop_audit_pre_delete")
def capture_predelete(sender, instance, **kwargs):
    if is_audited(sender):
        instance._audit_before = snapshot(instance)
        instance._audit_pk = instance.pk


@receiver(post_delete, dispatch_uid="ocop_audit_post_delete")
def record_delete(sender, instance, **kwargs):
    if not is_audited(sender):
        return
    if instance.pk is None:
        instance.pk = getattr(instance, "_audit_pk", None)
    _write_change(instance, ChangeAction.DELETE, getattr(instance, "_audit_before", None), None)
