"""The change history a page shows (who, when, which record, each field's before → after), read from
django-simple-history rows.

Naming a record and a field's value takes every app's models, so the reader lives at the top
(`oversight/profile.py` record_history); oversight registers it here in its AppConfig.ready(), and a
lower app (the leave request page of meetings) asks here.
"""
from __future__ import annotations

from collections.abc import Callable

from django.db import models

Sources = list[tuple[str, models.QuerySet]]  # (record type label, historical rows)

_reader: Callable[..., list] | None = None


def register_history_reader(reader: Callable[..., list]) -> None:
    global _reader
    _reader = reader


def record_history(*, sources: Sources) -> list:
    """The changes in sources, newest first (the registered reader's entries); none without a reader."""
    return _reader(sources=sources) if _reader is not None else []
