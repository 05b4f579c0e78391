"""Working-day overrides (ngày nghỉ/làm việc bù): model, loading from the data file, selector."""

import datetime as dt
import json

import pytest

from ocop.legal.models import WorkdayOverride
from ocop.legal.selectors import working_calendar
from ocop.legal.services import WORKDAY_OVERRIDES_FILE, load_legal_bases, load_workday_overrides

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

D = dt.date


def _rows() -> list[tuple]:
    return list(WorkdayOverride.objects.values_list("date", "is_working_day", "reason", "source", "is_from_data_file"))


def _write(tmp_path, overrides: list[dict]):
    path = tmp_path / "workday_overrides.json"
    path.write_text(json.dumps({"_comment": "test", "overrides": overrides}, ensure_ascii=False), encoding="utf-8")
    return path


DAY_OFF = {"date": "2026-02-11", "is_working_day": False, "reason": "Nghỉ bù (thử)", "source": "CV 1/UBND"}
SATURDAY_WORKED = {"date": "2026-02-14", "is_working_day": True, "reason": "Làm bù (thử)", "source": "CV 1/UBND"}


# ---------------------------------------------------------------------- model


def test_override_str_and_ordering():
    WorkdayOverride.objects.create(date=D(2026, 3, 2), is_working_day=False, reason="Nghỉ")
    WorkdayOverride.objects.create(date=D(2026, 2, 14), is_working_day=True, reason="Làm bù")

    assert [str(row) for row in WorkdayOverride.objects.all()] == ["14/02/2026: Làm bù", "02/03/2026: Nghỉ"]


# ---------------------------------------------------------------------- loading


def test_the_shipped_file_is_valid_and_loaded_by_load_legal_bases():
    data = json.loads(WORKDAY_OVERRIDES_FILE.read_text(encoding="utf-8"))

    assert load_legal_bases() == 5
    assert load_workday_overrides() == len(data["overrides"])
    assert WorkdayOverride.objects.filter(is_from_data_file=True).count() == len(data["overrides"])


def test_load_legal_bases_loads_the_overrides_file(tmp_path):
    load_legal_bases(overrides_path=_write(tmp_path, [DAY_OFF]))

    assert _rows() == [(D(2026, 2, 11), False, "Nghỉ bù (thử)", "CV 1/UBND", True)]


def test_loading_is_idempotent_and_restores_edited_rows(tmp_path):
    path = _write(tmp_path, [DAY_OFF, SATURDAY_WORKED])
    assert load_workday_overrides(path) == 2
    pks = dict(WorkdayOverride.objects.values_list("date", "pk"))
    WorkdayOverride.objects.filter(date=D(2026, 2, 11)).update(reason="Sửa tay", is_working_day=True)

    assert load_workday_overrides(path) == 2

    assert dict(WorkdayOverride.objects.values_list("date", "pk")) == pks
    assert _rows() == [
        (D(2026, 2, 11), False, "Nghỉ bù (thử)", "CV 1/UBND", True),
        (D(2026, 2, 14), True, "Làm bù (thử)", "CV 1/UBND", True),
    ]


def test_loading_removes_file_rows_left_out_and_keeps_admin_rows(tmp_path):
    load_workday_overrides(_write(tmp_path, [DAY_OFF, SATURDAY_WORKED]))
    WorkdayOverride.objects.create(date=D(2026, 3, 2), is_working_day=False, reason="Nghỉ của tỉnh", source="QĐ 9")

    assert load_workday_overrides(_write(tmp_path, [SATURDAY_WORKED])) == 1

    assert _rows() == [
        (D(2026, 2, 14), True, "Làm bù (thử)", "CV 1/UBND", True),
        (D(2026, 3, 2), False, "Nghỉ của tỉnh", "QĐ 9", False),
    ]


def test_the_file_does_not_overwrite_an_admin_row_on_the_same_date(tmp_path):
    WorkdayOverride.objects.create(date=D(2026, 2, 11), is_working_day=True, reason="Làm việc", source="QĐ 9")

    load_workday_overrides(_write(tmp_path, [DAY_OFF]))

    assert _rows() == [(D(2026, 2, 11), True, "Làm việc", "QĐ 9", False)]


def test_the_source_is_optional_in_the_file(tmp_path):
    load_workday_overrides(_write(tmp_path, [{"date": "2026-02-11", "is_working_day": False, "reason": "Nghỉ"}]))

    assert _rows() == [(D(2026, 2, 11), False, "Nghỉ", "", True)]


def test_a_date_listed_twice_is_refused_and_nothing_is_written(tmp_path):
    with pytest.raises(ValueError, match="lists a date twice"):
        load_workday_overrides(_write(tmp_path, [DAY_OFF, {**DAY_OFF, "reason": "Khác"}]))

    assert _rows() == []


# ---------------------------------------------------------------------- selector


def test_working_calendar_without_overrides_follows_the_library():
    calendar = working_calendar()

    assert calendar.overrides == {}
    # Tue 10/02/2026 + 15 working days, Tết 16–20/02 skipped (tests/legal/test_workdays.py).
    assert calendar.add_working_days(D(2026, 2, 10), 15) == D(2026, 3, 10)
    assert calendar.is_working_day(D(2026, 8, 22))


def test_an_override_row_moves_the_deadline_at_once():
    assert working_calendar().add_working_days(D(2026, 2, 10), 15) == D(2026, 3, 10)

    row = WorkdayOverride.objects.create(date=D(2026, 2, 11), is_working_day=False, reason="Nghỉ của tỉnh")

    calendar = working_calendar()
    assert calendar.non_working_reason(D(2026, 2, 11)) == "Nghỉ của tỉnh"
    assert calendar.add_working_days(D(2026, 2, 10), 15) == D(2026, 3, 11)

    row.reason = "Nghỉ bù"
    row.save()
    assert working_calendar().non_working_reason(D(2026, 2, 11)) == "Nghỉ bù"

    # A bulk update does not touch updated_at; the calendar still sees it.
    WorkdayOverride.objects.filter(pk=row.pk).update(is_working_day=True)
    assert working_calendar().is_working_day(D(2026, 2, 11))

    row.delete()
    assert working_calendar().add_working_days(D(2026, 2, 10), 15) == D(2026, 3, 10)


def test_an_override_row_makes_a_saturday_a_working_day():
    WorkdayOverride.objects.create(date=D(2026, 2, 14), is_working_day=True, reason="Làm bù")

    # 11, 12, 13, 14/02; Tết; 23–27/02; 02–06/03; 09/03.
    assert working_calendar().add_working_days(D(2026, 2, 10), 15) == D(2026, 3, 9)


def test_working_calendar_is_reused_while_the_rows_do_not_change(django_assert_num_queries):
    WorkdayOverride.objects.create(date=D(2026, 2, 11), is_working_day=False, reason="Nghỉ")

    with django_assert_num_queries(1):
        first = working_calendar()
    with django_assert_num_queries(1):
        assert working_calendar() is first
