"""Write services of the products app: products, codes, classification, star history, photos."""

import datetime as dt
import io
import json
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext
from PIL import Image, ImageOps

from ocop.core.exceptions import ApplicationError
from ocop.core.services import log_action
from ocop.core.text import fold_vi
from ocop.geography.models import AdminUnit
from ocop.legal.models import LegalBasis
from ocop.legal.selectors import effective_parameters
from ocop.producers.models import Producer
from ocop.products.codes import format_product_code, parse_product_code
from ocop.products.enums import CategoryLevel, StarSource
from ocop.products.models import (
    Product,
    ProductCategory,
    ProductClassification,
    ProductCodeCounter,
    ProductPhoto,
    StarRecord,
)
from ocop.products.validators import validate_category_for_basis, validate_image_upload

DATA_DIR = Path(__file__).resolve().parent / "data"
THUMBNAIL_SIZE = (480, 480)
MAX_STORED_SIDE = 2400

EDITABLE_FIELDS = frozenset(
    {
        "name",
        "description",
        "story",
        "specification",
        "packaging",
        "shelf_life",
        "quality_standard",
        "recorded_unit",
        "recorded_on",
    }
)


# ---------------------------------------------------------------------------------------------
# Codes
# ---------------------------------------------------------------------------------------------
def _set_code(product: Product, code: str) -> None:
    """Store a typed or imported code and its parsed parts (empty code clears them)."""
    code = (code or "").strip()
    if not code:
        product.code = ""
        product.code_format = product.code_province = product.code_district = product.code_commune = ""
        product.code_sequence = product.code_year = None
        return
    try:
        parsed = parse_product_code(code)
    except ValidationError as exc:
        raise ValidationError({"code": exc.messages}) from exc
    product.code = str(parsed)
    product.code_format = parsed.format
    product.code_province = parsed.province_code
    product.code_district = parsed.district_code or ""
    product.code_commune = parsed.commune_code
    product.code_sequence = parsed.sequence
    product.code_year = parsed.year


def _bump_counter_for(product: Product) -> None:
    """Keep a commune's counter above a current-format code that was typed or imported."""
    if product.code_format != "current" or product.code_sequence is None:
        return
    commune = product.producer.commune
    if commune is None or commune.code != product.code_commune:
        return
    counter, _ = ProductCodeCounter.objects.select_for_update().get_or_create(commune=commune)
    if counter.last_sequence < product.code_sequence:
        counter.last_sequence = product.code_sequence
        counter.save(update_fields=["last_sequence", "updated_at"])


@transaction.atomic
def assign_product_code(product: Product, *, year: int | None = None, actor=None) -> Product:
    """Give a product the next code ``T-X-STT-YYYY`` of its producer's commune (26/2026 Annex II).

    The commune's counter row is locked (``select_for_update``) so two officers never get the
    same number; the unique constraint on ``Product.code`` is the last guard. Codes already
    taken by imported records are skipped.
    """
    if product.code:
        raise ApplicationError(gettext("The product already has the code %(code)s.") % {"code": product.code})
    commune: AdminUnit | None = product.producer.commune
    if commune is None:
        raise ApplicationError(
            gettext("The producer's commune on today's map is not known, so no product code can be allocated.")
        )
    year = year or timezone.localdate().year
    counter, _ = ProductCodeCounter.objects.select_for_update().get_or_create(commune=commune)
    sequence = counter.last_sequence
    while True:
        sequence += 1
        code = format_product_code(
            province_code=commune.province.code, commune_code=commune.code, sequence=sequence, year=year
        )
        if not Product.objects.filter(code=code).exists():
            break
    counter.last_sequence = sequence
    counter.save(update_fields=["last_sequence", "updated_at"])
    _set_code(product, code)
    product.save(
        update_fields=[
            "code",
            "code_format",
            "code_province",
            "code_district",
            "code_commune",
            "code_sequence",
            "code_year",
            "updated_at",
        ]
    )
    log_action(product, "products.product.assign_code", actor=actor, data={"code": code})
    return product


