"""Date arithmetic of RULES.md "Windows, days and counting": inclusive spans, pro-rata years, status."""
from __future__ import annotations

import calendar
import datetime as dt

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


def prorated_required(threshold: int, year: int, window_start: dt.date, window_end: dt.date) -> int:
    """A yearly threshold owed for part of a year: ⌈threshold × window length / days in that year⌉."""
    return ceil_div(threshold * span_days(window_start, window_end), days_in_year(year))


def threshold_status(count: int, required: int, as_of: dt.date, period_start: dt.date, period_end: dt.date) -> str:
    """met / missed / behind / on_track of a threshold window evaluated at as_of (period_start ≤ as_of)."""
    if count >= required:
        return MET
    if as_of > period_end:
        return MISSED
    length = span_days(period_start, period_end)
    elapsed = min(span_days(period_start, as_of), length)
    # (choice, RULES.md) behind: fewer than the share of the requirement owed by the elapsed part of the window.
    if count < ceil_div(required * elapsed, length):
        return BEHIND
    return ON_TRACK
