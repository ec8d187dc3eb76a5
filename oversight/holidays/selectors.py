"""Reads of the holiday calendar: the package's years supplemented by the entered HolidaySchedule rows."""
from __future__ import annotations

from dataclasses import dataclass

from dutyadmin.models import HolidaySchedule
from oversight.rules import clocks


def _year_days(schedule: HolidaySchedule) -> clocks.YearDays:
    return clocks.YearDays(schedule.year, frozenset(schedule.holiday_dates()), frozenset(schedule.workday_dates()))


def current_calendar() -> clocks.Calendar:
    """The calendar every clock of a write uses: chinesecalendar's years and the entered ones (one query).

    A row for a year the package knows is left out (the package stays the source; the service refuses such a row,
    and a package update may come to know a year entered before it)."""
    rows = HolidaySchedule.objects.exclude(year__in=clocks.PACKAGE_CALENDAR.years).only("year", "holidays", "workdays")
    return current_calendar_from(rows)


@dataclass(frozen=True)
class YearRow:
    """One year the calendar knows, as the page lists it."""

    year: int
    builtin: bool  # 软件内置: from the chinesecalendar package
    schedule: HolidaySchedule | None
    working_days: int
    who: str = ""  # who entered it


def _who(user) -> str:
    if user is None:
        return "—"
    return f"{user.last_name}{user.first_name}".strip() or user.get_username()


def calendar_years() -> list[YearRow]:
    """Every known year, newest first: the entered ones with their notice, the package's marked built-in.
    An entered row for a year the package now knows is listed as such (the package is used for it)."""
    schedules = {row.year: row for row in HolidaySchedule.objects.select_related("created_by")}
    cal = current_calendar_from(schedules.values())
    return [
        YearRow(year, year in clocks.PACKAGE_CALENDAR.years, schedules.get(year),
                clocks.working_days_in_year(year, cal=cal),
                _who(schedules[year].created_by) if year in schedules else "")
        for year in sorted(set(cal.years) | set(schedules), reverse=True)
    ]


def current_calendar_from(schedules) -> clocks.Calendar:
    """current_calendar for rows already read."""
    package = clocks.PACKAGE_CALENDAR
    return package.with_years(_year_days(row) for row in schedules if row.year not in package.years)
