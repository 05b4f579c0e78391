"""Read selectors of the products app."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import Case, Exists, F, OuterRef, Q, QuerySet, Subquery, Value, When

from ocop.accounts.enums import Capability
from ocop.accounts.selectors import scope_q
from ocop.core.text import search_tokens
from ocop.geography.models import AdminUnit
from ocop.geography.selectors import resolve_unit
from ocop.legal.models import LegalBasis
from ocop.products.codes import parse_product_code
from ocop.products.enums import CertificateStatus, ProductCodeFormat
from ocop.products.models import Product, ProductCategory, ProductClassification, ProductPhoto, StarRecord


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


# ---------------------------------------------------------------------------------------------
# Staff pages of the registry (list filters, detail tabs, photos)
# ---------------------------------------------------------------------------------------------
#: The legal basis whose taxonomy the list shows and filters on, and whose re-rating window
#: classifies certificates as "expiring" (its ``rerating_window_opens_days_before_expiry``).
CURRENT_TAXONOMY_BASIS = "26/2026/QĐ-TTg"
#: The last day of the pre-2025 map, on which legacy (district) codes are read at the latest.
LAST_DAY_OF_DISTRICTS = dt.date(2025, 6, 30)


def current_taxonomy_basis():
    """The ``LegalBasis`` of :data:`CURRENT_TAXONOMY_BASIS` (None if the reference data is missing)."""
    return LegalBasis.objects.filter(code=CURRENT_TAXONOMY_BASIS).first()


def rerating_window_days(legal_basis=None) -> int:
    """Days before expiry when the re-rating window opens (``rerating_window_opens_days_before_expiry``)."""
    legal_basis = legal_basis if legal_basis is not None else current_taxonomy_basis()
    if legal_basis is None:
        return 0
    return int(legal_basis.parameter("rerating_window_opens_days_before_expiry", 0) or 0)


def taxonomy_for_basis(legal_basis) -> QuerySet[ProductCategory]:
    """Every node (ngành, nhóm, bộ sản phẩm) of one legal basis, in taxonomy order."""
    return ProductCategory.objects.filter(legal_basis=legal_basis).order_by("position")


def assignable_categories_grouped(legal_basis) -> QuerySet[ProductCategory]:
    """The product sets of a basis with their group and sector loaded (for option groups)."""
    return assignable_categories(legal_basis).select_related("parent__parent")


def category_descendant_ids(category: ProductCategory) -> list[int]:
    """The ids of ``category`` and of every node below it, read in one query of its basis's tree."""
    children: dict[int, list[int]] = {}
    tree = ProductCategory.objects.filter(legal_basis_id=category.legal_basis_id).order_by()
    for pk, parent_id in tree.values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    ids, frontier = [], [category.pk]
    while frontier:
        ids.extend(frontier)
        frontier = [child for pk in frontier for child in children.get(pk, [])]
    return ids


def filter_products_in_category(queryset: QuerySet[Product], category: ProductCategory) -> QuerySet[Product]:
    """Products classified, under ``category``'s legal basis, in it or in any node below it."""
    classified = ProductClassification.objects.filter(
        product=OuterRef("pk"),
        legal_basis_id=category.legal_basis_id,
        category_id__in=category_descendant_ids(category),
    )
    return queryset.filter(Exists(classified))


