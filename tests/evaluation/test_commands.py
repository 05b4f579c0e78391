"""``ocop check_rubrics``: proves the stored sheets are consistent, and fails loudly when they are not."""

import io

import pytest
from django.core.management import CommandError, call_command

from ocop.evaluation.models import RubricOption
from ocop.evaluation.services import create_rubric_version
from tests.evaluation.views import active_version

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def _run(*args) -> tuple[list[str], CommandError | None]:
    out = io.StringIO()
    try:
        call_command("check_rubrics", *args, stdout=out)
    except CommandError as error:
        return out.getvalue().splitlines(), error
    return out.getvalue().splitlines(), None


def test_check_rubrics_passes_on_the_loaded_sheets():
    lines, error = _run()
    assert error is None
    ok = [line for line in lines if line.startswith("ok   ")]
    assert len(ok) == 26
    assert not [line for line in lines if line.startswith("FAIL")]
    assert ok[0].startswith("ok   QĐ 26/2026 sheet  1 v1 (active): A 40/B 25/C 35, ")
    assert lines[-1] == "All 26 sheets are consistent."


def test_check_rubrics_fails_on_an_option_above_its_criterion_maximum():
    version = active_version(1)
    # A queryset update bypasses the model's lock, as a hand-edited database would.
    changed = RubricOption.objects.filter(node__rubric=version, node__code="1.1", position=1).update(points=7)
    assert changed == 1

    lines, error = _run()
    assert error is not None
    assert str(error) == "1 of 26 sheets are inconsistent."
    (fail,) = [line for line in lines if line.startswith("FAIL")]
    assert fail.startswith("FAIL QĐ 26/2026 sheet  1 v1 (active): ")
    assert "1.1" in fail
    assert "stored rows differ from the version data in 1 places" in fail
    assert len([line for line in lines if line.startswith("ok   ")]) == 25


def test_check_rubrics_all_includes_drafts():
    version = active_version(1)
    create_rubric_version(version.legal_basis, dict(version.data))
    lines, error = _run("--all")
    assert error is None, "\n".join(lines)
    assert any(line.startswith("ok   QĐ 26/2026 sheet  1 v2 (draft)") for line in lines)
    assert lines[-1] == "All 27 sheets are consistent."


def test_check_rubrics_does_not_depend_on_the_active_language(english):
    lines, error = _run()
    assert error is None, "\n".join(line for line in lines if line.startswith("FAIL"))
