"""The year-end review's deadline: when a term's street committees must submit a year's handbooks."""
from __future__ import annotations

import datetime as dt

from deputies.models import Term

from ..models import ReviewDeadline


def default_deadline(year: int) -> dt.date:
    """Art. 8(二): 履职手册于年底前 … 报 … 审核: the year's last day unless the liaison office sets another."""
    return dt.date(year, 12, 31)


def deadline_for(term: Term, year: int) -> tuple[dt.date, bool]:
    """The submission deadline of a term's year and whether it was set (False: the default)."""
    row = ReviewDeadline.objects.filter(term=term, year=year).only("due_date").first()
    return (row.due_date, True) if row else (default_deadline(year), False)


def deadlines_for(term: Term) -> dict[int, dt.date]:
    """Every year's deadline of a term, set or default, in one query."""
    set_dates = dict(ReviewDeadline.objects.filter(term=term).values_list("year", "due_date"))
    first, last = term.start_date.year, term.end_date.year
    return {year: set_dates.get(year, default_deadline(year)) for year in range(first, last + 1)}
