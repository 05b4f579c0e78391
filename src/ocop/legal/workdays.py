"""Working-day calendar (lịch ngày làm việc) for legal deadlines counted in working days.

26/2026/QĐ-TTg counts several deadlines in working days (ngày làm việc), e.g. the commune reviews
a dossier within 15 working days (Art. 7.2). A day is a working day unless it is:

- a public holiday (ngày nghỉ lễ, Tết) or a compensatory day off (nghỉ bù) known to the PyPI
  ``holidays`` package (``country_holidays("VN", language="vi")``): Tết Dương lịch, lunar Tết,
  Giỗ Tổ Hùng Vương, 30/4, 1/5, Quốc khánh 2/9 and its extra day, Ngày Văn hóa Việt Nam 24/11,
  and the day swaps announced by the government (e.g. 31/08/2026 off in exchange for 22/08/2026);
- a Saturday or Sunday, except a Saturday made a working day by such a swap (the library's
  ``weekend_workdays``, e.g. 22/08/2026);

and an *override* (``legal.WorkdayOverride``: a swap the library does not know, e.g. decided by a
province) has the last word on its date in both directions.

Counting convention: ``add_working_days(start, n)`` returns the n-th working day *after*
``start``; ``start`` itself is never counted (the period starts the day after the event, Civil
Code 2015 Art. 147). ``n = 0`` returns ``start`` when it is a working day, else the next working
day: a deadline falling on a day off ends on the next working day (Civil Code 2015 Art. 148.5).
``working_days_between(start, end)`` counts the working days in ``(start, end]``, so
``working_days_between(d, add_working_days(d, n)) == n`` for every ``n >= 1``.

Pure layer-0 module: no database access; the selector ``legal.selectors.working_calendar()``
builds one with the overrides stored in the database.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from types import MappingProxyType
from typing import NamedTuple

import holidays
from django.utils.translation import pgettext

COUNTRY = "VN"
LANGUAGE = "vi"
SATURDAY, SUNDAY = 5, 6
ONE_DAY = dt.timedelta(days=1)


class DayOverride(NamedTuple):
    """What an override says about its date: a working day or not, and why."""

    is_working_day: bool
    reason: str


class _LibraryYear(NamedTuple):
    holidays: dict[dt.date, str]
    weekend_workdays: frozenset[dt.date]


@functools.cache
def _library_year(year: int) -> _LibraryYear:
    """The holidays and the Saturdays made working days of ``year``, computed once per process."""
    calendar = holidays.country_holidays(COUNTRY, years=year, language=LANGUAGE)
    return _LibraryYear(
        holidays={day: name for day, name in calendar.items() if day.year == year},
        # The set also holds swaps of other years that the class lists statically.
        weekend_workdays=frozenset(day for day in calendar.weekend_workdays if day.year == year),
    )


class WorkingCalendar:
    """Vietnamese working days: library holidays and weekends, corrected by ``overrides``.

    ``overrides`` maps a date to ``(is_working_day, reason)``; the reason is returned by
    :meth:`non_working_reason` for a day made non-working.
    """

    def __init__(self, overrides: Mapping[dt.date, tuple[bool, str]] | None = None) -> None:
        # Read-only: the selector shares one calendar between callers.
        self.overrides: Mapping[dt.date, DayOverride] = MappingProxyType(
            {day: DayOverride(bool(is_working), str(reason)) for day, (is_working, reason) in (overrides or {}).items()}
        )

    def __repr__(self) -> str:
        return f"<WorkingCalendar {COUNTRY} overrides={len(self.overrides)}>"

    # ------------------------------------------------------------------ single days

    def is_working_day(self, day: dt.date) -> bool:
        # The same order as ``non_working_reason`` without building (translated) reasons.
        override = self.overrides.get(day)
        if override is not None:
            return override.is_working_day
        year = _library_year(day.year)
        if day in year.holidays:
            return False
        if day in year.weekend_workdays:
            return True
        return day.weekday() not in (SATURDAY, SUNDAY)

    def non_working_reason(self, day: dt.date) -> str | None:
        """Why ``day`` is not a working day, or None on a working day.

        The override's reason, else the holiday's Vietnamese name from the library (it wins over
        the weekend: Sunday 26/04/2026 is "Ngày Giỗ Tổ Hùng Vương"), else Saturday or Sunday.
        """
        override = self.overrides.get(day)
        if override is not None:
            if override.is_working_day:
                return None
            return override.reason or pgettext("non-working day", "Day off")
        year = _library_year(day.year)
        if day in year.holidays:
            return year.holidays[day]
        if day in year.weekend_workdays:
            return None
        if day.weekday() == SATURDAY:
            return pgettext("non-working day", "Saturday")
        if day.weekday() == SUNDAY:
            return pgettext("non-working day", "Sunday")
        return None

    # ------------------------------------------------------------------ counting

    def add_working_days(self, start: dt.date, n: int) -> dt.date:
        """The n-th working day after ``start`` (``start`` not counted); ``n >= 0``.

        ``n = 0`` gives ``start`` if it is a working day, else the next working day (a deadline
        on a day off moves to the next working day).
        """
        if n < 0:
            raise ValueError("n must be >= 0")
        day = start
        if n == 0:
            while not self.is_working_day(day):
                day += ONE_DAY
            return day
        while n:
            day += ONE_DAY
            if self.is_working_day(day):
                n -= 1
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """The number of working days in ``(start, end]``; negative (``-count of (end, start]``)
        when ``end`` is before ``start``, so swapping the arguments changes the sign only."""
        if end < start:
            return -self.working_days_between(end, start)
        count = 0
        day = start + ONE_DAY
        while day <= end:
            if self.is_working_day(day):
                count += 1
            day += ONE_DAY
        return count

    def working_days_left(self, due: dt.date, today: dt.date) -> int:
        """For countdowns: the working days left until ``due`` as seen on ``today``.

        A due date on a day off moves to the next working day first. Then: a positive number is the
        working days after today up to and including the due date (1 = due on the next working
        day), 0 means due today, a negative number means overdue by that many working days; any day
        after the due date is at least 1 day overdue (-1), even a weekend.
        """
        due = self.add_working_days(due, 0)
        if today <= due:
            return self.working_days_between(today, due)
        return min(-1, self.working_days_between(today, due))
