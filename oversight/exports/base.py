"""What the oversight exports share: who may make them, the status tones, the service and term filters.

Each export is a module of this package (dutyadmin.exporters explains the base class and the layout).
"""
from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.http import QueryDict

from deputies.selectors import current_term
from dutyadmin.permissions import allows
from oversight.rules.catalog import ACTION_REQUIRED, BEHIND, MISSED

# Cells of a rule's status that need someone's attention, and their tone.
STATUS_TONE = {BEHIND: "warn", MISSED: "bad", ACTION_REQUIRED: "bad"}


def _available(scope) -> bool:
    return allows(scope, "export")


def _in_service(first: dt.date, last: dt.date, prefix: str = "") -> Q:
    """The deputy served at some day of [first, last]."""
    return Q(**{f"{prefix}service_start__lte": last}) & (
        Q(**{f"{prefix}service_end__isnull": True}) | Q(**{f"{prefix}service_end__gte": first})
    )


def _with_current_term(data: QueryDict) -> QueryDict:
    term = current_term()
    if "term" not in data and term is not None:
        data = data.copy()
        data["term"] = str(term.pk)
    return data
