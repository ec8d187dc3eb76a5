"""Every write of a constituents' opinion: record, forward, reply, close; each checked (role, state, dates),
atomic on the locked row, kept in history (simple-history and OpinionEvent: who, when, before, after).
The reply's due date is oversight.rules.clocks' (opinion_reply_due with the site's OPINION_REPLY_DAYS)."""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django_fsm import can_proceed

from dutyadmin.services import Conflict

from activities.choices import ActivityKind
from activities.models import Activity
from deputies.models import Deputy, HandlingUnit, StreetCommittee
from dutyadmin.dates import after_today, chinese_date
from dutyadmin.permissions import allows
from oversight.holidays import current_calendar
from oversight.rules import clocks

from .choices import OpinionAction, OpinionStatus
from .models import Opinion, OpinionEvent

OS = OpinionStatus
VERBS = {OpinionAction.FORWARD: "转办", OpinionAction.REPLY: "答复", OpinionAction.CLOSE: "反馈办结"}


def reply_days() -> int:
    return int(getattr(settings, "OPINION_REPLY_DAYS", 30))


def _actor(user):
    return user if user is not None and user.is_authenticated else None


def _check_date(day: dt.date | None, field_name: str, *, not_before: dt.date | None = None, label: str = "") -> dt.date:
    if day is None:
        raise ValidationError({field_name: "请填写日期。"})
    if after_today(day):
        raise ValidationError({field_name: f"日期{chinese_date(day)}晚于今天，不能登记将来的日期。"})
    if not_before is not None and day < not_before:
        raise ValidationError({field_name: f"日期不能早于{label}（{chinese_date(not_before)}）。"})
    return day


def _locked(opinion: Opinion) -> Opinion:
    return (Opinion.objects.select_for_update(of=("self",)).select_related("street_committee", "forwarded_to")
            .order_by().get(pk=opinion.pk))


def _step(opinion: Opinion, *, user, action: str, transition, date: dt.date, note: str = "") -> Opinion:
    before = opinion.status
    if not can_proceed(transition):
        raise Conflict(f"这条意见当前为“{opinion.get_status_display()}”，不能{VERBS[action]}。",
                       current={"status": opinion.status})
    transition()
    opinion._history_user = _actor(user)
    opinion.save()
    OpinionEvent.objects.create(opinion=opinion, action=action, before_status=before, after_status=opinion.status,
                                actor=_actor(user), date=date, note=note)
    return opinion


def _clean_input(*, reception: Activity | None, received_on: dt.date, content: str, citizen_phone: str) -> str:
    """Check what a recorder types (the date against the reception's, content, phone); the phone as stored."""
    errors: dict[str, str] = {}
    _check_date(received_on, "received_on")
    if reception is not None:
        if reception.kind != ActivityKind.STATION_RECEPTION:
            errors["reception"] = "只能选择“代表之家、联络站接待群众”活动。"
        elif received_on != reception.date and not (reception.end_date and reception.date <= received_on <= reception.end_date):
            errors["received_on"] = f"收集日期应为接待活动的日期（{chinese_date(reception.date)}）。"
    if not (content or "").strip():
        errors["content"] = "请填写意见内容。"
    phone = (citizen_phone or "").strip().replace(" ", "").replace("-", "")
    if phone and not phone.lstrip("+").isdigit():
        errors["citizen_phone"] = "联系电话只能包含数字。"
    if errors:
        raise ValidationError(errors)
    return phone


def opinion_record(*, user, street_committee: StreetCommittee | None = None, content: str, received_on: dt.date | None = None,
                   reception: Activity | None = None, deputies: Sequence[Deputy] = (), citizen_name: str = "",
                   citizen_phone: str = "") -> Opinion:
    """登记 one opinion: at a station reception (its street is the reception's when not given) or a visit."""
    if street_committee is None and reception is not None:
        street_committee = reception.street_committee
    if street_committee is None:
        raise ValidationError({"street_committee": "请选择街道工委。"})
    if not allows(user, "record_opinion", street_committee):
        raise PermissionDenied("您无权登记这个街道的群众意见。")
    received_on = received_on or (reception.date if reception is not None else timezone.localdate())
    phone = _clean_input(reception=reception, received_on=received_on, content=content, citizen_phone=citizen_phone)
    deputies = list(dict.fromkeys(deputies))
    with transaction.atomic():
        opinion = Opinion(received_on=received_on, reception=reception, street_committee=street_committee,
                          content=content.strip(), citizen_name=(citizen_name or "").strip(), citizen_phone=phone,
                          created_by=_actor(user))
        opinion.full_clean(exclude=["status"])
        opinion._history_user = _actor(user)
        opinion.save()
        opinion.deputies.set(deputies)
        OpinionEvent.objects.create(opinion=opinion, action=OpinionAction.RECORD, before_status="",
                                    after_status=opinion.status, actor=_actor(user), date=received_on)
    return opinion


