"""Dates that cannot be yet: what was seen or done is recorded on or after its day, never ahead of it.

"Today" is timezone.localdate() (the district's day, settings.TIME_ZONE). The models' clean() and the
bulk writes and imports ask these, so a form, the API, a bulk upsert and a spreadsheet refuse alike.
"""
from __future__ import annotations

import datetime as dt

from django.utils import timezone


def chinese_date(day: dt.date | None) -> str:
    """2026年12月29日, as every Chinese page writes dates."""
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def after_today(day: dt.date | None, today: dt.date | None = None) -> bool:
    """Is the day later than today (None is never)?"""
    return day is not None and day > (today or timezone.localdate())


def future_meeting_message(day: dt.date) -> str:
    return f"会议日期({chinese_date(day)})在今天之后,不能登记出席情况。"


def future_activity_message(day: dt.date, outcome_label: str) -> str:
    return f"活动日期({chinese_date(day)})在今天之后,不能登记“{outcome_label}”:活动结束后再登记参加情况。"


def future_intervention_message(day: dt.date) -> str:
    return f"处置日期({chinese_date(day)})在今天之后,不能登记:请在处置实施后登记。"
