"""Speed of the dossier workflow pieces (run with `make bench`; disabled in the normal test run).

Goals (2-core machine): a working-day deadline (15 days) under 1 ms once the year's holidays are
loaded; the commune inbox of a busy commune (200 open dossiers, countdowns included) under 300 ms;
the completeness check of a filled dossier (every wizard page runs it) under 100 ms.
Measured 2026-11-23 (busy machine, other jobs running): 365 deadlines of 15 working days median
29 ms (0.08 ms each); inbox of 200 dossiers with countdowns median 256 ms (1.6 s before the list
stopped loading the criteria-sheet JSON and translating weekday names); completeness check median
29 ms.
"""

import datetime as dt

import pytest

from ocop.dossiers.enums import DossierKind
from ocop.dossiers.models import Dossier
from ocop.dossiers.selectors import commune_inbox, with_deadlines
from ocop.dossiers.services import create_dossier, dossier_missing_items
from ocop.legal.workdays import WorkingCalendar
from tests.factories.dossiers import classified_product, fill_dossier, make_world, submitted_dossier


@pytest.mark.unit
def test_bench_fifteen_working_days(benchmark):
    calendar = WorkingCalendar()
    starts = [dt.date(2026, 1, 1) + dt.timedelta(days=n) for n in range(365)]
    calendar.add_working_days(starts[0], 15)  # load the year's holidays once

    def deadlines():
        return [calendar.add_working_days(start, 15) for start in starts]

    result = benchmark(deadlines)
    assert result[0] == dt.date(2026, 1, 22)  # 01/01 is a holiday


@pytest.mark.integration
@pytest.mark.django_db
def test_bench_commune_inbox_with_countdowns(benchmark, units):
    world = make_world(units)
    template = submitted_dossier(world)
    clones = []
    for n in range(1, 200):
        product = classified_product(world.producer, name=f"Sản phẩm {n}")
        clone = Dossier.objects.get(pk=template.pk)
        clone.pk = None
        clone.product = product
        clone.receipt_number = f"{n + 1}/PĐK-24-07288-{template.year}"
        clone.receipt_sequence = n + 1
        clones.append(clone)
    Dossier.objects.bulk_create(clones)

    def inbox():
        return with_deadlines(commune_inbox(world.commune_officer))

    rows = benchmark(inbox)
    assert len(rows) == 200


@pytest.mark.integration
@pytest.mark.django_db
def test_bench_completeness_check(benchmark, units):
    world = make_world(units)
    dossier = fill_dossier(
        create_dossier(world.product, kind=DossierKind.FIRST, actor=world.producer_user), world.producer_user
    )
    missing = benchmark(dossier_missing_items, dossier)
    assert [item for item in missing if item.blocking] == []