def opinion_forward(*, user, opinion: Opinion, unit: HandlingUnit, date: dt.date | None) -> Opinion:
    """转办 to a handling unit (a street office among them); the reply is due per clocks.opinion_reply_due."""
    if not allows(user, "forward_opinion", opinion):
        raise PermissionDenied("您无权转办这条群众意见。")
    if unit is None:
        raise ValidationError({"unit": "请选择转办单位。"})
    with transaction.atomic():
        opinion = _locked(opinion)
        _check_date(date, "date", not_before=opinion.received_on, label="收集日期")
        try:
            due = clocks.opinion_reply_due(date, days=reply_days(), cal=current_calendar())
        except clocks.CalendarUnknown as exc:
            raise ValidationError({"date": str(exc)}) from exc
        if opinion.status == OS.RECEIVED:
            opinion.forwarded_to, opinion.forwarded_on, opinion.reply_due = unit, date, due
        return _step(opinion, user=user, action=OpinionAction.FORWARD, transition=opinion.forward, date=date,
                     note=f"转办{unit.name}，答复期限{chinese_date(due)}")


def opinion_reply(*, user, opinion: Opinion, date: dt.date | None, text: str) -> Opinion:
    """答复 by the staff of the unit it was forwarded to, or the liaison office on its behalf."""
    if not allows(user, "reply_opinion", opinion):
        raise PermissionDenied("只有转办单位或代表联络机构可以答复这条群众意见。")
    if not (text or "").strip():
        raise ValidationError({"text": "请填写答复内容。"})
    with transaction.atomic():
        opinion = _locked(opinion)
        if opinion.status == OS.FORWARDED:
            _check_date(date, "date", not_before=opinion.forwarded_on, label="转办日期")
            opinion.replied_on, opinion.reply_text = date, text.strip()
        return _step(opinion, user=user, action=OpinionAction.REPLY, transition=opinion.reply, date=date)


def opinion_close(*, user, opinion: Opinion, date: dt.date | None, note: str = "") -> Opinion:
    """反馈办结: the answer was given back to the constituent (by the street's staff or the liaison office)."""
    if not allows(user, "close_opinion", opinion):
        raise PermissionDenied("您无权为这条群众意见登记反馈。")
    with transaction.atomic():
        opinion = _locked(opinion)
        if opinion.status == OS.REPLIED:
            _check_date(date, "date", not_before=opinion.replied_on, label="答复日期")
            opinion.fed_back_on, opinion.close_note = date, (note or "").strip()
        return _step(opinion, user=user, action=OpinionAction.CLOSE, transition=opinion.close, date=date,
                     note=(note or "").strip())


# --- gaps14b: correcting an opinion before it is closed, deleting one not yet forwarded -------------------


def opinion_update(*, user, opinion: Opinion, content: str, received_on: dt.date | None = None,
                   deputies: Sequence[Deputy] = (), citizen_name: str = "", citizen_phone: str | None = None) -> Opinion:
    """修改 what was recorded (content, date, deputies, citizen), until the opinion is closed (反馈办结): the street's
    staff or the liaison office. citizen_phone None (or blank) keeps the number; its change is never in history."""
    if not allows(user, "edit_opinion", opinion):
        raise PermissionDenied("只有本街道工委的工作人员或代表联络机构可以修改这条群众意见。")
    with transaction.atomic():
        opinion = _locked(opinion)
        if opinion.status == OS.CLOSED:
            raise ValidationError({"status": "这条意见已反馈办结，不能再修改。"}, code="wrong_state")
        received_on = received_on or opinion.received_on
        if opinion.forwarded_on is not None and received_on > opinion.forwarded_on:
            raise ValidationError({"received_on": f"收集日期不能晚于转办日期（{chinese_date(opinion.forwarded_on)}）。"})
        phone = _clean_input(reception=opinion.reception, received_on=received_on, content=content,
                             citizen_phone=citizen_phone or "")
        before = opinion.status
        changed = []
        new = {"received_on": received_on, "content": content.strip(), "citizen_name": (citizen_name or "").strip()}
        labels = {"received_on": "收集日期", "content": "意见内容", "citizen_name": "群众姓名"}
        for name, value in new.items():
            if getattr(opinion, name) != value:
                changed.append(labels[name])
                setattr(opinion, name, value)
        if phone and phone != opinion.citizen_phone:
            changed.append("联系电话")
            opinion.citizen_phone = phone
        wanted = list(dict.fromkeys(deputies))
        if {d.pk for d in wanted} != set(opinion.deputies.values_list("pk", flat=True)):
            changed.append("听取意见的代表")
        if not changed:
            return opinion
        opinion.full_clean(exclude=["status"])
        opinion._history_user = _actor(user)
        opinion.save()
        opinion.deputies.set(wanted)
        OpinionEvent.objects.create(opinion=opinion, action=OpinionAction.EDIT, before_status=before,
                                    after_status=opinion.status, actor=_actor(user), date=timezone.localdate(),
                                    note="修改了" + "、".join(changed))
    return opinion


def opinion_delete(*, user, opinion: Opinion) -> None:
    """删除 an opinion recorded by mistake, only while not forwarded (已收集); its history keeps the deletion."""
    if not allows(user, "edit_opinion", opinion):
        raise PermissionDenied("只有本街道工委的工作人员或代表联络机构可以删除这条群众意见。")
    with transaction.atomic():
        opinion = _locked(opinion)
        if opinion.status != OS.RECEIVED:
            raise ValidationError({"status": f"这条意见{opinion.get_status_display()}，只有尚未转办的意见可以删除；"
                                             "如登记有误请修改。"}, code="wrong_state")
        opinion._history_user = _actor(user)
        opinion.delete()
