"""The clocks of RULES.md "Suggestions and constituents' opinions": periods counted per 民法典 Arts. 201–203.

Rest days and swapped working days (调休) come from a `Calendar`: the `chinesecalendar` package's data
(`PACKAGE_CALENDAR`), supplemented by the years the office entered from the State Council's notice
(`Calendar.with_years`; the page 法定节假日安排, read by oversight.holidays.current_calendar). A date in a year the
calendar does not know is an error (`CalendarUnknown`), never a guess: a new year's holiday schedule is
published by the State Council (国务院办公厅) each November.
A 法定休假日 in Art. 203 is a weekly rest day or a public holiday; a swapped working day (调休上班) is neither.
"""
from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

import chinese_calendar

# The package's own data, read once: looping over its `is_workday` re-validates the year on every call.
_HOLIDAYS = frozenset(chinese_calendar.holidays)
_WORKDAYS = frozenset(chinese_calendar.workdays)
_KNOWN_YEARS = range(min(_HOLIDAYS).year, max(_HOLIDAYS).year + 1)
_ONE_DAY = dt.timedelta(days=1)

SUGGESTION_MONTHS = 3  # 代表法 Art. 51: 自交办之日起三个月内答复
SUGGESTION_EXTENDED_MONTHS = 6  # RULES.md: 涉及面广、处理难度大, agreed by the assigning office
FEEDBACK_WORKING_DAYS = 15  # 北京市代表建议条例 Art. 23: 十五个工作日内
REHANDLING_MONTHS = 2  # 北京市代表建议条例 Art. 27: 二个月内


def year_ranges(years: Iterable[int]) -> str:
    """2004年至2026年、2028年: consecutive years as one range."""
    runs: list[list[int]] = []
    for year in sorted(years):
        if runs and year == runs[-1][1] + 1:
            runs[-1][1] = year
        else:
            runs.append([year, year])
    return "、".join(f"{a}年" if a == b else f"{a}年至{b}年" for a, b in runs) or "（没有任何年份）"


@dataclass(frozen=True)
class YearDays:
    """One year's 部分节假日安排 as the State Council's notice gives it: the 放假 dates beyond ordinary weekends
    (holidays) and the weekend days that are working days (workdays, 调休上班)."""

    year: int
    holidays: frozenset[dt.date]
    workdays: frozenset[dt.date]


@dataclass(frozen=True)
class Calendar:
    """Rest days beyond weekends, swapped working days, and the explicit set of years these are complete for."""

    holidays: frozenset[dt.date]
    workdays: frozenset[dt.date]
    years: tuple[int, ...]  # sorted; need not be contiguous

    def knows(self, year: int) -> bool:
        return year in self.years

    def with_years(self, supplements: Iterable[YearDays]) -> Calendar:
        """A new calendar that also knows these years. A year already known is refused (ValueError): the
        package's data stays the source for its years, and a year is entered once."""
        holidays, workdays, years = set(self.holidays), set(self.workdays), set(self.years)
        for supplement in supplements:
            if supplement.year in years:
                raise ValueError(f"{supplement.year}年的节假日安排已经包含在日历中。")
            for day in (*supplement.holidays, *supplement.workdays):
                if _plain_date(day).year != supplement.year:
                    raise ValueError(f"{day.isoformat()}不在{supplement.year}年。")
            if supplement.holidays & supplement.workdays:
                raise ValueError(f"{supplement.year}年有日期既是放假日又是调休上班日。")
            years.add(supplement.year)
            holidays |= supplement.holidays
            workdays |= supplement.workdays
        return Calendar(frozenset(holidays), frozenset(workdays), tuple(sorted(years)))


PACKAGE_CALENDAR = Calendar(_HOLIDAYS, _WORKDAYS, tuple(_KNOWN_YEARS))


class CalendarUnknown(ValueError):
    """A date needed by a clock falls in a year the holiday calendar does not cover."""

    def __init__(self, day: dt.date, cal: Calendar | None = None) -> None:
        self.day = day
        self.years = (cal or PACKAGE_CALENDAR).years
        super().__init__(
            f"法定节假日日历只覆盖{year_ranges(self.years)}，无法计算{day.year}年{day.month}月{day.day}日"
            f"所在年份的期限；请在「法定节假日安排」页面录入国务院办公厅公布的{day.year}年节假日安排"
            "（系统管理员或代表联络机构）。"
        )


def _plain_date(day: dt.date) -> dt.date:
    """Reject a datetime: it never compares equal to a date, so holiday look-ups would silently miss."""
    if isinstance(day, dt.datetime) or not isinstance(day, dt.date):
        raise TypeError(f"expected datetime.date, got {type(day).__name__}")
    return day


def known_years(cal: Calendar = PACKAGE_CALENDAR) -> tuple[int, ...]:
    """The years whose rest days and swapped working days the calendar knows (by default: the installed
    chinesecalendar's), sorted."""
    return cal.years


def is_working_day(day: dt.date, *, cal: Calendar = PACKAGE_CALENDAR) -> bool:
    """A swapped working day (调休上班) works; otherwise Saturdays, Sundays and public holidays rest."""
    day = _plain_date(day)
    if not cal.knows(day.year):
        raise CalendarUnknown(day, cal)
    if day in cal.workdays:
        return True
    return day.weekday() < 5 and day not in cal.holidays


def next_working_day(day: dt.date, *, cal: Calendar = PACKAGE_CALENDAR) -> dt.date:
    """The day itself when it is a working day, else the first working day after it."""
    while not is_working_day(day, cal=cal):
        day += _ONE_DAY
    return day


