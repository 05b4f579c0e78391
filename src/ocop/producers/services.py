"""Write services of the producers app.

Every write goes through here: names are folded for search, scope (today's province/commune)
is derived from the recorded unit, tax codes are normalised, duplicates refused and the size
class re-derived. Audit rows are automatic; semantic events go to the activity log.
"""

import datetime as dt
import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from ocop.core.exceptions import ApplicationError
from ocop.core.services import log_action
from ocop.core.text import fold_vi
from ocop.geography.models import AdminUnit
from ocop.geography.selectors import current_province_for, current_units_for
from ocop.producers.enums import LegalForm
from ocop.producers.models import (
    DocumentType,
    EnterpriseSizeThreshold,
    Ethnicity,
    FinancialYear,
    LegalFormPeriod,
    Producer,
    ProducerDocument,
)
from ocop.producers.selectors import duplicate_producers, latest_financial_year, size_thresholds_on
from ocop.producers.sizing import SizeClass, SizeThreshold, classify_enterprise
from ocop.producers.validators import normalize_phone, normalize_tax_code, validate_document_file

DATA_DIR = Path(__file__).resolve().parent / "data"

# Fields a caller may pass to create_producer / update_producer (everything else is derived).
EDITABLE_FIELDS = frozenset(
    {
        "name",
        "tax_code",
        "registration_number",
        "registration_issued_on",
        "registration_issuer",
        "established_on",
        "main_sector",
        "representative_name",
        "representative_position",
        "representative_gender",
        "representative_ethnicity",
        "representative_has_disability",
        "address",
        "address_unit",
        "phone",
        "email",
        "website",
        "social_url",
        "labour_total",
        "labour_local",
        "labour_insured",
        "member_count",
        "cooperative_rating",
        "cooperative_rated_year",
    }
)


# ---------------------------------------------------------------------------------------------
# Derivations shared by single writes and bulk imports
# ---------------------------------------------------------------------------------------------
def _apply_scope(producer: Producer) -> None:
    """Derive today's province and commune from the recorded unit (which may be pre-2025)."""
    unit: AdminUnit = producer.address_unit
    province = current_province_for(unit)
    if province is None:
        raise ApplicationError(gettext("The current province of the chosen unit cannot be determined."))
    producer.province = province
    communes = [u for u in current_units_for(unit) if u.level == "commune"]
    producer.commune = communes[0] if len(communes) == 1 else None


def _normalise(producer: Producer) -> None:
    producer.name = " ".join((producer.name or "").split())
    producer.name_folded = fold_vi(producer.name)
    producer.tax_code = normalize_tax_code(producer.tax_code) if producer.tax_code else ""
    producer.registration_number = (producer.registration_number or "").strip().upper()
    producer.phone = normalize_phone(producer.phone) if producer.phone else ""
    for field in ("representative_name", "address", "registration_issuer", "representative_position"):
        setattr(producer, field, " ".join((getattr(producer, field) or "").split()))


def check_duplicates(producer: Producer) -> None:
    """Refuse a tax code or registration number another producer already has.

    The error carries the existing producer in ``params["existing"]`` so forms can link to it.
    """
    errors = {}
    for field, existing in duplicate_producers(
        tax_code=producer.tax_code, registration_number=producer.registration_number, exclude_pk=producer.pk
    ).items():
        errors[field] = ValidationError(
            gettext("Already registered to %(name)s."),
            code="duplicate",
            params={"name": existing.name, "existing": existing},
        )
    if errors:
        raise ValidationError(errors)


