"""The year lock hook (Art. 8(二)): once the liaison office approves a street's year in the year-end
review, that year's records of the street's deputies are final.

Core owns the calls; the app that knows which years are locked (oversight's year-end review,
`oversight/review/lock.py`) registers its check here in its AppConfig.ready(). Every protected write
asks here: the shared write path (`dutyadmin.services.record_save` / `record_delete`), the bulk upserts
and the leave services of meetings, the participations of activities and the spreadsheet import, so
pages, API and imports refuse alike. With nothing registered, nothing is locked.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

YEAR_LOCKED = "year_locked"  # the code of every ValidationError a year lock raises


def is_year_locked(exc: ValidationError) -> bool:
    """Whether a ValidationError (of a field or not) is a year lock's refusal."""
    groups = exc.error_dict.values() if hasattr(exc, "error_dict") else [exc.error_list]
    return any(error.code == YEAR_LOCKED for group in groups for error in group)


@dataclass(frozen=True)
class LockedYear:
    """A year approved (so locked) for some street committees: what a form says before the user types.

    streets: the names of the street committees whose year is locked, among those in question;
    every_street: all of those in question (one street's user: theirs) are locked."""

    year: int
    streets: tuple[str, ...]
    every_street: bool

    @property
    def message(self) -> str:
        if self.every_street and len(self.streets) <= 1:
            return f"{self.year}年度已审核锁定:该年度的记录不能再新增、修改或删除。"
        where = "全部街道" if self.every_street else "、".join(self.streets)
        return f"{self.year}年度已审核锁定({where}):这些街道代表该年度的记录不能再新增、修改或删除。"


@dataclass(frozen=True)
class YearLock:
    """What the registering app provides.

    assert_year_open(*, deputies, dates): raise ValidationError (Chinese, code YEAR_LOCKED) when a
    change to records of these deputies (instances or ids) dated on these days touches a locked year.
    assert_record_open(instance): the same for one record about to be saved or deleted.
    locked_years(*, user, term, street_committees, deputies, years): the LockedYears, by year, of the street
    committees in question (those given, those of the deputies given, or those of the deputies the user
    sees; all of them when nothing narrows), in a query or two.
    """

    assert_year_open: Callable[..., None]
    assert_record_open: Callable[[models.Model], None]
    locked_years: Callable[..., list[LockedYear]] | None = None


_lock: YearLock | None = None


def register_year_lock(lock: YearLock) -> None:
    global _lock
    _lock = lock


def assert_year_open(*, deputies: Iterable[Any], dates: Iterable[dt.date | None]) -> None:
    if _lock is not None:
        _lock.assert_year_open(deputies=deputies, dates=dates)


def assert_record_open(instance: models.Model) -> None:
    if _lock is not None:
        _lock.assert_record_open(instance)


def locked_years(*, user: Any = None, term: Any = None, street_committees: Iterable[Any] | None = None,
                 deputies: Iterable[Any] | None = None, years: Iterable[int] | None = None) -> list[LockedYear]:
    """The locked years (see YearLock.locked_years), by year; none with nothing registered."""
    if _lock is None or _lock.locked_years is None:
        return []
    return _lock.locked_years(user=user, term=term, street_committees=street_committees, deputies=deputies,
                              years=years)


def year_lock_notice(*, user: Any = None, term: Any = None, street_committees: Iterable[Any] | None = None,
                     deputies: Iterable[Any] | None = None, dates: Iterable[dt.date | None] | None = None) -> list[str]:
    """What a form that writes into these years says before the user types (templates/includes/year_lock_notice.html,
    context `year_lock_notices`): one line per locked year. dates: the record's own days (a meeting's, an
    activity's); None when the form chooses the date, and every locked year of the user's streets is listed."""
    years = None if dates is None else {day.year for day in dates if day is not None}
    if years is not None and not years:
        return []
    return [locked.message for locked in locked_years(user=user, term=term, street_committees=street_committees,
                                                       deputies=deputies, years=years)]