# ---------------------------------------------------------------------------------------------
# Products
# ---------------------------------------------------------------------------------------------
def _normalise(product: Product) -> None:
    product.name = " ".join((product.name or "").split())
    product.name_folded = fold_vi(product.name)
    for field in ("packaging", "shelf_life", "quality_standard"):
        setattr(product, field, " ".join((getattr(product, field) or "").split()))


def build_product(*, producer: Producer, name: str, code: str = "", **fields) -> Product:
    """An unsaved, validated product with derived fields set (shared with bulk imports)."""
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"Not editable: {sorted(unknown)}")
    product = Product(producer=producer, name=name, **fields)
    _normalise(product)
    _set_code(product, code)
    # The producer and units are loaded objects; the code's uniqueness is checked just below.
    product.full_clean(exclude=["producer", "recorded_unit"], validate_unique=False, validate_constraints=False)
    if product.code and Product.objects.filter(code=product.code).exists():
        raise ValidationError(
            {"code": ValidationError(gettext("A product with this code already exists."), code="duplicate")}
        )
    return product


def save_new_product(product: Product, *, actor=None, source: str = "") -> Product:
    """Persist a product from ``build_product`` (inside a transaction), keeping counters in step."""
    product.created_by = actor if getattr(actor, "is_authenticated", False) else None
    try:
        with transaction.atomic():
            product.save()
    except IntegrityError as exc:
        raise ValidationError({"code": gettext("A product with this code already exists.")}) from exc
    _bump_counter_for(product)
    log_action(product, "products.product.create", actor=actor, data={"source": source} if source else None)
    return product


@transaction.atomic
def create_product(
    *,
    producer: Producer,
    name: str,
    code: str = "",
    category: ProductCategory | None = None,
    allocate_code: bool = False,
    code_year: int | None = None,
    actor=None,
    **fields,
) -> Product:
    """Create a product, optionally classify it and allocate a new code.

    Side effects: audit rows and a ``products.product.create`` event (plus the classification
    and code events). Raises ``ValidationError`` with field errors; nothing is written then.
    """
    product = save_new_product(build_product(producer=producer, name=name, code=code, **fields), actor=actor)
    if category is not None:
        classify_product(product, category=category, actor=actor)
    if allocate_code and not product.code:
        assign_product_code(product, year=code_year, actor=actor)
    return product


@transaction.atomic
def update_product(product: Product, *, code: str | None = None, actor=None, **fields) -> Product:
    """Update descriptive fields (and optionally the code); the producer never changes here."""
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"Not editable: {sorted(unknown)}")
    for field, value in fields.items():
        setattr(product, field, value)
    _normalise(product)
    if code is not None and code.strip() != product.code:
        _set_code(product, code)
        if product.code and Product.objects.filter(code=product.code).exclude(pk=product.pk).exists():
            raise ValidationError(
                {"code": ValidationError(gettext("A product with this code already exists."), code="duplicate")}
            )
    product.full_clean(validate_unique=False)
    product.save()
    _bump_counter_for(product)
    log_action(product, "products.product.update", actor=actor, data={"fields": sorted(fields)})
    return product


@transaction.atomic
def classify_product(
    product: Product, *, category: ProductCategory, legal_basis: LegalBasis | None = None, actor=None
) -> ProductClassification:
    """Set the product's set under a legal basis (one per basis; replaces the old one).

    With ``legal_basis`` given (the basis the user chose), a set from another basis is refused;
    without it the set's own basis is used.
    """
    legal_basis = legal_basis or category.legal_basis
    validate_category_for_basis(category, legal_basis)
    classification = ProductClassification.objects.filter(product=product, legal_basis=legal_basis).first()
    if classification is None:
        classification = ProductClassification(product=product, legal_basis=legal_basis)
    previous = classification.category_id
    classification.category = category
    classification.full_clean(validate_unique=False)
    classification.save()
    log_action(
        product,
        "products.product.classify",
        actor=actor,
        data={"legal_basis": legal_basis.code, "category": category.code, "previous": previous},
    )
    return classification


