"""Working-day calendar for legal deadlines (ocop.legal.workdays), without the database.

Expected dates are counted by hand on the 2026 and 2027 calendars (01/01/2026 is a Thursday,
01/01/2027 a Friday) with the holidays of ``holidays.country_holidays("VN")``.
"""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ocop.legal.workdays import DayOverride, WorkingCalendar

pytestmark = [pytest.mark.unit]

D = dt.date
CALENDAR = WorkingCalendar()


def non_working_days(calendar: WorkingCalendar, start: dt.date, end: dt.date) -> list[dt.date]:
    days = [start + dt.timedelta(days=offset) for offset in range((end - start).days + 1)]
    return [day for day in days if not calendar.is_working_day(day)]


# ---------------------------------------------------------------------- weekends


def test_weekdays_are_working_days_and_weekends_are_not():
    # Monday 16/11/2026 to Sunday 22/11/2026.
    week = [D(2026, 11, 16) + dt.timedelta(days=offset) for offset in range(7)]

    assert [CALENDAR.is_working_day(day) for day in week] == [True, True, True, True, True, False, False]
    assert [CALENDAR.non_working_reason(day) for day in week[:5]] == [None] * 5


def test_weekend_reasons_are_translated(english):
    assert CALENDAR.non_working_reason(D(2026, 11, 21)) == "Saturday"
    assert CALENDAR.non_working_reason(D(2026, 11, 22)) == "Sunday"


def test_a_holiday_on_a_sunday_gives_its_name_not_the_weekday():
    assert CALENDAR.non_working_reason(D(2026, 4, 26)) == "Ngày Giỗ Tổ Hùng Vương"
    assert CALENDAR.non_working_reason(D(2026, 4, 27)) == "Ngày Giỗ Tổ Hùng Vương (nghỉ bù)"


def test_saturday_worked_in_exchange_is_a_working_day():
    # Saturday 22/08/2026 is worked; Monday 31/08/2026 is off instead (bridge to 1–2/9).
    assert CALENDAR.is_working_day(D(2026, 8, 22))
    assert CALENDAR.non_working_reason(D(2026, 8, 22)) is None
    assert CALENDAR.non_working_reason(D(2026, 8, 31)) == "Ngày nghỉ (thay cho ngày 22/08/2026)"
    assert CALENDAR.add_working_days(D(2026, 8, 21), 1) == D(2026, 8, 22)
    assert CALENDAR.working_days_between(D(2026, 8, 21), D(2026, 8, 24)) == 2


def test_saturday_worked_in_2025_is_a_working_day():
    assert CALENDAR.is_working_day(D(2025, 4, 26))
    assert not CALENDAR.is_working_day(D(2025, 4, 19))


# ---------------------------------------------------------------------- holidays


def test_tet_2026_is_monday_16_to_friday_20_february():
    assert non_working_days(CALENDAR, D(2026, 2, 12), D(2026, 2, 24)) == [
        D(2026, 2, 14),
        D(2026, 2, 15),
        D(2026, 2, 16),
        D(2026, 2, 17),
        D(2026, 2, 18),
        D(2026, 2, 19),
        D(2026, 2, 20),
        D(2026, 2, 21),
        D(2026, 2, 22),
    ]
    assert CALENDAR.non_working_reason(D(2026, 2, 17)) == "Tết Nguyên Đán"
    assert CALENDAR.non_working_reason(D(2026, 2, 16)) == "Giao thừa Tết Nguyên Đán"


def test_tet_2027_is_thursday_4_to_wednesday_10_february():
    # Tết falls on Saturday 06/02/2027: the days lost to the weekend are taken on 9–10/02.
    assert non_working_days(CALENDAR, D(2027, 2, 1), D(2027, 2, 14)) == [
        D(2027, 2, 4),
        D(2027, 2, 5),
        D(2027, 2, 6),
        D(2027, 2, 7),
        D(2027, 2, 8),
        D(2027, 2, 9),
        D(2027, 2, 10),
        D(2027, 2, 13),
        D(2027, 2, 14),
    ]
    assert CALENDAR.non_working_reason(D(2027, 2, 6)) == "Tết Nguyên Đán"


def test_the_fixed_holidays_of_2026():
    assert {
        day: CALENDAR.non_working_reason(day)
        for day in [D(2026, 1, 1), D(2026, 4, 30), D(2026, 5, 1), D(2026, 9, 1), D(2026, 9, 2), D(2026, 11, 24)]
    } == {
        D(2026, 1, 1): "Tết Dương lịch",
        D(2026, 4, 30): "Ngày Chiến thắng",
        D(2026, 5, 1): "Ngày Quốc tế Lao động",
        D(2026, 9, 1): "Quốc khánh",
        D(2026, 9, 2): "Quốc khánh",
        D(2026, 11, 24): "Ngày Văn hóa Việt Nam",
    }


