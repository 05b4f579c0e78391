"""Write services of the evaluation app: criteria-sheet versions and self-assessments."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ocop.core.services import log_action
from ocop.evaluation.engine import ScoringError, StarRules, answers_from_options, score
from ocop.evaluation.enums import RUBRIC_TRANSITIONS, RubricSource, RubricStatus
from ocop.evaluation.models import RubricKnockout, RubricNode, RubricOption, RubricVersion, SelfAssessment
from ocop.evaluation.rubric_io import (
    RubricDataError,
    apply_errata,
    check_sheet,
    content_hash,
    load_errata,
    read_yaml,
    sheet_files,
    sheet_from_data,
)
from ocop.legal.models import LegalBasis
from ocop.legal.selectors import criteria_legal_bases, effective_parameters
from ocop.products.models import Product, ProductCategory


def validate_sheet_data(legal_basis: LegalBasis, data: Mapping) -> None:
    """Raise :class:`RubricDataError` listing every structural and arithmetic problem."""
    problems = []
    if str(data.get("legal_basis") or legal_basis.code) != legal_basis.code:
        problems.append(
            _("The file is for %(file)s, not %(basis)s.") % {"file": data.get("legal_basis"), "basis": legal_basis.code}
        )
    number = data.get("sheet_number")
    if not isinstance(number, int) or number < 1:
        problems.append(_("The sheet number is missing or not a positive whole number."))
    elif not ProductCategory.objects.filter(legal_basis=legal_basis, sheet_number=number).exists():
        problems.append(
            _("%(basis)s has no product set with sheet number %(number)s.")
            % {"basis": legal_basis.short_name, "number": number}
        )
    if not str(data.get("title") or "").strip():
        problems.append(_("The sheet has no title."))
    try:
        sheet = sheet_from_data(data)
    except RubricDataError as error:
        raise RubricDataError(problems + error.problems) from error
    problems += check_sheet(sheet, effective_parameters(legal_basis).get("part_maxima"))
    if problems:
        raise RubricDataError(problems)


def _write_rows(version: RubricVersion) -> None:
    position = 0
    sheet = version.to_sheet()
    nodes_by_code: dict[str, RubricNode] = {}

    def write(node, parent):
        nonlocal position
        position += 1
        row = RubricNode.objects.create(
            rubric=version,
            parent=parent,
            kind=node.kind,
            code=node.code,
            title=node.title,
            max_points=node.max_points,
            position=position,
            is_binary=node.binary,
            requirement=node.requirement,
            applies_if_code=node.applies_if[0] if node.applies_if else "",
            applies_if_min_points=node.applies_if[1] if node.applies_if else None,
            notes=list(node.notes),
            case_labels={str(case): label for case, label in node.case_labels.items()},
        )
        nodes_by_code[node.code] = row
        RubricOption.objects.bulk_create(
            RubricOption(
                node=row,
                key=option.key,
                position=index,
                label=option.label,
                points=option.points,
                min_star=option.min_star,
                case=option.case,
            )
            for index, option in enumerate(node.options, start=1)
        )
        for child in node.children:
            write(child, row)

    for part in sheet.parts:
        write(part, None)
    for knockout_position, knockout in enumerate(sheet.knockouts, start=1):
        RubricKnockout.objects.create(
            rubric=version,
            node=nodes_by_code.get(knockout.criterion) if knockout.criterion else None,
            key=knockout.key,
            kind=knockout.kind,
            text=knockout.text,
            zero_in=list(knockout.zero_in),
            position=knockout_position,
        )


@transaction.atomic
def create_rubric_version(
    legal_basis: LegalBasis,
    data: Mapping,
    *,
    origin: str = RubricSource.IMPORT,
    errata: list | None = None,
    filename: str = "",
    change_note: str = "",
    actor=None,
) -> RubricVersion:
    """A new *draft* version of a sheet from checked data (the previous versions stay as they are)."""
    validate_sheet_data(legal_basis, data)
    number = data["sheet_number"]
    latest = (
        RubricVersion.objects.select_for_update()
        .filter(legal_basis=legal_basis, sheet_number=number)
        .order_by("-version")
        .first()
    )
    active = RubricVersion.objects.filter(
        legal_basis=legal_basis, sheet_number=number, status=RubricStatus.ACTIVE
    ).first()
    version = RubricVersion(
        legal_basis=legal_basis,
        category=ProductCategory.objects.filter(legal_basis=legal_basis, sheet_number=number).first(),
        sheet_number=number,
        version=(latest.version + 1) if latest else 1,
        title=str(data["title"]).strip(),
        classification=str(data.get("classification") or "").strip(),
        source_reference=str(data.get("source") or "").strip(),
        origin=origin,
        data=dict(data),
        content_hash=content_hash(data),
        errata=errata or [],
        change_note=change_note,
        imported_filename=filename,
        replaces=active,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    version.save()
    _write_rows(version)
    log_action(version, "evaluation.rubricversion.create", actor=actor, data={"origin": origin, "file": filename})
    return version


@transaction.atomic
def activate_rubric_version(version: RubricVersion, *, actor=None) -> RubricVersion:
    """Put a draft in use; the version in use for the same sheet is retired (never edited)."""
    version = RubricVersion.objects.select_for_update().get(pk=version.pk)
    if RubricStatus.ACTIVE not in RUBRIC_TRANSITIONS[RubricStatus(version.status)]:
        raise ValidationError(_("Only a draft version can be put in use."), code="invalid_transition")
    now = timezone.now()
    for previous in RubricVersion.objects.select_for_update().filter(
        legal_basis=version.legal_basis_id, sheet_number=version.sheet_number, status=RubricStatus.ACTIVE
    ):
        previous.status = RubricStatus.RETIRED
        previous.retired_at = now
        previous.save()
        log_action(previous, "evaluation.rubricversion.retire", actor=actor, data={"replaced_by": version.pk})
    version.status = RubricStatus.ACTIVE
    version.activated_at = now
    version.save()
    log_action(version, "evaluation.rubricversion.activate", actor=actor)
    return version


@transaction.atomic
def discard_rubric_draft(version: RubricVersion, *, actor=None) -> None:
    if version.is_locked:
        raise ValidationError(_("Only a draft version can be deleted."), code="rubric_locked")
    log_action(version, "evaluation.rubricversion.discard", actor=actor)
    version.delete()


def load_rubrics(basis_codes: list[str] | None = None) -> dict[str, int]:
    """Load the repository's sheet files with their errata (idempotent).

    A sheet whose corrected content equals the version in use is skipped; a changed file becomes
    a new version that replaces the one in use. Returns counts: created, unchanged.
    """
    counts = {"created": 0, "unchanged": 0}
    bases = criteria_legal_bases()
    if basis_codes:
        bases = bases.filter(code__in=basis_codes)
    for basis in bases:
        files = sheet_files(basis.code)
        if not files:
            continue
        errata = load_errata(basis.code)
        for path in files:
            printed = read_yaml(path.read_text(encoding="utf-8"))
            data, applied = apply_errata(printed, errata)
            digest = content_hash(data)
            active = RubricVersion.objects.filter(
                legal_basis=basis, sheet_number=data.get("sheet_number"), status=RubricStatus.ACTIVE
            ).first()
            if active and active.content_hash == digest:
                counts["unchanged"] += 1
                continue
            with transaction.atomic():
                version = create_rubric_version(
                    basis,
                    data,
                    origin=RubricSource.DATA_FILE,
                    errata=applied,
                    filename=path.name,
                    change_note=_("Loaded from the repository data file."),
                )
                activate_rubric_version(version)
            counts["created"] += 1
    return counts


def import_rubric_file(legal_basis: LegalBasis, content: bytes, filename: str, *, actor=None, change_note: str = ""):
    """Read an uploaded YAML or XLSX sheet and create a draft version (nothing is written on error)."""
    name = filename.lower()
    if name.endswith((".yaml", ".yml")):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise RubricDataError([_("The YAML file must be UTF-8 text.")]) from error
        data = read_yaml(text)
    elif name.endswith(".xlsx"):
        from ocop.evaluation.rubric_xlsx import read_sheet_xlsx  # noqa: PLC0415

        data = read_sheet_xlsx(content)
    else:
        raise RubricDataError([_("Upload a .yaml or .xlsx file.")])
    data.setdefault("legal_basis", legal_basis.code)
    return create_rubric_version(
        legal_basis, data, origin=RubricSource.IMPORT, filename=filename, change_note=change_note, actor=actor
    )


# ---------------------------------------------------------------------------------------------
# Self-assessment (Mẫu 02, Part III)
# ---------------------------------------------------------------------------------------------


def star_rules_for(legal_basis: LegalBasis, day=None) -> StarRules:
    return StarRules.from_parameters(effective_parameters(legal_basis, day))


@transaction.atomic
def save_self_assessment(
    product: Product, rubric: RubricVersion, answers: Mapping[str, str] | list[str], *, actor=None
) -> tuple[SelfAssessment, object]:
    """Store the producer's chosen options and the engine's result; bad input raises ScoringError.

    ``answers`` is criterion code → option key, or a flat list of option keys.
    """
    if rubric.status != RubricStatus.ACTIVE:
        raise ScoringError("rubric_not_active", _("This version of the sheet is no longer in use."))
    classification = product.classifications.filter(legal_basis=rubric.legal_basis).select_related("category").first()
    if classification is None or classification.category.sheet_number != rubric.sheet_number:
        raise ScoringError(
            "wrong_sheet",
            _("Sheet %(number)s (%(title)s) is not the sheet of this product's set; classify the product first.")
            % {"number": rubric.sheet_number, "title": rubric.title},
        )
    sheet = rubric.to_sheet()
    if not isinstance(answers, Mapping):
        answers = answers_from_options(sheet, answers)
    result = score(sheet, answers, star_rules_for(rubric.legal_basis))
    assessment, _created = SelfAssessment.objects.select_for_update().get_or_create(
        product=product,
        rubric=rubric,
        defaults={"created_by": actor if getattr(actor, "is_authenticated", False) else None},
    )
    assessment.answers = dict(answers)
    assessment.total = result.total
    assessment.part_totals = {code: str(value) for code, value in result.part_totals.items()}
    assessment.proposed_star = result.proposed_star
    assessment.is_complete = result.complete
    assessment.save()
    log_action(
        product,
        "evaluation.selfassessment.save",
        actor=actor,
        data={"rubric": rubric.pk, "total": str(result.total), "star": result.proposed_star},
    )
    return assessment, result