# ---------------------------------------------------------------------------------------------
# Star history
# ---------------------------------------------------------------------------------------------
@transaction.atomic
def record_star(
    product: Product,
    *,
    stars: int,
    recognised_on: dt.date,
    legal_basis: LegalBasis | None = None,
    valid_until: dt.date | None = None,
    score=None,
    part_scores: dict | None = None,
    decision_number: str = "",
    decision_authority: str = "",
    certificate_number: str = "",
    source: str = StarSource.MANUAL,
    note: str = "",
    actor=None,
) -> StarRecord:
    """Append a star ranking to the product's history and refresh its current stars.

    Later modules (certification) call this when a decision is issued; imports call it for
    legacy decisions. ``part_scores`` ({"A": …, "B": …, "C": …}) keeps the totals per part of
    records whose sheets are not loaded (1048: A 35 / B 25 / C 40; 148: 40 / 25 / 35): each must
    lie within the part maximum of the record's legal basis, and with a score they must add up to it.
    Side effects: audit row and ``products.product.record_star``.
    """
    parts = {
        code: (Decimal(str(value)) if value not in (None, "") else None) for code, value in (part_scores or {}).items()
    }
    _check_part_scores(legal_basis, parts, score)
    record = StarRecord(
        product=product,
        legal_basis=legal_basis,
        stars=stars,
        score=score,
        score_part_a=parts.get("A"),
        score_part_b=parts.get("B"),
        score_part_c=parts.get("C"),
        recognised_on=recognised_on,
        valid_until=valid_until,
        decision_number=decision_number.strip(),
        decision_authority=decision_authority.strip(),
        certificate_number=certificate_number.strip(),
        source=source,
        note=note,
    )
    record.full_clean()
    record.save()
    refresh_current_stars(product)
    log_action(product, "products.product.record_star", actor=actor, data={"stars": stars, "record": record.pk})
    return record


def _check_part_scores(legal_basis, parts: dict, score) -> None:
    if not parts:
        return
    unknown = set(parts) - {"A", "B", "C"}
    if unknown:
        raise ValidationError(gettext("Part scores are given for parts A, B and C only."), code="unknown_part")
    if legal_basis is None:
        raise ValidationError(gettext("Part scores need the legal basis they were given under."), code="basis_required")
    maxima = effective_parameters(legal_basis).get("part_maxima") or {}
    errors = []
    for code, value in parts.items():
        if value is None:
            continue
        maximum = Decimal(str(maxima.get(code, 100)))
        if not Decimal(0) <= value <= maximum:
            errors.append(
                ValidationError(
                    gettext("Part %(code)s under %(basis)s is scored out of %(max)s; %(value)s is outside 0–%(max)s.")
                    % {"code": code, "basis": legal_basis.short_name, "max": maximum, "value": value},
                    code="part_out_of_range",
                )
            )
    given = [value for value in parts.values() if value is not None]
    if score is not None and len(given) == 3 and sum(given) != Decimal(str(score)):
        errors.append(
            ValidationError(
                gettext("The part scores add up to %(sum)s, not to the score %(score)s.")
                % {"sum": sum(given), "score": score},
                code="parts_do_not_add_up",
            )
        )
    if errors:
        raise ValidationError(errors)


def refresh_current_stars(product: Product, *, today: dt.date | None = None) -> Product:
    """Current stars = the latest recognition whose certificate has not expired (else none)."""
    today = today or timezone.localdate()
    latest = product.star_records.order_by("-recognised_on", "-pk").first()
    stars = valid_until = None
    if latest is not None and (latest.valid_until is None or latest.valid_until >= today):
        stars, valid_until = latest.stars, latest.valid_until
    if (product.current_stars, product.current_stars_valid_until) != (stars, valid_until):
        product.current_stars, product.current_stars_valid_until = stars, valid_until
        product.save(update_fields=["current_stars", "current_stars_valid_until", "updated_at"])
    return product