def add_months(day: dt.date, n: int) -> dt.date:
    """民法典 Art. 202: the same-numbered day of the n-th month after, or that month's last day when it has none."""
    day = _plain_date(day)
    year, month0 = divmod(day.year * 12 + day.month - 1 + n, 12)
    return dt.date(year, month0 + 1, min(day.day, calendar.monthrange(year, month0 + 1)[1]))


def period_end_months(start: dt.date, n: int, *, cal: Calendar = PACKAGE_CALENDAR) -> dt.date:
    """民法典 Arts. 201–203: start day not counted, ends on add_months(start, n); a rest-day end moves to a working day."""
    return next_working_day(add_months(start, n), cal=cal)


def add_working_days(start: dt.date, n: int, *, cal: Calendar = PACKAGE_CALENDAR) -> dt.date:
    """The n-th working day after start; start itself is not counted (民法典 Art. 201)."""
    if n < 0:
        raise ValueError("n must not be negative")
    day = _plain_date(start)
    for _ in range(n):
        day = next_working_day(day + _ONE_DAY, cal=cal)
    return day


def suggestion_due(assigned_on: dt.date, *, extended: bool = False, cal: Calendar = PACKAGE_CALENDAR) -> dt.date:
    """代表法 Art. 51: reply due three months after assignment (six when extended), counted per 民法典 Arts. 201–203."""
    return period_end_months(assigned_on, SUGGESTION_EXTENDED_MONTHS if extended else SUGGESTION_MONTHS, cal=cal)


def feedback_due(replied_on: dt.date, *, cal: Calendar = PACKAGE_CALENDAR) -> dt.date:
    """北京市代表建议条例 Art. 23: the lead deputy evaluates the reply within 15 working days of it."""
    return add_working_days(replied_on, FEEDBACK_WORKING_DAYS, cal=cal)


def rehandling_due(evaluated_on: dt.date, *, cal: Calendar = PACKAGE_CALENDAR) -> dt.date:
    """北京市代表建议条例 Art. 27: after a dissatisfied evaluation the new reply is due in two months (民法典 201–203)."""
    return period_end_months(evaluated_on, REHANDLING_MONTHS, cal=cal)


def opinion_reply_due(forwarded_on: dt.date, days: int, *, cal: Calendar = PACKAGE_CALENDAR) -> dt.date:
    """An opinion's reply: `days` calendar days after forwarding (民法典 Art. 201); a rest-day end moves (Art. 203)."""
    # (choice) Art. 203 governs every period counted in days, not only the law's own: the office sets the length,
    # the Civil Code still says how it ends, so an opinion and a suggestion never end on a rest day.
    if days < 1:
        raise ValueError("days must be at least 1")
    return next_working_day(_plain_date(forwarded_on) + dt.timedelta(days=days), cal=cal)


def is_overdue(due: dt.date, done_on: dt.date | None, today: dt.date) -> bool:
    """民法典 Art. 203 (ends at 24:00 of the last day): overdue from the day after due unless done on or before due."""
    return today > due and (done_on is None or done_on > due)


def days_left(due: dt.date, today: dt.date) -> int:
    """Calendar days from today to due: 0 on the due day, negative once overdue."""
    return (due - today).days


def working_days_in_year(year: int, *, cal: Calendar = PACKAGE_CALENDAR) -> int:
    """How many working days the calendar gives the year (a check of an entered schedule: about 250)."""
    if not cal.knows(year):
        raise CalendarUnknown(dt.date(year, 1, 1), cal)
    day, count = dt.date(year, 1, 1), 0
    while day.year == year:
        count += is_working_day(day, cal=cal)
        day += _ONE_DAY
    return count


# --- sgremind: the days a unit is reminded of a reply (RULES.md "Overdue") ------------------------------

REMINDER_DAYS_BEFORE = 15  # RULES.md: reminders go to the lead unit 15 days before the due date and on it
DUE_SOON, DUE_TODAY, OVERDUE = "due_soon", "due_today", "overdue"


def due_soon_until(today: dt.date) -> dt.date:
    """The last due date that is near on `today`: REMINDER_DAYS_BEFORE calendar days ahead (today's included)."""
    return _plain_date(today) + dt.timedelta(days=REMINDER_DAYS_BEFORE)


def iso_week(day: dt.date) -> str:
    """The ISO week a day is in, as 2026-W09: the weekly overdue reminder's period."""
    year, week, _ = _plain_date(day).isocalendar()
    return f"{year}-W{week:02d}"


def reply_reminder(due: dt.date, today: dt.date, *, cal: Calendar = PACKAGE_CALENDAR) -> tuple[str, str] | None:
    """The reminder owed on `today` for a reply due on `due`, as (stage, period), or None.

    due_soon from 15 calendar days before the due date to the day before it, due_today on it, then overdue
    once per ISO week; the period (the due date, and the week once overdue) is the notification's key, so each
    goes out once however often the beat runs, and a new due date (extended, rehandling) has reminders of its
    own. (choice) Reminders go out on working days only, as a unit's staff read them at work: a rest day's
    waits for the next working day (a due_soon may then come with fewer days left; a week whose remaining
    days are all rest days has no overdue reminder). A day the calendar does not know raises CalendarUnknown."""
    due, today = _plain_date(due), _plain_date(today)
    if not is_working_day(today, cal=cal):
        return None
    if is_overdue(due, None, today):
        return OVERDUE, f"{due.isoformat()}/{iso_week(today)}"
    if today == due:
        return DUE_TODAY, due.isoformat()
    if today >= due - dt.timedelta(days=REMINDER_DAYS_BEFORE):
        return DUE_SOON, due.isoformat()
    return None
