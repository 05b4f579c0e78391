"""Write services of the core app."""

from django.contrib.contenttypes.models import ContentType
from django.db import models

from ocop.core.context import current_context, current_user
from ocop.core.models import ActivityLog


def log_action(obj: models.Model, action_type: str, *, actor=None, data: dict | None = None) -> ActivityLog:
    """Record a semantic workflow event about ``obj`` (shown on its History tab).

    ``action_type`` is ``<app>.<model>.<verb>``. The actor defaults to the user of the current
    change context; the request id is taken from it too.
    """
    context = current_context()
    actor = actor if actor is not None else current_user()
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return ActivityLog.objects.create(
        actor=actor,
        actor_name=actor.get_username() if actor else "",
        request_id=context.request_id if context else None,
        action_type=action_type,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        data=data or {},
    )
