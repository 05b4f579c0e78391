"""Read selectors of the products app."""

from django.db.models import Q, QuerySet

from ocop.accounts.enums import Capability
from ocop.accounts.selectors import scope_q
from ocop.core.text import search_tokens
from ocop.products.models import Product


def products_for_user(user, *, capability: str = Capability.VIEW_REGISTRY) -> QuerySet[Product]:
    """Products whose producer lies inside the user's scope for ``capability``."""
    condition = scope_q(
        user,
        capability,
        province_field="producer__province",
        commune_field="producer__commune",
        producer_field="producer",
    )
    return Product.objects.filter(condition).select_related(
        "producer", "producer__province", "producer__commune", "recorded_unit", "recorded_unit__province"
    )


def search_products(queryset: QuerySet[Product], query: str | None) -> QuerySet[Product]:
    for token in search_tokens(query):
        queryset = queryset.filter(Q(name_folded__contains=token) | Q(code=token))
    return queryset