# ---------------------------------------------------------------------------------------------
# Photos
# ---------------------------------------------------------------------------------------------
def _encode(image: Image.Image, image_format: str) -> bytes:
    buffer = io.BytesIO()
    if image_format == "JPEG":
        image.convert("RGB").save(buffer, "JPEG", quality=85, optimize=True)
    else:
        image.save(buffer, image_format)
    return buffer.getvalue()


@transaction.atomic
def add_product_photo(product: Product, *, upload, caption: str = "", actor=None) -> ProductPhoto:
    """Validate an uploaded photo, store it (at most 2,400 px per side) and a 480 px thumbnail.

    Refuses files over ``OCOP_MAX_IMAGE_MB``, non-images and formats other than JPEG/PNG/WebP
    with a Vietnamese message; nothing is stored then. If the row cannot be written the files
    are removed again.
    """
    try:
        image_format = validate_image_upload(upload)
    except ValidationError as exc:
        raise ValidationError({"image": exc.messages}) from exc
    with Image.open(upload) as original:
        image = ImageOps.exif_transpose(original)
        image.load()
    if max(image.size) > MAX_STORED_SIDE:
        image.thumbnail((MAX_STORED_SIDE, MAX_STORED_SIDE))
    extension = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}[image_format]
    thumbnail = image.copy()
    thumbnail.thumbnail(THUMBNAIL_SIZE)
    position = (product.photos.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    photo = ProductPhoto(
        product=product,
        caption=" ".join(caption.split())[:255],
        position=position,
        width=image.width,
        height=image.height,
    )
    photo.image.save(f"photo.{extension}", ContentFile(_encode(image, image_format)), save=False)
    photo.thumbnail.save("thumb.jpg", ContentFile(_encode(thumbnail, "JPEG")), save=False)
    try:
        photo.full_clean()
        photo.save()
    except Exception:
        # Nothing half-stored: the files go if the row cannot be written.
        photo.image.storage.delete(photo.image.name)
        photo.thumbnail.storage.delete(photo.thumbnail.name)
        raise
    log_action(product, "products.product.add_photo", actor=actor, data={"photo": photo.pk})
    return photo


@transaction.atomic
def delete_product_photo(photo: ProductPhoto, *, actor=None) -> None:
    """Remove a photo; its files are deleted after commit."""
    product, names, pk = photo.product, [photo.image.name, photo.thumbnail.name], photo.pk
    storage = photo.image.storage
    photo.delete()
    transaction.on_commit(lambda: [storage.delete(name) for name in names if name])
    log_action(product, "products.product.delete_photo", actor=actor, data={"photo": pk})


# ---------------------------------------------------------------------------------------------
# Reference data (ocop bootstrap)
# ---------------------------------------------------------------------------------------------
@transaction.atomic
def load_product_taxonomy(path: Path = DATA_DIR / "taxonomy.json") -> dict[str, int]:
    """Create or update the taxonomy of every legal basis in the JSON file (idempotent)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    counts: dict[str, int] = {}
    for taxonomy in data["taxonomies"]:
        legal_basis = LegalBasis.objects.get(code=taxonomy["legal_basis"])
        position = 0

        def walk(nodes, parent, legal_basis=legal_basis):
            nonlocal position
            for node in nodes:
                position += 1
                category, _ = ProductCategory.objects.update_or_create(
                    legal_basis=legal_basis,
                    code=node["code"],
                    defaults={
                        "parent": parent,
                        "level": CategoryLevel(node["level"]),
                        "name": node["name"],
                        "name_folded": fold_vi(node["name"]),
                        "sheet_number": node.get("sheet_number"),
                        "ministries": node.get("ministries", []),
                        "is_assignable": bool(node.get("assignable", False)),
                        "position": position,
                    },
                )
                walk(node.get("children", []), category)

        walk(taxonomy["nodes"], None)
        counts[legal_basis.code] = position
    return counts