def size_class_for(producer: Producer, *, thresholds: list[SizeThreshold] | None = None, year=None) -> tuple[str, str]:
    """(size class, reason) of a producer from its latest figures; blank for non-enterprises."""
    if producer.legal_form != LegalForm.ENTERPRISE:
        return "", ""
    if not producer.main_sector:
        return SizeClass.UNKNOWN, gettext("The main business sector is not recorded.")
    if thresholds is None:
        thresholds = size_thresholds_on(timezone.localdate())
    if year is None and producer.pk:
        year = latest_financial_year(producer)
    insured = year.average_insured_labour if year and year.average_insured_labour is not None else None
    if insured is None:
        insured = producer.labour_insured
    result = classify_enterprise(
        sector=producer.main_sector,
        insured_labour=insured,
        revenue=year.revenue if year else None,
        capital=year.total_capital if year else None,
        thresholds=thresholds,
    )
    return result.size_class, result.reason[:300]


# Foreign keys arrive as objects loaded from the database, uniqueness is checked (with a link to
# the existing record) by check_duplicates, and the labour rule runs in Producer.clean(); the
# database constraints remain the final guard. Skipping Django's per-row existence and constraint
# queries makes a 10,000-row import check about four times faster.
_TRUSTED_FIELDS = ["address_unit", "province", "commune", "representative_ethnicity"]


def _validate(producer: Producer) -> None:
    producer.full_clean(exclude=_TRUSTED_FIELDS, validate_unique=False, validate_constraints=False)


def build_producer(*, name: str, legal_form: str, address_unit: AdminUnit, **fields) -> Producer:
    """An unsaved, validated producer with every derived field set (shared with bulk imports)."""
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"Not editable: {sorted(unknown)}")
    producer = Producer(name=name, legal_form=legal_form, address_unit=address_unit, **fields)
    _normalise(producer)
    _apply_scope(producer)
    producer.size_class, producer.size_class_reason = size_class_for(producer)
    _validate(producer)
    check_duplicates(producer)
    return producer


# ---------------------------------------------------------------------------------------------
# Producers
# ---------------------------------------------------------------------------------------------
@transaction.atomic
def create_producer(*, name: str, legal_form: str, address_unit: AdminUnit, actor=None, **fields) -> Producer:
    """Create a producer with its first legal-form period.

    Side effects: audit rows (automatic) and a ``producers.producer.create`` activity event.
    Raises ``ValidationError`` (field → message) for bad or duplicate data; nothing is written then.
    """
    producer = build_producer(name=name, legal_form=legal_form, address_unit=address_unit, **fields)
    return save_new_producer(producer, actor=actor)


def save_new_producer(producer: Producer, *, actor=None, source: str = "") -> Producer:
    """Persist a producer from ``build_producer`` with its first legal-form period and events.

    Call inside a transaction (``create_producer`` and the bulk importer do).
    """
    producer.created_by = actor if getattr(actor, "is_authenticated", False) else None
    producer.save()
    LegalFormPeriod.objects.create(
        producer=producer,
        legal_form=producer.legal_form,
        name=producer.name,
        registration_number=producer.registration_number,
        valid_from=producer.established_on or producer.registration_issued_on,
    )
    log_action(producer, "producers.producer.create", actor=actor, data={"source": source} if source else None)
    return producer


@transaction.atomic
def update_producer(producer: Producer, *, actor=None, **fields) -> Producer:
    """Update editable fields, re-deriving scope, search name and size class.

    The legal form is not changed here (see ``change_legal_form``, which keeps the history).
    Side effects: audit row (automatic) and a ``producers.producer.update`` activity event.
    """
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"Not editable: {sorted(unknown)}")
    for field, value in fields.items():
        setattr(producer, field, value)
    _normalise(producer)
    _apply_scope(producer)
    producer.size_class, producer.size_class_reason = size_class_for(producer)
    _validate(producer)
    check_duplicates(producer)
    producer.save()
    log_action(producer, "producers.producer.update", actor=actor, data={"fields": sorted(fields)})
    return producer


