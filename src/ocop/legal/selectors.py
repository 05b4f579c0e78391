"""Read selectors of the legal app."""

import datetime as dt
import functools

from django.db.models import Q, QuerySet

from ocop.legal.enums import LegalBasisKind
from ocop.legal.models import LegalBasis, WorkdayOverride
from ocop.legal.workdays import WorkingCalendar


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


def amendments_in_force(basis: LegalBasis, day: dt.date) -> list[LegalBasis]:
    return [amendment for amendment in basis.amendments.order_by("effective_from") if amendment.is_in_force_on(day)]


def effective_parameters(basis: LegalBasis, day: dt.date | None = None) -> dict:
    """The rule values of ``basis`` on ``day``: its own parameters, overridden by its amendments
    in force that day (148/QĐ-TTg from 06/07/2025 reads 1489's recognition and forwarding).

    Without a day, the last state of the basis (all its amendments) applies.
    """
    parameters = dict(basis.parameters)
    amendments = (
        amendments_in_force(basis, day) if day is not None else list(basis.amendments.order_by("effective_from"))
    )
    for amendment in amendments:
        parameters.update(amendment.parameters)
    return parameters


def rules_in_force(day: dt.date) -> tuple[LegalBasis, dict] | None:
    """The criteria decision for new evaluations on ``day`` and its effective parameters."""
    basis = legal_basis_in_force(day)
    if basis is None:
        return None
    return basis, effective_parameters(basis, day)


def rule_periods() -> list[dict]:
    """Each regime with its dates: a criteria decision alone, then with each amendment in force.

    1048 (+781 from 08/06/2020), 148 as enacted, 148 + 1489 (06/07/2025 →), 26/2026.
    """
    periods = []
    for basis in criteria_legal_bases().order_by("effective_from").prefetch_related("amendments"):
        amendments = sorted(basis.amendments.all(), key=lambda item: item.effective_from)
        starts = [basis.effective_from] + [item.effective_from for item in amendments]
        for index, start in enumerate(starts):
            end = starts[index + 1] - dt.timedelta(days=1) if index + 1 < len(starts) else basis.effective_to
            active = [item for item in amendments if item.is_in_force_on(start)]
            periods.append(
                {
                    "basis": basis,
                    "amendments": active,
                    "start": start,
                    "end": end,
                    "parameters": effective_parameters(basis, start),
                }
            )
    return periods


def working_calendar() -> WorkingCalendar:
    """The working-day calendar (lịch ngày làm việc): library holidays and weekends corrected by
    the ``WorkdayOverride`` rows.

    One small query per call; the calendar is cached per process for each distinct set of
    override rows, so any change to the rows (admin, loader, ``QuerySet.update``) is seen by the
    next call. The holiday years are cached once per process by ``legal.workdays``.
    """
    rows = tuple(WorkdayOverride.objects.order_by("date").values_list("date", "is_working_day", "reason"))
    return _calendar_for(rows)


@functools.lru_cache(maxsize=8)
def _calendar_for(rows: tuple[tuple[dt.date, bool, str], ...]) -> WorkingCalendar:
    return WorkingCalendar({day: (is_working, reason) for day, is_working, reason in rows})
