"""Read selectors of the evaluation app."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from ocop.evaluation.engine import Knockout, Node, Option, Sheet
from ocop.evaluation.enums import RubricStatus
from ocop.evaluation.models import RubricKnockout, RubricNode, RubricOption, RubricVersion, SelfAssessment
from ocop.legal.models import LegalBasis
from ocop.legal.selectors import legal_basis_in_force
from ocop.products.models import Product


def rubric_versions(legal_basis: LegalBasis | None = None) -> QuerySet[RubricVersion]:
    queryset = RubricVersion.objects.select_related("legal_basis", "category")
    if legal_basis is not None:
        queryset = queryset.filter(legal_basis=legal_basis)
    return queryset.order_by("legal_basis", "sheet_number", "-version")


def active_rubrics(legal_basis: LegalBasis) -> QuerySet[RubricVersion]:
    return rubric_versions(legal_basis).filter(status=RubricStatus.ACTIVE).order_by("sheet_number")


def active_rubric(legal_basis: LegalBasis, sheet_number: int) -> RubricVersion | None:
    return active_rubrics(legal_basis).filter(sheet_number=sheet_number).first()


def rubric_for_product(product: Product, day: dt.date | None = None) -> tuple[LegalBasis | None, RubricVersion | None]:
    """The basis in force and the sheet in use for the product's set under it (None if unclassified)."""
    basis = legal_basis_in_force(day or timezone.localdate())
    if basis is None:
        return None, None
    classification = product.classifications.filter(legal_basis=basis).select_related("category").first()
    if classification is None or classification.category.sheet_number is None:
        return basis, None
    return basis, active_rubric(basis, classification.category.sheet_number)


def rubric_rows(version: RubricVersion) -> list[RubricNode]:
    """All nodes of a version with their options and knock-outs, in sheet order (3 queries)."""
    return list(
        RubricNode.objects.filter(rubric=version)
        .prefetch_related(
            Prefetch("options", queryset=RubricOption.objects.order_by("position")),
            Prefetch("knockouts", queryset=RubricKnockout.objects.order_by("position")),
        )
        .order_by("position")
    )


def sheet_from_rows(version: RubricVersion) -> Sheet:
    """Rebuild the engine's sheet from the stored rows (``check_rubrics`` checks what is stored)."""
    rows = rubric_rows(version)
    children: dict[int | None, list[RubricNode]] = {}
    for row in rows:
        children.setdefault(row.parent_id, []).append(row)

    def build(row: RubricNode) -> Node:
        return Node(
            code=row.code,
            title=row.title,
            kind=row.kind,
            max_points=Decimal(row.max_points),
            children=tuple(build(child) for child in children.get(row.pk, [])),
            options=tuple(
                Option(option.key, option.label, Decimal(option.points), option.min_star, option.case)
                for option in row.options.all()
            ),
            notes=tuple(row.notes),
            requirement=row.requirement,
            applies_if=(row.applies_if_code, Decimal(row.applies_if_min_points)) if row.applies_if_code else None,
            case_labels={int(case): label for case, label in row.case_labels.items()},
            binary=row.is_binary,
        )

    knockouts = tuple(
        Knockout(item.key, item.kind, item.text, item.node.code if item.node_id else None, tuple(item.zero_in))
        for item in RubricKnockout.objects.filter(rubric=version).select_related("node").order_by("position")
    )
    return Sheet(
        key=f"rows:{version.pk}",
        title=version.title,
        parts=tuple(build(row) for row in children.get(None, [])),
        knockouts=knockouts,
        sheet_number=version.sheet_number,
    )


def self_assessments_for(product: Product) -> QuerySet[SelfAssessment]:
    return product.self_assessments.select_related("rubric", "rubric__legal_basis")
