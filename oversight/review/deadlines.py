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


def year_not_over(year: int, today: dt.date) -> bool:
    """Is the year still running on this day (its last day, 12月31日, included)? Approving it then locks a
    year whose remaining days' activities (December's outcomes) could no longer be entered."""
    return today <= dt.date(year, 12, 31)


YEAR_NOT_OVER_MESSAGE = (
    "{year}年度尚未结束(至{year}年12月31日):审核通过后该年度的记录即被锁定,此后的活动及其参加情况将不能再登记。"
    "如确需现在审核通过,请勾选“我已知晓本年度尚未结束”。"
)
