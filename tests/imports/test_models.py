import re

import pytest

from ocop.imports.enums import ImportState
from ocop.imports.models import ImportJob, import_upload_path
from tests.utils import make_user_with_role

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_upload_path_is_random_and_keeps_the_suffix():
    job = ImportJob(kind="products")
    first, second = import_upload_path(job, "Danh Sách.XLSX"), import_upload_path(job, "Danh Sách.XLSX")
    assert re.fullmatch(r"imports/products/[0-9a-f]{32}\.xlsx", first)
    assert first != second


@pytest.mark.parametrize(
    ("total", "processed", "percent"), [(0, 0, 0), (200, 50, 25), (3, 1, 33), (3, 2, 67), (10, 12, 100)]
)
def test_percent(total, processed, percent):
    assert ImportJob(total_rows=total, processed_rows=processed).percent == percent


@pytest.mark.parametrize(
    ("state", "running", "color"),
    [
        ("queued", True, "secondary"),
        ("checking", True, "info"),
        ("checked", False, "primary"),
        ("import_queued", True, "secondary"),
        ("importing", True, "info"),
        ("done", False, "success"),
        ("failed", False, "danger"),
        ("cancelled", False, "secondary"),
    ],
)
def test_state_flags_and_colours(state, running, color):
    job = ImportJob(state=state)
    assert (job.is_running, job.get_state_color(), ImportState(state).get_color()) == (running, color, color)


def test_str_and_url(units):
    job = ImportJob(kind="producers", file="imports/producers/x.xlsx", original_filename="chu-the.xlsx")
    job.created_by = make_user_with_role("province-agency", units.bac_ninh)
    job.save()
    assert job.get_absolute_url() == f"/imports/jobs/{job.pk}/"
    assert str(job).endswith(": chu-the.xlsx")
