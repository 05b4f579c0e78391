"""Write services of the producers app."""

from django.db import transaction
from django.utils.translation import gettext

from ocop.core.exceptions import ApplicationError
from ocop.core.services import log_action
from ocop.core.text import fold_vi
from ocop.geography.models import AdminUnit
from ocop.geography.selectors import current_province_for, current_units_for
from ocop.producers.models import Producer


def _apply_scope(producer: Producer) -> None:
    """Derive today's province and commune from the recorded unit (which may be pre-2025)."""
    unit: AdminUnit = producer.address_unit
    province = current_province_for(unit)
    if province is None:
        raise ApplicationError(gettext("The current province of the chosen unit cannot be determined."))
    producer.province = province
    communes = [u for u in current_units_for(unit) if u.level == "commune"]
    producer.commune = communes[0] if len(communes) == 1 else None


@transaction.atomic
def create_producer(*, name: str, legal_form: str, address_unit: AdminUnit, actor=None, **fields) -> Producer:
    """Create a producer; scope fields and the search name are derived here.

    Side effects: audit row (automatic) and a ``producers.producer.create`` activity event.
    """
    producer = Producer(name=name.strip(), legal_form=legal_form, address_unit=address_unit, **fields)
    producer.name_folded = fold_vi(producer.name)
    _apply_scope(producer)
    producer.full_clean()
    producer.save()
    log_action(producer, "producers.producer.create", actor=actor)
    return producer


@transaction.atomic
def update_producer(producer: Producer, *, actor=None, **fields) -> Producer:
    """Update a producer's fields, re-deriving scope and search name.

    Side effects: audit row (automatic) and a ``producers.producer.update`` activity event.
    """
    for field, value in fields.items():
        setattr(producer, field, value)
    producer.name_folded = fold_vi(producer.name)
    _apply_scope(producer)
    producer.full_clean()
    producer.save()
    log_action(producer, "producers.producer.update", actor=actor, data={"fields": sorted(fields)})
    return producer