# ---------------------------------------------------------------------- 15 working days (Art. 7.2)


@pytest.mark.parametrize(
    ("start", "due"),
    [
        # Tue 10/02/2026: 11, 12, 13/02; Tết 16–20/02; 23–27/02; 02–06/03; 09, 10/03.
        (D(2026, 2, 10), D(2026, 3, 10)),
        # Fri 13/02/2026, the last working day before Tết: 23–27/02, 02–06/03, 09–13/03.
        (D(2026, 2, 13), D(2026, 3, 13)),
        # Mon 01/02/2027: 02, 03/02; Tết 04–10/02; 11, 12/02; 15–19/02; 22–26/02; 01/03.
        (D(2027, 2, 1), D(2027, 3, 1)),
        # Fri 24/04/2026: 27/04 off (Hùng Kings on Sunday), 28, 29/04; 30/04, 01/05 off; 04–08/05; 11–15/05; 18–20/05.
        (D(2026, 4, 24), D(2026, 5, 20)),
        # Thu 20/08/2026: 21/08, Sat 22/08 worked, 24–28/08; 31/08–02/09 off; 03, 04/09; 07–11/09; 14/09.
        (D(2026, 8, 20), D(2026, 9, 14)),
        # No holiday: Mon 02/11/2026 → 03–06/11, 09–13/11, 16–20/11, 23/11 (24/11 is Ngày Văn hóa Việt Nam).
        (D(2026, 11, 2), D(2026, 11, 23)),
        # Across 24/11/2026: Mon 09/11 → 10–13/11, 16–20/11, 23/11, 25–27/11, 30/11, 01/12.
        (D(2026, 11, 9), D(2026, 12, 1)),
    ],
)
def test_fifteen_working_days(start, due):
    assert CALENDAR.add_working_days(start, 15) == due
    assert CALENDAR.working_days_between(start, due) == 15
    assert CALENDAR.working_days_between(due, start) == -15


def test_counting_from_a_day_off_starts_at_the_next_working_day():
    # Received on Saturday 14/02/2026 (before Tết): the first working day is Monday 23/02.
    assert CALENDAR.add_working_days(D(2026, 2, 14), 1) == D(2026, 2, 23)
    assert CALENDAR.add_working_days(D(2026, 2, 14), 15) == D(2026, 3, 13)


def test_zero_working_days_is_the_day_itself_or_the_next_working_day():
    assert CALENDAR.add_working_days(D(2026, 2, 13), 0) == D(2026, 2, 13)
    assert CALENDAR.add_working_days(D(2026, 2, 14), 0) == D(2026, 2, 23)
    assert CALENDAR.add_working_days(D(2026, 8, 22), 0) == D(2026, 8, 22)


def test_a_negative_count_is_refused():
    with pytest.raises(ValueError, match="n must be >= 0"):
        CALENDAR.add_working_days(D(2026, 2, 10), -1)


# ---------------------------------------------------------------------- between and left


def test_working_days_between_counts_the_end_but_not_the_start():
    assert CALENDAR.working_days_between(D(2026, 11, 16), D(2026, 11, 16)) == 0
    assert CALENDAR.working_days_between(D(2026, 11, 16), D(2026, 11, 17)) == 1
    # Fri 13/02/2026 → Mon 23/02/2026: weekends and Tết in between.
    assert CALENDAR.working_days_between(D(2026, 2, 13), D(2026, 2, 23)) == 1
    assert CALENDAR.working_days_between(D(2026, 2, 23), D(2026, 2, 13)) == -1
    # Sat 14/02 → Sun 22/02/2026: nothing but days off.
    assert CALENDAR.working_days_between(D(2026, 2, 14), D(2026, 2, 22)) == 0


def test_working_days_between_is_antisymmetric_over_a_year():
    start = D(2026, 1, 1)
    for offset in range(0, 400, 7):
        end = start + dt.timedelta(days=offset)
        assert CALENDAR.working_days_between(start, end) == -CALENDAR.working_days_between(end, start)


def test_working_days_in_2026():
    # 261 weekdays; holidays on weekdays: 01/01, 16–20/02, 27/04, 30/04, 01/05, 31/08, 01/09, 02/09,
    # 24/11 (13 days); Saturday 22/08 worked: 261 - 13 + 1 = 249.
    assert CALENDAR.working_days_between(D(2025, 12, 31), D(2026, 12, 31)) == 249


