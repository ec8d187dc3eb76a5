"""Reads of the duty handbook (履职手册) that are not the handbook itself (oversight.handbook.build builds
that one typed model): the years a handbook can be asked for, and which findings are about a year."""
from __future__ import annotations

import datetime as dt

from deputies.models import Term
from oversight.rules import Finding
from oversight.rules.catalog import THRESHOLD_RULES_BY_ID


def handbook_year_bounds(term: Term) -> tuple[int, int]:
    """The first and last calendar year of a term: the years a handbook can be asked for."""
    return term.start_date.year, term.end_date.year


def about_year(finding: Finding, first: dt.date, last: dt.date) -> bool:
    """A finding of a year's handbook: an action rule triggered in it, the year's window of a yearly rule,
    a term rule (the term so far, as at the year's end)."""
    if finding.trigger_date is not None:
        return first <= finding.trigger_date <= last  # action rules: triggered in the year
    rule = THRESHOLD_RULES_BY_ID[finding.rule]
    if rule.window == "year":
        return finding.period_start.year == first.year
    return finding.period_start <= last and finding.period_end >= first  # the term, as at the year's end
