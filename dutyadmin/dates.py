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


# --- issue 17: the dates any record may carry (a typo like 0115 or 20224 is refused, not stored) -------------
FIRST_DAY = dt.date(1900, 1, 1)
LAST_DAY = dt.date(2100, 12, 31)
DATE_RANGE_MESSAGE = "日期应在1900年1月1日至2100年12月31日之间,格式为 YYYY-MM-DD(四位年份)。"


def in_date_range(day: dt.date) -> bool:
    """Is the day (or the day of a datetime) within FIRST_DAY … LAST_DAY?"""
    return FIRST_DAY <= (day.date() if isinstance(day, dt.datetime) else day) <= LAST_DAY


def out_of_range_dates(instance) -> dict[str, str]:
    """{field name: message} for every date field of a model instance outside FIRST_DAY … LAST_DAY."""
    errors = {}
    for field in instance._meta.concrete_fields:
        value = getattr(instance, field.attname, None)
        if isinstance(value, dt.date) and not in_date_range(value):
            errors[field.name] = DATE_RANGE_MESSAGE
    return errors
