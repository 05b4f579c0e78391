"""Read selectors of the core app."""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet

from ocop.core.models import ActivityLog, ObjectChange


def changes_for_object(obj: models.Model) -> QuerySet[ObjectChange]:
    """Audit rows of one object, newest first, with the acting user loaded."""
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    return ObjectChange.objects.filter(changed_object_type=content_type, changed_object_id=str(obj.pk)).select_related(
        "user"
    )


def activities_for_object(obj: models.Model) -> QuerySet[ActivityLog]:
    """Semantic events of one object, newest first."""
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    return ActivityLog.objects.filter(content_type=content_type, object_id=str(obj.pk)).select_related("actor")
