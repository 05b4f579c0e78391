"""JSON-safe snapshots of model instances for the audit log."""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

REDACTED = "***"
#: Written instead of ``REDACTED`` in the "after" snapshot when the secret itself changed.
REDACTED_CHANGED = "*** (changed)"


def snapshot(instance: models.Model) -> dict:
    """Concrete field values keyed by attribute name (``producer_id`` for a foreign key).

    Fields listed in the model's ``audit_exclude`` are replaced by ``"***"`` so that a change is
    still visible without storing the secret (e.g. a password hash): the audit receiver writes
    ``REDACTED_CHANGED`` into the "after" snapshot when the raw value changed.
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


def secret_values(instance: models.Model) -> dict:
    """The raw values of the ``audit_exclude`` fields, compared in memory only (never stored)."""
    excluded = set(getattr(instance, "audit_exclude", ()))
    return {f.attname: f.value_from_object(instance) for f in instance._meta.concrete_fields if f.name in excluded}