@transaction.atomic
def change_legal_form(
    producer: Producer,
    *,
    legal_form: str,
    effective_on: dt.date,
    name: str | None = None,
    registration_number: str | None = None,
    note: str = "",
    actor=None,
) -> LegalFormPeriod:
    """Close the current legal-form period and open a new one (e.g. household → cooperative).

    The producer keeps its identity, products and documents; its past form stays in
    ``legal_form_periods``. Side effects: audit rows and ``producers.producer.change_legal_form``.
    """
    if legal_form not in LegalForm.values:
        raise ValidationError({"legal_form": gettext("Choose a valid legal form.")})
    current = producer.legal_form_periods.filter(valid_to__isnull=True).select_for_update().first()
    name = name or None
    if legal_form == producer.legal_form and name in (None, producer.name):
        raise ValidationError({"legal_form": gettext("The producer already has this legal form.")})
    if current is not None:
        if current.valid_from and effective_on <= current.valid_from:
            raise ValidationError(
                {
                    "effective_on": gettext("The change must be after the start of the current period (%(date)s).")
                    % {"date": current.valid_from.strftime("%d/%m/%Y")}
                }
            )
        current.valid_to = effective_on
        current.full_clean()
        current.save()
    previous = producer.legal_form
    producer.legal_form = legal_form
    if name:
        producer.name = name
    if registration_number is not None:
        producer.registration_number = registration_number
    _normalise(producer)
    producer.size_class, producer.size_class_reason = size_class_for(producer)
    _validate(producer)
    check_duplicates(producer)
    producer.save()
    period = LegalFormPeriod.objects.create(
        producer=producer,
        legal_form=legal_form,
        name=producer.name,
        registration_number=producer.registration_number,
        valid_from=effective_on,
        note=note,
    )
    log_action(
        producer,
        "producers.producer.change_legal_form",
        actor=actor,
        data={"from": previous, "to": legal_form, "effective_on": effective_on.isoformat()},
    )
    return period


@transaction.atomic
def refresh_size_class(producer: Producer) -> Producer:
    """Re-derive the stored size class (after figures or thresholds change)."""
    size_class, reason = size_class_for(producer)
    if (size_class, reason) != (producer.size_class, producer.size_class_reason):
        producer.size_class, producer.size_class_reason = size_class, reason
        producer.save(update_fields=["size_class", "size_class_reason", "updated_at"])
    return producer


@transaction.atomic
def record_financial_year(
    producer: Producer,
    *,
    year: int,
    revenue: int | None = None,
    profit: int | None = None,
    total_capital: int | None = None,
    average_insured_labour: int | None = None,
    actor=None,
) -> FinancialYear:
    """Create or replace one year's figures and re-derive the size class."""
    figures = FinancialYear.objects.select_for_update().filter(producer=producer, year=year).first()
    created = figures is None
    if created:
        figures = FinancialYear(producer=producer, year=year)
    figures.revenue, figures.profit = revenue, profit
    figures.total_capital, figures.average_insured_labour = total_capital, average_insured_labour
    figures.full_clean(validate_unique=False)
    figures.save()
    refresh_size_class(producer)
    log_action(producer, "producers.producer.record_year", actor=actor, data={"year": year, "created": created})
    return figures


# ---------------------------------------------------------------------------------------------
# Evidence vault
# ---------------------------------------------------------------------------------------------
DOCUMENT_FIELDS = frozenset({"document_type", "number", "issuer", "issued_on", "valid_until", "product", "note"})


def _check_file(file) -> None:
    try:
        validate_document_file(file)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc


def _check_document(document: ProducerDocument) -> None:
    if document.product_id and document.product.producer_id != document.producer_id:
        raise ValidationError({"product": gettext("The product belongs to another producer.")})
    document.number = document.number.strip()
    document.issuer = " ".join(document.issuer.split())
    document.full_clean()


