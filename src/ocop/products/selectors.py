"""Read selectors of the products app."""

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet

from ocop.accounts.enums import Capability
from ocop.accounts.selectors import scope_q
from ocop.core.text import search_tokens
from ocop.products.codes import parse_product_code
from ocop.products.models import Product, ProductCategory


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
    """Diacritics-insensitive AND search on the name; a whole product code (any spelling) matches exactly."""
    try:
        return queryset.filter(code=str(parse_product_code(query or "")))
    except ValidationError:
        pass
    for token in search_tokens(query):
        queryset = queryset.filter(Q(name_folded__contains=token) | Q(code=token))
    return queryset


def assignable_categories(legal_basis=None) -> QuerySet[ProductCategory]:
    """Product sets a product can be classified in (all bases, or one), in taxonomy order."""
    queryset = ProductCategory.objects.filter(is_assignable=True).select_related("legal_basis", "parent")
    if legal_basis is not None:
        queryset = queryset.filter(legal_basis=legal_basis)
    return queryset.order_by("legal_basis", "position")
