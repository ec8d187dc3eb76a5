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

from django.db import models


@dataclass(frozen=True)
class YearLock:
    """What the registering app provides.

    assert_year_open(*, deputies, dates): raise ValidationError (Chinese, code "year_locked") when a
    change to records of these deputies (instances or ids) dated on these days touches a locked year.
    assert_record_open(instance): the same for one record about to be saved or deleted.
    """

    assert_year_open: Callable[..., None]
    assert_record_open: Callable[[models.Model], None]


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