@pytest.mark.parametrize(
    ("due", "today", "left"),
    [
        (D(2026, 3, 10), D(2026, 2, 10), 15),
        (D(2026, 3, 10), D(2026, 3, 9), 1),
        (D(2026, 3, 10), D(2026, 3, 10), 0),
        (D(2026, 3, 10), D(2026, 3, 11), -1),
        (D(2026, 3, 10), D(2026, 3, 16), -4),
        # Overdue on the weekend after a Friday due date.
        (D(2026, 3, 13), D(2026, 3, 14), -1),
        (D(2026, 3, 13), D(2026, 3, 16), -1),
        (D(2026, 3, 13), D(2026, 3, 17), -2),
        # On Friday 13/02/2026, a due date on Monday 23/02 after Tết is the next working day.
        (D(2026, 2, 23), D(2026, 2, 13), 1),
        # A due date on a day off moves to the next working day (Civil Code Art. 148.5).
        (D(2026, 2, 17), D(2026, 2, 13), 1),
        (D(2026, 2, 17), D(2026, 2, 20), 1),
        (D(2026, 2, 17), D(2026, 2, 23), 0),
        (D(2026, 2, 17), D(2026, 2, 24), -1),
    ],
)
def test_working_days_left(due, today, left):
    assert CALENDAR.working_days_left(due, today) == left


# ---------------------------------------------------------------------- overrides


def test_an_override_makes_a_weekday_a_day_off_and_moves_the_deadline():
    calendar = WorkingCalendar({D(2026, 2, 11): (False, "Nghỉ theo quyết định của tỉnh")})

    assert calendar.non_working_reason(D(2026, 2, 11)) == "Nghỉ theo quyết định của tỉnh"
    # 12, 13/02; Tết; 23–27/02; 02–06/03; 09–11/03.
    assert calendar.add_working_days(D(2026, 2, 10), 15) == D(2026, 3, 11)
    assert calendar.working_days_between(D(2026, 2, 10), D(2026, 3, 10)) == 14
    assert CALENDAR.add_working_days(D(2026, 2, 10), 15) == D(2026, 3, 10)


def test_an_override_makes_a_saturday_or_a_holiday_a_working_day():
    calendar = WorkingCalendar({D(2026, 2, 14): (True, "Làm bù"), D(2026, 2, 20): (True, "Làm bù")})

    assert calendar.is_working_day(D(2026, 2, 14))
    assert calendar.non_working_reason(D(2026, 2, 20)) is None
    # 11, 12, 13, 14/02, 20/02, 23–27/02, 02–06/03.
    assert calendar.add_working_days(D(2026, 2, 10), 15) == D(2026, 3, 6)


def test_an_override_can_cancel_a_library_swap():
    calendar = WorkingCalendar({D(2026, 8, 22): (False, "")})

    assert not calendar.is_working_day(D(2026, 8, 22))
    assert calendar.overrides == {D(2026, 8, 22): DayOverride(False, "")}


def test_an_override_without_a_reason_gives_a_generic_one(english):
    calendar = WorkingCalendar({D(2026, 8, 22): (False, "")})

    assert calendar.non_working_reason(D(2026, 8, 22)) == "Day off"


def test_the_overrides_of_a_calendar_are_read_only():
    calendar = WorkingCalendar({D(2026, 2, 11): (False, "Nghỉ")})

    with pytest.raises(TypeError):
        calendar.overrides[D(2026, 2, 12)] = DayOverride(False, "Nghỉ")  # type: ignore[index]
    assert repr(calendar) == "<WorkingCalendar VN overrides=1>"


# ---------------------------------------------------------------------- properties

dates = st.dates(min_value=D(2024, 1, 1), max_value=D(2030, 12, 31))
no_deadline = settings(deadline=None)


@no_deadline
@given(day=dates, n=st.integers(min_value=1, max_value=60))
def test_counting_back_the_added_working_days_gives_n(day, n):
    due = CALENDAR.add_working_days(day, n)

    assert CALENDAR.working_days_between(day, due) == n
    assert CALENDAR.working_days_between(due, day) == -n
    assert CALENDAR.is_working_day(due)
    assert CALENDAR.working_days_left(due, day) == n


@no_deadline
@given(day=dates)
def test_zero_working_days_counts_zero_from_a_working_day_and_one_from_a_day_off(day):
    due = CALENDAR.add_working_days(day, 0)

    assert CALENDAR.is_working_day(due)
    if CALENDAR.is_working_day(day):
        assert (due, CALENDAR.working_days_between(day, due)) == (day, 0)
    else:
        # From a day off, "due today" and "due in one working day" are the same day.
        assert (due, CALENDAR.working_days_between(day, due)) == (CALENDAR.add_working_days(day, 1), 1)


@no_deadline
@given(start=dates, end=dates)
def test_working_days_between_changes_sign_when_swapped(start, end):
    assert CALENDAR.working_days_between(start, end) == -CALENDAR.working_days_between(end, start)


@no_deadline
@given(day=dates, n=st.integers(min_value=1, max_value=59))
def test_one_more_working_day_is_the_next_working_day(day, n):
    due = CALENDAR.add_working_days(day, n)

    assert CALENDAR.add_working_days(day, n + 1) == CALENDAR.add_working_days(due + dt.timedelta(days=1), 0)
