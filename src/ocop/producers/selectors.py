"""Read selectors of the producers app."""

import datetime as dt

from django.db.models import DurationField, Exists, ExpressionWrapper, F, IntegerField, OuterRef, Q, QuerySet, Value
from django.utils import timezone

from ocop.accounts.enums import Capability
from ocop.accounts.selectors import scope_q
from ocop.core.text import fold_vi, search_tokens
from ocop.producers.models import EnterpriseSizeThreshold, Ethnicity, FinancialYear, Producer, ProducerDocument
from ocop.producers.sizing import SizeThreshold


def producers_for_user(user, *, capability: str = Capability.VIEW_REGISTRY) -> QuerySet[Producer]:
    """Producers inside the user's scope for ``capability`` (a producer account sees only its own)."""
    return Producer.objects.filter(scope_q(user, capability, producer_field="pk")).select_related(
        "province", "commune", "address_unit", "address_unit__province"
    )


def search_producers(queryset: QuerySet[Producer], query: str | None) -> QuerySet[Producer]:
    """Diacritics-insensitive AND search on the name and exact match on the tax code."""
    for token in search_tokens(query):
        queryset = queryset.filter(Q(name_folded__contains=token) | Q(tax_code=token))
    return queryset


def duplicate_producers(
    *, tax_code: str, registration_number: str, exclude_pk: int | None = None
) -> dict[str, Producer]:
    """Existing producers that already hold this tax code / registration number, by field."""
    found: dict[str, Producer] = {}
    others = Producer.objects.exclude(pk=exclude_pk) if exclude_pk else Producer.objects.all()
    if tax_code:
        match = others.filter(tax_code=tax_code).first()
        if match:
            found["tax_code"] = match
    if registration_number:
        match = others.filter(registration_number__iexact=registration_number).first()
        if match:
            found["registration_number"] = match
    return found


def latest_financial_year(producer: Producer) -> FinancialYear | None:
    return producer.financial_years.order_by("-year").first()


def size_thresholds_on(day: dt.date) -> list[SizeThreshold]:
    """The SME size table in force on ``day`` as pure-function input (Decree 80/2021 since 15/10/2021)."""
    rows = EnterpriseSizeThreshold.objects.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=day), valid_from__lte=day
    ).order_by("-valid_from")
    newest = rows.first()
    if newest is None:
        return []
    return [
        SizeThreshold(
            sector=row.sector,
            size_class=row.size_class,
            max_insured_labour=row.max_insured_labour,
            max_revenue=row.max_revenue,
            max_capital=row.max_capital,
        )
        for row in rows.filter(valid_from=newest.valid_from)
    ]


def ethnicity_index() -> dict[str, Ethnicity]:
    """Ethnic groups by lower-cased and by folded name and other names (for imports)."""
    index: dict[str, Ethnicity] = {}
    for ethnicity in Ethnicity.objects.all():
        names = [ethnicity.name, *[n for n in ethnicity.other_names.split(",") if n.strip()]]
        for name in names:
            index.setdefault(" ".join(name.casefold().split()), ethnicity)
            index.setdefault(fold_vi(name), ethnicity)
    return index


# ---------------------------------------------------------------------------------------------
# Evidence vault alerts and document reads (producer list, detail tabs, exports)
# ---------------------------------------------------------------------------------------------
def document_alert_conditions(today: dt.date | None = None) -> dict[str, Exists]:
    """``Exists`` conditions on a producer queryset: an expiring and an expired evidence document.

    Same rule as ``ProducerDocument.expiry_status``: expired once ``valid_until`` is past; expiring
    from ``warn_days_before_expiry`` days (of the document's type) before it. Use them in
    ``annotate()`` or ``filter()`` — one subquery each, never a query per row.
    """
    today = today or timezone.localdate()
    dated = ProducerDocument.objects.filter(producer=OuterRef("pk"), valid_until__isnull=False)
    # valid_until - today <= warn days, written so that SQLite and PostgreSQL both compute it.
    warn_days = ExpressionWrapper(
        ExpressionWrapper(F("document_type__warn_days_before_expiry"), output_field=IntegerField())
        * Value(dt.timedelta(days=1)),
        output_field=DurationField(),
    )
    days_left = ExpressionWrapper(F("valid_until") - Value(today), output_field=DurationField())
    return {
        "has_expiring_document": Exists(
            dated.filter(valid_until__gte=today).alias(days_left=days_left).filter(days_left__lte=warn_days)
        ),
        "has_expired_document": Exists(dated.filter(valid_until__lt=today)),
    }


def annotate_document_alerts(queryset: QuerySet[Producer], *, today: dt.date | None = None) -> QuerySet[Producer]:
    """Add the booleans ``has_expiring_document`` and ``has_expired_document`` to each producer."""
    return queryset.annotate(**document_alert_conditions(today))


def documents_of(producer: Producer) -> QuerySet[ProducerDocument]:
    """A producer's evidence documents with what their rows show (type, product), vault order."""
    return producer.documents.select_related("document_type", "product").order_by(
        "document_type__category", "document_type__position", "document_type__name", "valid_until", "pk"
    )
