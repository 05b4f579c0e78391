"""Receipt numbers under concurrent submissions (PostgreSQL row locks; SQLite serialises writers)."""

import threading

import pytest
from django.db import connection

from ocop.dossiers.enums import DossierKind, DossierState
from ocop.dossiers.models import Dossier, ReceiptCounter
from ocop.dossiers.services import allocate_receipt_number, create_dossier, submit_dossier
from tests.factories.dossiers import classified_product, fill_dossier, make_world

pytestmark = [pytest.mark.integration]


@pytest.mark.django_db
def test_receipt_counter_starts_at_one_and_counts_up(units):
    assert allocate_receipt_number(units.yen_the, 2026) == (1, "1/PĐK-24-07288-2026")
    assert allocate_receipt_number(units.yen_the, 2026) == (2, "2/PĐK-24-07288-2026")
    assert allocate_receipt_number(units.bo_ha, 2026) == (1, "1/PĐK-24-07294-2026")
    assert ReceiptCounter.objects.get(commune=units.yen_the, year=2026).last_sequence == 2


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_get_distinct_consecutive_receipt_numbers(reference_data, units):
    """Six producers' dossiers in one commune submitted at the same moment."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no row locks (select_for_update is ignored) and serialises writers anyway")
    world = make_world(units)
    dossiers = []
    for n in range(6):
        product = classified_product(world.producer, name=f"Sản phẩm đồng thời {n}")
        dossier = create_dossier(product, kind=DossierKind.FIRST, actor=world.producer_user)
        dossiers.append(fill_dossier(dossier, world.producer_user))
    barrier = threading.Barrier(len(dossiers))
    failures: list[BaseException] = []

    def submit(dossier):
        try:
            barrier.wait(timeout=30)
            submit_dossier(dossier, actor=world.producer_user, expected_version=dossier.version)
        except BaseException as exc:  # reported by the main thread
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(dossier,)) for dossier in dossiers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert failures == []
    submitted = Dossier.objects.filter(state=DossierState.SUBMITTED)
    assert sorted(submitted.values_list("receipt_sequence", flat=True)) == [1, 2, 3, 4, 5, 6]
    year = submitted.first().received_on.year
    assert sorted(submitted.values_list("receipt_number", flat=True)) == sorted(
        f"{n}/PĐK-24-07288-{year}" for n in range(1, 7)
    )


@pytest.mark.django_db(transaction=True)
def test_concurrent_first_counter_creation_does_not_fail(reference_data, units):
    """Two transactions creating the year's counter at once: one inserts, the other waits and counts on."""
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent transactions (PostgreSQL)")
    barrier = threading.Barrier(4)
    results: list[int] = []
    failures: list[BaseException] = []

    def allocate():
        from django.db import transaction

        try:
            barrier.wait(timeout=30)
            with transaction.atomic():
                results.append(allocate_receipt_number(units.yen_the, 2031)[0])
        except BaseException as exc:
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=allocate) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert failures == []
    assert sorted(results) == [1, 2, 3, 4]
