"""Read selectors of the producers app."""

import datetime as dt

from django.db.models import Q, QuerySet

from ocop.accounts.enums import Capability
from ocop.accounts.selectors import scope_q
from ocop.core.text import fold_vi, search_tokens
from ocop.producers.models import EnterpriseSizeThreshold, Ethnicity, FinancialYear, Producer
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