def annotate_registry_columns(queryset: QuerySet[Product], *, today: dt.date, legal_basis=None) -> QuerySet[Product]:
    """Add what the product list shows and filters on, without extra queries per row.

    - ``set_code``/``set_name``/``set_position``: the product set under ``legal_basis`` (26/2026);
    - ``stars_now``: ``current_stars`` unless its validity ended before ``today`` (a stale value);
    - ``latest_valid_until`` and ``is_rated``: the expiry of the newest star record, and whether
      there is any record (the certificate status is derived from these two).
    """
    legal_basis = legal_basis if legal_basis is not None else current_taxonomy_basis()
    classification = ProductClassification.objects.filter(product=OuterRef("pk"), legal_basis=legal_basis)
    latest = StarRecord.objects.filter(product=OuterRef("pk")).order_by("-recognised_on", "-pk")
    return queryset.annotate(
        set_code=Subquery(classification.values("category__code")[:1]),
        set_name=Subquery(classification.values("category__name")[:1]),
        set_position=Subquery(classification.values("category__position")[:1]),
        stars_now=Case(When(current_stars_valid_until__lt=today, then=Value(None)), default=F("current_stars")),
        latest_valid_until=Subquery(latest.values("valid_until")[:1]),
        is_rated=Exists(StarRecord.objects.filter(product=OuterRef("pk"))),
    )


def filter_certificate_status(
    queryset: QuerySet[Product], status: str, *, today: dt.date, window_days: int
) -> QuerySet[Product]:
    """Products whose newest star record gives ``status`` (a ``CertificateStatus`` value) on ``today``.

    Needs :func:`annotate_registry_columns`. Expired: the newest record's ``valid_until`` is
    before today. Expiring: it falls within ``window_days`` from today (the re-rating window is
    open). Valid: later, or no expiry date. Not rated: no star record at all.
    """
    horizon = today + dt.timedelta(days=window_days)
    if status == CertificateStatus.NONE:
        return queryset.filter(is_rated=False)
    if status == CertificateStatus.EXPIRED:
        return queryset.filter(is_rated=True, latest_valid_until__lt=today)
    if status == CertificateStatus.EXPIRING:
        return queryset.filter(is_rated=True, latest_valid_until__gte=today, latest_valid_until__lte=horizon)
    if status == CertificateStatus.VALID:
        return queryset.filter(is_rated=True).filter(
            Q(latest_valid_until__isnull=True) | Q(latest_valid_until__gt=horizon)
        )
    return queryset


def certificate_status_of(*, is_rated: bool, valid_until: dt.date | None, today: dt.date, window_days: int) -> str:
    """The ``CertificateStatus`` value for one product (same rule as :func:`filter_certificate_status`)."""
    if not is_rated:
        return CertificateStatus.NONE
    if valid_until is None or valid_until > today + dt.timedelta(days=window_days):
        return CertificateStatus.VALID
    if valid_until < today:
        return CertificateStatus.EXPIRED
    return CertificateStatus.EXPIRING


def classifications_of(product: Product) -> QuerySet[ProductClassification]:
    """A product's classifications, newest legal basis first, with sector and group loaded."""
    return product.classifications.select_related("legal_basis", "category__parent__parent").order_by(
        "-legal_basis__effective_from"
    )


def star_records_of(product: Product) -> QuerySet[StarRecord]:
    """A product's star history, newest recognition first."""
    return product.star_records.select_related("legal_basis").order_by("-recognised_on", "-pk")


def photos_for_user(user, *, capability: str = Capability.VIEW_REGISTRY) -> QuerySet[ProductPhoto]:
    """Product photos whose product lies inside the user's scope for ``capability``."""
    condition = scope_q(
        user,
        capability,
        province_field="product__producer__province",
        commune_field="product__producer__commune",
        producer_field="product__producer",
    )
    return ProductPhoto.objects.filter(condition).select_related("product__producer")


def code_units_of(product: Product) -> dict[str, AdminUnit | None]:
    """The units named by the parts of a product's code: ``province``, ``district``, ``commune``.

    A current code is read on today's map; a legacy code on the map of its evaluation year (at
    the latest 30/06/2025, the last day of the district level). Unknown codes give ``None``.
    """
    if not product.code:
        return {}
    if product.code_format == ProductCodeFormat.LEGACY:
        day = min(dt.date(product.code_year or 2025, 12, 31), LAST_DAY_OF_DISTRICTS)
    else:
        day = None
    parts = {"province": product.code_province, "district": product.code_district, "commune": product.code_commune}
    return {level: resolve_unit(level, code, on_date=day) if code else None for level, code in parts.items()}
