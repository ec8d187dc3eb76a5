"""The A10.6 data check of a term (director_receptions_short: a year ended with fewer than 7 receptions) as rows of
the data-checks API, page and 待办, for the liaison office that arranges the receptions (manage_receptions)."""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from deputies.models import Term
from dutyadmin.permissions import allows
from oversight.rules import DataCheck
from oversight.rules.receptions import ReceptionCheck, reception_years, receptions_short

from .selectors import reception_facts

RECEPTION_CHECK_LABELS = {
    "director_receptions_short": "主任会议成员接待代表不足7次",
}


def reception_checks(*, term: Term, as_of: dt.date) -> list[ReceptionCheck]:
    """The years of the term ended by as_of with fewer receptions than owed (one query)."""
    return receptions_short(reception_years(term.start_date, term.end_date, reception_facts(term), as_of), as_of)


@dataclass(frozen=True, slots=True)
class ReceptionDataCheck(DataCheck):
    """About the term's year, not a deputy: deputy null, type `term` and id the term's, date 31 December of the year."""

    year: int | None = None


def reception_data_checks(*, user, term: Term, as_of: dt.date, filters: Mapping[str, Any] | None = None
                          ) -> list[ReceptionDataCheck]:
    """The reception checks the user answers for (the liaison office), with the data-checks filters: `check`; a
    street committee or deputy filter keeps none (the check is about the district's year)."""
    filters = filters or {}
    check = filters.get("check")
    if (not allows(user, "manage_receptions") or (check and check not in RECEPTION_CHECK_LABELS)
            or filters.get("street_committee") is not None or filters.get("deputy") is not None):
        return []
    return [ReceptionDataCheck(c.check, None, "term", term.pk, dt.date(c.year, 12, 31), c.message, c.year)
            for c in reception_checks(term=term, as_of=as_of)]
