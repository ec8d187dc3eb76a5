"""Date arithmetic of RULES.md "Windows, days and counting": inclusive spans, pro-rata years, status."""
from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable

from .catalog import BEHIND, MET, MISSED, ON_TRACK


def span_days(start: dt.date, end: dt.date) -> int:
    """Length of the inclusive span [start, end] in days."""
    return (end - start).days + 1


def days_in_year(year: int) -> int:
    """365, or 366 in a leap year."""
    return 366 if calendar.isleap(year) else 365


def ceil_div(numerator: int, denominator: int) -> int:
    """⌈numerator / denominator⌉ in exact integer arithmetic (no float rounding at .5 boundaries)."""
    return -(-numerator // denominator)


def service_window(term_start: dt.date, term_end: dt.date, service_start: dt.date,
                   service_end: dt.date | None) -> tuple[dt.date, dt.date] | None:
    """Term ∩ service period, or None when they do not meet."""
    start = max(term_start, service_start)
    end = min(term_end, service_end) if service_end is not None else term_end
    return (start, end) if start <= end else None


def year_windows(start: dt.date, end: dt.date) -> list[tuple[int, dt.date, dt.date]]:
    """(year, first day, last day) of each calendar year intersected with [start, end]."""
    return [
        (year, max(start, dt.date(year, 1, 1)), min(end, dt.date(year, 12, 31)))
        for year in range(start.year, end.year + 1)
    ]


# Suspended days (RULES.md "Suspension"): closed spans [first, last], disjoint, by first day. They are outside the
# service period for every rule: a window keeps its ends, but its length and `elapsed` count only the other days.
Spans = tuple[tuple[dt.date, dt.date], ...]
NO_SPANS: Spans = ()


def suspended_spans(suspensions: Iterable[tuple[dt.date, dt.date | None]], start: dt.date, end: dt.date,
                    as_of: dt.date) -> Spans:
    """The suspensions begun by as_of (a later one was not known then), an open one running on, clipped to [start, end]."""
    spans = []
    for first, last in suspensions:
        if first > as_of:
            continue
        first, last = max(first, start), end if last is None else min(last, end)
        if first <= last:
            spans.append((first, last))
    return tuple(sorted(spans))


def is_suspended(day: dt.date, spans: Spans) -> bool:
    """Is the day inside one of the spans?"""
    return any(first <= day <= last for first, last in spans)


def served_days(start: dt.date, end: dt.date, spans: Spans = NO_SPANS) -> int:
    """Days of the inclusive span [start, end] not suspended (0 when end < start)."""
    if end < start:
        return 0
    days = span_days(start, end)
    for first, last in spans:
        first, last = max(first, start), min(last, end)
        if first <= last:
            days -= span_days(first, last)
    return days


def nth_served_day(after: dt.date, n: int, spans: Spans = NO_SPANS) -> dt.date:
    """The n-th day after `after` that is not suspended (n ≥ 1): where a gap of served days first reaches n."""
    day = after
    for first, last in spans:
        if last <= day:
            continue
        free = (max(first, day + dt.timedelta(days=1)) - day).days - 1  # served days strictly between day and first
        if n <= free:
            break
        n -= free
        day = last
    return day + dt.timedelta(days=n)


def prorated_required(threshold: int, year: int, window_start: dt.date, window_end: dt.date,
                      spans: Spans = NO_SPANS) -> int:
    """A yearly threshold owed for part of a year: ⌈threshold × days served in the window / days in that year⌉."""
    return ceil_div(threshold * served_days(window_start, window_end, spans), days_in_year(year))


def threshold_status(count: int, required: int, as_of: dt.date, period_start: dt.date, period_end: dt.date,
                     spans: Spans = NO_SPANS) -> str:
    """met / missed / behind / on_track of a threshold window evaluated at as_of (period_start ≤ as_of)."""
    if count >= required:
        return MET
    if as_of > period_end:
        return MISSED
    # Length and elapsed count served days only: a suspension neither owes nor lets time run (RULES.md "Suspension").
    length = served_days(period_start, period_end, spans)
    elapsed = served_days(period_start, min(as_of, period_end), spans)
    # (choice, RULES.md) behind: fewer than the share of the requirement owed by the elapsed part of the window.
    if length and count < ceil_div(required * elapsed, length):
        return BEHIND
    return ON_TRACK
