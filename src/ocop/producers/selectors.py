"""Read selectors of the producers app."""

from django.db.models import Q, QuerySet

from ocop.accounts.enums import Capability
from ocop.accounts.selectors import scope_q
from ocop.core.text import search_tokens
from ocop.producers.models import Producer


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
