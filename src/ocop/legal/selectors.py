"""Read selectors of the legal app."""

import datetime as dt

from django.db.models import Q, QuerySet

from ocop.legal.enums import LegalBasisKind
from ocop.legal.models import LegalBasis


def criteria_legal_bases() -> QuerySet[LegalBasis]:
    """Decisions that carry their own criteria and taxonomy (not amendments), newest first."""
    return LegalBasis.objects.filter(kind=LegalBasisKind.OCOP_CRITERIA)


def legal_basis_in_force(day: dt.date) -> LegalBasis | None:
    """The criteria decision that governs new evaluations on ``day`` (None before 1048/2019)."""
    return (
        criteria_legal_bases()
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=day), effective_from__lte=day)
        .order_by("-effective_from")
        .first()
    )


def get_legal_basis(code: str) -> LegalBasis:
    return LegalBasis.objects.get(code=code)