@transaction.atomic
def add_document(
    producer: Producer, *, document_type: DocumentType, file: UploadedFile | None = None, actor=None, **fields
) -> ProducerDocument:
    """Store an evidence document (and its file) in the producer's vault.

    Side effects: audit row and ``producers.document.add``; the file is written to private storage.
    """
    unknown = set(fields) - DOCUMENT_FIELDS
    if unknown:
        raise TypeError(f"Not editable: {sorted(unknown)}")
    document = ProducerDocument(producer=producer, document_type=document_type, **fields)
    if file is not None:
        _check_file(file)
        document.file = file
        document.original_filename = Path(file.name).name[:255]
        document.file_size = file.size
    _check_document(document)
    document.save()
    log_action(
        producer, "producers.document.add", actor=actor, data={"document": document.pk, "type": str(document_type)}
    )
    return document


@transaction.atomic
def update_document(
    document: ProducerDocument, *, file: UploadedFile | None = None, actor=None, **fields
) -> ProducerDocument:
    """Change a document's data or replace its file (the old file is deleted after commit)."""
    unknown = set(fields) - DOCUMENT_FIELDS
    if unknown:
        raise TypeError(f"Not editable: {sorted(unknown)}")
    for field, value in fields.items():
        setattr(document, field, value)
    old_file = None
    if file is not None:
        _check_file(file)
        old_file = document.file.name or None
        document.file = file
        document.original_filename = Path(file.name).name[:255]
        document.file_size = file.size
    _check_document(document)
    document.save()
    if old_file:
        storage = document.file.storage
        transaction.on_commit(lambda: storage.delete(old_file))
    log_action(document.producer, "producers.document.update", actor=actor, data={"document": document.pk})
    return document


@transaction.atomic
def delete_document(document: ProducerDocument, *, actor=None) -> None:
    """Remove a document from the vault; its file is deleted after the transaction commits."""
    producer, name, pk = document.producer, document.file.name, document.pk
    document.delete()
    if name:
        storage = ProducerDocument._meta.get_field("file").storage
        transaction.on_commit(lambda: storage.delete(name))
    log_action(producer, "producers.document.delete", actor=actor, data={"document": pk})


# ---------------------------------------------------------------------------------------------
# Reference data (ocop bootstrap)
# ---------------------------------------------------------------------------------------------
@transaction.atomic
def load_producer_reference_data(data_dir: Path = DATA_DIR) -> dict[str, int]:
    """Load ethnicities, document types and SME size thresholds from JSON (idempotent)."""
    ethnicities = json.loads((data_dir / "ethnicities.json").read_text(encoding="utf-8"))["ethnicities"]
    for row in ethnicities:
        Ethnicity.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "slug": f"dt-{row['code']}",
                "other_names": ", ".join(row.get("other_names") or [])[:200],
            },
        )
    types = json.loads((data_dir / "document_types.json").read_text(encoding="utf-8"))["document_types"]
    for position, row in enumerate(types):
        DocumentType.objects.update_or_create(
            slug=row["slug"],
            defaults={
                "name": row["name"],
                "category": row["category"],
                "has_expiry": row.get("has_expiry", False),
                "warn_days_before_expiry": row.get("warn_days_before_expiry") or 90,
                "legal_reference": (row.get("legal_reference") or "")[:200],
                "position": position,
            },
        )
    table = json.loads((data_dir / "sme_size_classes.json").read_text(encoding="utf-8"))
    valid_from = dt.date.fromisoformat(table["valid_from"])
    valid_to = dt.date.fromisoformat(table["valid_to"]) if table.get("valid_to") else None
    for row in table["thresholds"]:
        EnterpriseSizeThreshold.objects.update_or_create(
            valid_from=valid_from,
            sector=row["sector"],
            size_class=row["size_class"],
            defaults={
                "legal_reference": table["legal_reference"],
                "valid_to": valid_to,
                "max_insured_labour": row["max_insured_labour"],
                "max_revenue": row["max_revenue"],
                "max_capital": row["max_capital"],
            },
        )
    return {"ethnicities": len(ethnicities), "document_types": len(types), "size_thresholds": len(table["thresholds"])}
