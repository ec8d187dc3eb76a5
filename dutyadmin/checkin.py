"""Check-in codes (签到码): a signed token binding one object's kind, id and its days.

Shared by activities and meetings (each owns its own check-in page for its own object). A token is
made with django.core.signing (a Signer salted per kind; the same object and days give the same code), so a token of one kind never reads as another; it
names the object's id and its first and last day, and is valid only on those days (the local date,
Asia/Shanghai) while the object still has those days.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import segno
from django.core import signing
from django.utils import timezone

from .year_lock import is_year_locked

SALT = "dutyadmin.checkin."


class CheckinRefused(Exception):
    """A check-in that cannot be recorded; str(exc) is the Chinese message shown to the deputy."""

    def __init__(self, message: str, *, title: str = "无法签到", not_a_deputy: bool = False):
        super().__init__(message)
        self.message = message
        self.title = title
        self.not_a_deputy = not_a_deputy  # the account may not check in at all (the API's 403; else 400)


@dataclass(frozen=True)
class CheckinDays:
    first: dt.date
    last: dt.date

    def contains(self, day: dt.date) -> bool:
        return self.first <= day <= self.last


def make_token(kind: str, pk: int, days: CheckinDays) -> str:
    payload = {"id": pk, "d": [days.first.isoformat(), days.last.isoformat()]}
    return signing.Signer(salt=SALT + kind).sign_object(payload, compress=True)  # the same code when reprinted


def check_token(kind: str, pk: int, token: str, days: CheckinDays, *, today: dt.date | None = None) -> None:
    """Raise CheckinRefused unless token is a genuine token of this kind for object pk, its days, today."""
    try:
        payload = signing.Signer(salt=SALT + kind).unsign_object(token or "")
    except signing.BadSignature as exc:
        raise CheckinRefused("签到码无效：它不是本系统生成的，或已被改动。请扫描工作人员现场出示的签到码。") from exc
    if not isinstance(payload, dict) or payload.get("id") != pk:
        raise CheckinRefused("这个签到码不属于这项活动或会议。请扫描本场现场出示的签到码。")
    if payload.get("d") != [days.first.isoformat(), days.last.isoformat()]:
        raise CheckinRefused("签到码已失效：日期已更改。请向工作人员索取新的签到码。")
    today = today or timezone.localdate()
    if not days.contains(today):
        raise CheckinRefused(f"签到码只在{_span(days)}当天有效，今天（{_day(today)}）不能签到。", title="不在签到日期")


def qr_svg(url: str) -> str:
    """The QR code of url as inline SVG (made offline, no external service)."""
    return segno.make(url, error="m").svg_inline(scale=8, border=2, dark="#000", omitsize=True)


def _day(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _span(days: CheckinDays) -> str:
    return _day(days.first) if days.first == days.last else f"{_day(days.first)}至{_day(days.last)}"


def day_span(days: CheckinDays) -> str:
    return _span(days)


def deputy_refusal(deputy, *, term_id: int, day: dt.date) -> CheckinRefused | None:
    """Why this deputy may not check in on day to an object of term term_id, or None.

    deputy: the user's Deputy or None (the user is not a deputy)."""
    if deputy is None:
        return CheckinRefused("只有代表本人可以扫码签到。您登录的账号不是代表账号，请由工作人员登记。", title="不是代表账号",
                              not_a_deputy=True)
    if deputy.term_id != term_id:
        return CheckinRefused("您不是本届代表，不能为这项活动或会议签到。如有疑问，请联系工作人员。", title="不是本届代表")
    if not deputy.serves_on(day):
        return CheckinRefused(f"{_day(day)}不在您的任职期间内，不能签到。", title="不在任职期间")
    suspended = deputy.suspensions.filter(start_date__lte=day).exclude(end_date__lt=day).exists()
    if suspended:
        return CheckinRefused(f"您在{_day(day)}暂停执行代表职务，不能签到。", title="暂停执行代表职务")
    return None


def refusal_from(exc) -> CheckinRefused:
    """A ValidationError from the service's save (a locked year, a record that conflicts) as a refusal."""
    message = "；".join(exc.messages) or "签到没有保存。"
    return CheckinRefused(message, title="该年度已审核锁定" if is_year_locked(exc) else "不能签到")
