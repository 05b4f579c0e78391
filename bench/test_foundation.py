"""Speed goals of the foundation (run with `make bench`; disabled in the normal test run).

Goals (2-core machine, SQLite): the unit browser search over both maps (14,166 units) answers under
50 ms; a scoped producer list page (25 of 1,000 matching rows out of 2,000) renders under 300 ms.
Measured 2026-11-23 with the machine busy: search min 15 ms / median 25 ms; list min 133 ms /
median 230 ms.
"""

import pytest
from django.test import Client
from django.urls import reverse

from ocop.geography.selectors import search_units
from tests.factories.producers import ProducerFactory
from tests.utils import make_user_with_role

pytestmark = [pytest.mark.django_db]


def test_bench_unit_search(benchmark):
    result = benchmark(lambda: [u.name for u in search_units("son ha", include_legacy=True)[:25]])
    assert result[0] == "Xã Sơn Hà"


def test_bench_scoped_producer_list(benchmark, units):
    communes = [units.yen_the, units.bo_ha, units.nam_hong_linh, units.son_ha]
    for index in range(2000):
        ProducerFactory(name=f"HTX số {index}", address_unit=communes[index % len(communes)])
    client = Client()
    client.force_login(make_user_with_role("province-agency", units.bac_ninh))
    url = reverse("producers:producer_list")

    response = benchmark(lambda: client.get(url, {"q": "htx"}))
    assert response.context["table"].page.paginator.count == 1000
