"""JSON-safe snapshots of model instances for the audit log."""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

REDACTED = "***"


def snapshot(instance: models.Model) -> dict:
    """Concrete field values keyed by attribute name (``producer_id`` for a foreign key).

    Fields listed in the model's ``audit_exclude`` are replaced by ``"***"`` so that a change is
    still visible without storing the secret (e.g. a password hash).
    """
    excluded = set(getattr(instance, "audit_exclude", ()))
    data = {}
    for field in instance._meta.concrete_fields:
        if field.name in excluded:
            data[field.attname] = REDACTED
            continue
        value = field.value_from_object(instance)
        if isinstance(field, models.FileField):
            value = value.name if value else ""
        data[field.attname] = value
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))
