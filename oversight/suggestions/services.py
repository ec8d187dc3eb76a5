"""Every write of a suggestion: one service per step of its state machine (Suggestion's transitions), each
checked (role, state, dates), atomic on the locked row, kept in history (simple-history and SuggestionEvent).

The clocks are oversight.rules.clocks': a date is never computed here. A calendar year the clocks do not know
(CalendarUnknown) is a ValidationError the office sees, next to the date that needed it.

One record, not two (RULES.md A9.2): a suggestion is also the deputy's `suggestion` Contribution, created with
it through meetings' contribution_save, so it is confirmed as any contribution is: entered by staff, confirmed
at once; a deputy's own, pending until staff confirm it (the contributions review, as today). A closed-period
suggestion is a closed-period contribution (A9.2 reads only session ones; the handbook lists both).
Withdrawing deletes that contribution (kept in its history), so it stops counting.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django_fsm import can_proceed

from activities.services import material_upload_checked
from deputies.models import Deputy, HandlingUnit
from dutyadmin.dates import after_today, chinese_date
from dutyadmin.permissions import allows
from dutyadmin.scope import scope_for
from dutyadmin.services import Conflict, record_delete, record_save
from meetings.choices import ContributionKind
from meetings.models import CongressSession
from meetings.services import contribution_save
from oversight.holidays import current_calendar
from oversight.rules import clocks

from .choices import AWAITING_REPLY, Resolution, Satisfaction, SuggestionAction, SuggestionStatus
from .models import Suggestion, SuggestionEvent, SuggestionReply, SuggestionReplyAttachment
from .signals import suggestion_chased, suggestion_evaluated, suggestion_replied

S = SuggestionStatus

# What each step is called in a refusal ("不能交办").
ACTION_VERBS = {
    SuggestionAction.EDIT: "修改",
    SuggestionAction.ASSIGN: "交办",
    SuggestionAction.EXTEND: "延期",
    SuggestionAction.REPLY: "答复",
    SuggestionAction.EVALUATE: "评价",
    SuggestionAction.CLOSE: "办结",
    SuggestionAction.WITHDRAW: "撤回",
    SuggestionAction.CHASE: "催办",
}


# --- shared steps --------------------------------------------------------------------------------------


def _today() -> dt.date:
    return timezone.localdate()


def _clock(compute: Callable[[clocks.Calendar], dt.date], field_name: str) -> dt.date:
    """Run a clock on the current calendar (the package's years and those entered on 法定节假日安排); a year it
    does not know is the office's error on that field, not a 500."""
    try:
        return compute(current_calendar())
    except clocks.CalendarUnknown as exc:
        raise ValidationError({field_name: str(exc)}) from exc


def _check_date(day: dt.date | None, field_name: str, *, not_before: dt.date | None = None,
                not_before_label: str = "") -> dt.date:
    if day is None:
        raise ValidationError({field_name: "请填写日期。"})
    if after_today(day):
        raise ValidationError({field_name: f"日期{chinese_date(day)}晚于今天，不能登记将来的日期。"})
    if not_before is not None and day < not_before:
        raise ValidationError({field_name: f"日期不能早于{not_before_label}（{chinese_date(not_before)}）。"})
    return day


def _locked(suggestion: Suggestion) -> Suggestion:
    """The row, locked for this transaction: of two clicks at once, the second sees the first's state."""
    return (
        Suggestion.objects.select_for_update(of=("self",))
        .select_related("term", "lead_deputy", "lead_unit")
        .order_by()
        .get(pk=suggestion.pk)
    )


def _refuse_state(suggestion: Suggestion, action: str) -> None:
    raise Conflict(
        f"这条建议当前为“{suggestion.get_status_display()}”，不能{ACTION_VERBS[action]}。",
        current={"status": suggestion.status},
    )


def _fire(suggestion: Suggestion, action: str, transition: Callable, *args) -> None:
    """Call the model's transition when the state machine allows it, else refuse in words."""
    if not can_proceed(transition):
        _refuse_state(suggestion, action)
    transition(*args)


def _save(suggestion: Suggestion, *, user, action: str, before: str, date: dt.date | None, note: str = "",
          m2m: dict[str, Iterable] | None = None) -> Suggestion:
    """Validate and save the suggestion with the user in its history, and record the step."""
    suggestion.full_clean(exclude=["status"])  # clean_fields would assign the protected status (the transitions set it)
    suggestion._history_user = user if user is not None and user.is_authenticated else None
    suggestion.save()
    for name, values in (m2m or {}).items():
        getattr(suggestion, name).set(values)
    SuggestionEvent.objects.create(
        suggestion=suggestion, action=action, before_status=before, after_status=suggestion.status,
        actor=user if user is not None and user.is_authenticated else None, date=date, note=note,
    )
    return suggestion


# --- submit ----------------------------------------------------------------------------------------------


def suggestion_submit(*, user, lead_deputy: Deputy, title: str, content: str,
                      session: CongressSession | None = None, cosigners: Sequence[Deputy] = (),
                      submitted_on: dt.date | None = None, term=None) -> Suggestion:
    """Register a suggestion led by a deputy: the deputy for themself, or staff entering a paper form for a
    deputy in their scope. It is also the deputy's `suggestion` contribution (see the module's docstring)."""
    scope = scope_for(user)
    if not allows(scope, "submit_suggestion", lead_deputy):
        raise PermissionDenied("您无权为这位代表提交建议。")
    submitted_on = _check_date(submitted_on or _today(), "submitted_on")
    errors: dict[str, str] = {}
    term_id = term.pk if term is not None else lead_deputy.term_id
    if term_id != lead_deputy.term_id:
        errors["lead_deputy"] = "领衔代表必须是本届代表。"
    if not (title or "").strip():
        errors["title"] = "请填写建议标题。"
    if not (content or "").strip():
        errors["content"] = "请填写建议内容。"
    cosigners = list(dict.fromkeys(cosigners))
    if any(d.pk == lead_deputy.pk for d in cosigners):
        errors["cosigners"] = "领衔代表不必再列为附议代表。"
    elif any(d.term_id != lead_deputy.term_id for d in cosigners):
        errors["cosigners"] = "附议代表必须是本届代表。"
    if not lead_deputy.serves_on(submitted_on):
        errors["submitted_on"] = f"{lead_deputy.name}在{chinese_date(submitted_on)}不在任，不能以其名义提出建议。"
    if session is not None and session.term_id != lead_deputy.term_id:
        errors["session"] = "大会必须属于本届。"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        contribution = contribution_save(user=user, data={
            "deputy": lead_deputy, "session": session, "kind": ContributionKind.SUGGESTION,
            "date": submitted_on, "title": title.strip(),
        })
        suggestion = Suggestion(
            term_id=lead_deputy.term_id, session=session, title=title.strip(), content=content.strip(),
            submitted_on=submitted_on, lead_deputy=lead_deputy, contribution=contribution,
            created_by=user if user.is_authenticated else None,
        )
        return _save(suggestion, user=user, action=SuggestionAction.SUBMIT, before="", date=submitted_on,
                     m2m={"cosigners": cosigners})


EDITABLE_FIELDS = ("title", "content", "session", "submitted_on", "cosigners")


def suggestion_update(*, user, suggestion: Suggestion, data: dict[str, Any]) -> Suggestion:
    """Correct a suggestion not yet assigned (title, content, session, date, cosigners): the lead deputy or staff who
    may submit for them. Its contribution follows (title, date, session), keeping its confirmation."""
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({name: "提交后不能修改这一项（领衔代表、届次不变；交办、答复等由办理步骤记录）。" for name in sorted(unknown)})
    with transaction.atomic():
        locked = _locked(suggestion)
        if not allows(user, "submit_suggestion", locked.lead_deputy):
            raise PermissionDenied("您无权修改这条建议。")
        if locked.status != S.SUBMITTED:
            raise ValidationError({"status": f"这条建议当前为“{locked.get_status_display()}”，交办后不能再修改。"},
                                  code="wrong_state")
        cosigners = data.get("cosigners")
        for name in ("title", "content", "session", "submitted_on"):
            if name in data:
                setattr(locked, name, data[name].strip() if isinstance(data[name], str) else data[name])
        errors: dict[str, str] = {}
        if not locked.title:
            errors["title"] = "请填写建议标题。"
        if not locked.content:
            errors["content"] = "请填写建议内容。"
        if cosigners is not None:
            cosigners = list(dict.fromkeys(cosigners))
            if any(d.pk == locked.lead_deputy_id for d in cosigners):
                errors["cosigners"] = "领衔代表不必再列为附议代表。"
            elif any(d.term_id != locked.term_id for d in cosigners):
                errors["cosigners"] = "附议代表必须是本届代表。"
        if errors:
            raise ValidationError(errors)
        _check_date(locked.submitted_on, "submitted_on")
        contribution = locked.contribution
        if contribution is not None:
            record_save(contribution, user=user, data={
                "title": locked.title, "date": locked.submitted_on, "session": locked.session,
            })
        return _save(locked, user=user, action=SuggestionAction.EDIT, before=locked.status, date=locked.submitted_on,
                     m2m={"cosigners": cosigners} if cosigners is not None else None)


# --- assign ----------------------------------------------------------------------------------------------


def _check_units(lead_unit: HandlingUnit | None, co_units: Iterable[HandlingUnit]) -> list[HandlingUnit]:
    if lead_unit is None:
        raise ValidationError({"lead_unit": "请选择主办单位。"})
    co_units = list(dict.fromkeys(co_units))
    if any(unit.pk == lead_unit.pk for unit in co_units):
        raise ValidationError({"co_units": "主办单位不能同时是协办单位。"})
    return co_units


def _assign_locked(suggestion: Suggestion, *, user, lead_unit: HandlingUnit, co_units: list[HandlingUnit],
                   date: dt.date) -> Suggestion:
    before = suggestion.status
    _fire(suggestion, SuggestionAction.ASSIGN, suggestion.assign)
    _check_date(date, "date", not_before=suggestion.submitted_on, not_before_label="建议的提出日期")
    suggestion.lead_unit, suggestion.assigned_on = lead_unit, date
    suggestion.due_date = _clock(lambda cal: clocks.suggestion_due(date, cal=cal), "date")
    note = f"主办：{lead_unit.name}" + (f"；协办：{'、'.join(u.name for u in co_units)}" if co_units else "")
    return _save(suggestion, user=user, action=SuggestionAction.ASSIGN, before=before, date=date, note=note,
                 m2m={"co_units": co_units})


def suggestion_assign(*, user, suggestion: Suggestion, lead_unit: HandlingUnit,
                      co_units: Iterable[HandlingUnit] = (), date: dt.date) -> Suggestion:
    """交办 to a lead unit (and co-units) on a day: the due date is three months after it (clocks)."""
    if not allows(user, "assign_suggestion", suggestion):
        raise PermissionDenied("只有代表联络机构可以交办建议。")
    co_units = _check_units(lead_unit, co_units)
    with transaction.atomic():
        return _assign_locked(_locked(suggestion), user=user, lead_unit=lead_unit, co_units=co_units, date=date)


@dataclass(frozen=True)
class SuggestionAssignment:
    """One line of a bulk assignment after a session."""

    suggestion: Suggestion
    lead_unit: HandlingUnit
    co_units: tuple[HandlingUnit, ...] = field(default=())


def suggestion_assign_bulk(*, user, assignments: Sequence[SuggestionAssignment], date: dt.date) -> list[Suggestion]:
    """交办 many suggestions on one day, all or none; a bad line is a ValidationError naming its index."""
    if not allows(user, "assign_suggestion"):
        raise PermissionDenied("只有代表联络机构可以交办建议。")
    if not assignments:
        raise ValidationError({"records": "请至少选择一条建议。"})
    done: list[Suggestion] = []
    errors: list[ValidationError] = []
    with transaction.atomic():
        for index, line in enumerate(assignments):
            try:
                with transaction.atomic():
                    co_units = _check_units(line.lead_unit, line.co_units)
                    done.append(_assign_locked(_locked(line.suggestion), user=user, lead_unit=line.lead_unit,
                                               co_units=co_units, date=date))
            except ValidationError as exc:
                for field_name, messages in exc.message_dict.items():
                    for message in messages:
                        errors.append(ValidationError(
                            f"第{index + 1}条（“{line.suggestion.title}”）：{message}",
                            params={"index": index, "field": field_name},
                        ))
        if errors:
            transaction.set_rollback(True)
            raise ValidationError({"records": errors})
    return done


# --- extend --------------------------------------------------------------------------------------------


def suggestion_extend(*, user, suggestion: Suggestion, reason: str) -> Suggestion:
    """延期 (once, agreed by the assigning office): the due date becomes six months after the assignment."""
    if not allows(user, "extend_suggestion", suggestion):
        raise PermissionDenied("只有代表联络机构可以同意延期。")
    if not (reason or "").strip():
        raise ValidationError({"reason": "请填写延期理由（如涉及面广、处理难度大）。"})
    with transaction.atomic():
        locked = _locked(suggestion)
        before = locked.status
        if locked.status == S.ASSIGNED and locked.extended:
            raise ValidationError({"status": "这条建议已经延期过一次，不能再延期。"}, code="wrong_state")
        _fire(locked, SuggestionAction.EXTEND, locked.extend)
        locked.due_date = _clock(lambda cal: clocks.suggestion_due(locked.assigned_on, extended=True, cal=cal),
                                 "__all__")
        locked.extended, locked.extension_reason = True, reason.strip()
        return _save(locked, user=user, action=SuggestionAction.EXTEND, before=before, date=_today(),
                     note=reason.strip())


# --- chase ------------------------------------------------------------------------------------------------


def suggestion_chase(*, user, suggestion: Suggestion, note: str = "") -> SuggestionEvent:
    """催办: the liaison office presses the lead unit for a reply still awaited (besides the reminders). The state
    does not change; the step is in the timeline and the unit's staff are told (suggestion_chased)."""
    if not allows(user, "chase_suggestion", suggestion):
        raise PermissionDenied("只有代表联络机构可以催办。")
    with transaction.atomic():
        locked = _locked(suggestion)
        if locked.status not in AWAITING_REPLY:
            _refuse_state(locked, SuggestionAction.CHASE)
        event = SuggestionEvent.objects.create(
            suggestion=locked, action=SuggestionAction.CHASE, before_status=locked.status,
            after_status=locked.status, actor=user, date=_today(), note=(note or "").strip(),
        )
        suggestion_chased.send(sender=Suggestion, suggestion=locked, event=event)
    return event


# --- reply -----------------------------------------------------------------------------------------------

REPLY_DENIED = "只有主办单位（或代表联络机构代为登记）可以答复这条建议；协办单位不能答复。"


def suggestion_reply(*, user, suggestion: Suggestion, date: dt.date, text: str, resolution: str,
                     files: Iterable[Any] = ()) -> Suggestion:
    """答复 by the lead unit (or the liaison office on its behalf): the first reply, or the rehandling reply.
    The deputy's feedback is due 15 working days after it (clocks); attachments are checked as materials are."""
    if not allows(user, "reply_suggestion"):
        raise PermissionDenied(REPLY_DENIED)
    if not (text or "").strip():
        raise ValidationError({"text": "请填写答复内容。"})
    if resolution not in Resolution.values:
        raise ValidationError({"resolution": "请选择办理结果：已解决、正在解决、列入计划逐步解决或留作参考/说明解释。"})
    files = list(files)
    checked = [material_upload_checked(upload, field="files") for upload in files]
    stored: list[str] = []
    with transaction.atomic():
        locked = _locked(suggestion)
        if not allows(user, "reply_suggestion", locked):  # the locked row's lead unit, not the page's
            raise PermissionDenied(REPLY_DENIED)
        before = locked.status
        rehandling = before == S.REHANDLING
        _fire(locked, SuggestionAction.REPLY, locked.reply)
        if rehandling:
            _check_date(date, "date", not_before=locked.evaluated_on, not_before_label="代表评价日期")
        else:
            _check_date(date, "date", not_before=locked.assigned_on, not_before_label="交办日期")
        locked.replied_on, locked.reply_text, locked.resolution = date, text.strip(), resolution
        if locked.first_replied_on is None:
            locked.first_replied_on = date
        locked.feedback_due = _clock(lambda cal: clocks.feedback_due(date, cal=cal), "date")
        locked.satisfaction, locked.evaluation_comment, locked.evaluated_on = None, "", None
        reply = SuggestionReply(
            suggestion=locked, unit=locked.lead_unit, rehandling=rehandling, date=date, text=text.strip(),
            resolution=resolution, replied_by=user if user.is_authenticated else None,
        )
        reply._history_user = reply.replied_by
        reply.save()
        try:
            for upload, (name, file_type) in zip(files, checked):
                attachment = SuggestionReplyAttachment(
                    reply=reply, name=name, file_type=file_type, size=upload.size, uploaded_by=reply.replied_by,
                )
                attachment.file.save(name, upload, save=False)
                stored.append(attachment.file.name)
                attachment.save()
            note = f"{Resolution(resolution).label}" + ("（重新办理答复）" if rehandling else "")
            saved = _save(locked, user=user, action=SuggestionAction.REPLY, before=before, date=date, note=note)
            suggestion_replied.send(sender=Suggestion, suggestion=saved, reply=reply)  # the outbox: committed with it
            return saved
        except Exception:
            for name in stored:  # the rows roll back: leave no orphan file
                SuggestionReplyAttachment.file.field.storage.delete(name)
            raise


# --- evaluate ----------------------------------------------------------------------------------------


def suggestion_evaluate(*, user, suggestion: Suggestion, satisfaction: str, comment: str = "",
                        date: dt.date | None = None) -> Suggestion:
    """评价 by the lead deputy: dissatisfied with the first reply reopens it (the rehandling reply is due two
    months later, clocks); satisfied or basically satisfied, or any evaluation of the rehandling reply, closes it."""
    if not allows(user, "evaluate_suggestion", suggestion):
        raise PermissionDenied("只有领衔代表本人可以评价答复。")
    if satisfaction not in Satisfaction.values:
        raise ValidationError({"satisfaction": "请选择满意、基本满意或不满意。"})
    date = date or _today()
    with transaction.atomic():
        locked = _locked(suggestion)
        before = locked.status
        if locked.status != S.REPLIED:
            _refuse_state(locked, SuggestionAction.EVALUATE)
        _check_date(date, "date", not_before=locked.replied_on, not_before_label="答复日期")
        reopens = satisfaction == Satisfaction.DISSATISFIED and not locked.rehandled
        rehandling_due = _clock(lambda cal: clocks.rehandling_due(date, cal=cal), "date") if reopens else None
        _fire(locked, SuggestionAction.EVALUATE, locked.evaluate, satisfaction)
        if reopens:
            locked.rehandling_due = rehandling_due
        locked.satisfaction, locked.evaluation_comment, locked.evaluated_on = satisfaction, comment.strip(), date
        if locked.status == S.CLOSED:
            locked.closed_on = date
        reply = locked.replies.order_by("-rehandling", "-id").first()
        if reply is not None:
            reply.satisfaction, reply.evaluation_comment, reply.evaluated_on = satisfaction, comment.strip(), date
            reply._history_user = user
            reply.save(update_fields=["satisfaction", "evaluation_comment", "evaluated_on"])
        note = Satisfaction(satisfaction).label + (f":{comment.strip()}" if comment.strip() else "")
        saved = _save(locked, user=user, action=SuggestionAction.EVALUATE, before=before, date=date, note=note)
        suggestion_evaluated.send(sender=Suggestion, suggestion=saved, reply=reply)  # the outbox: committed with it
        return saved


# --- close -----------------------------------------------------------------------------------------------


def suggestion_close(*, user, suggestion: Suggestion, date: dt.date, note: str = "") -> Suggestion:
    """办结 by the liaison office: a reply the lead deputy left without feedback past its deadline (代表未反馈)."""
    if not allows(user, "close_suggestion", suggestion):
        raise PermissionDenied("只有代表联络机构可以办结建议。")
    with transaction.atomic():
        locked = _locked(suggestion)
        before = locked.status
        if locked.status != S.REPLIED:
            _refuse_state(locked, SuggestionAction.CLOSE)
        _check_date(date, "date", not_before=locked.replied_on, not_before_label="答复日期")
        locked.closed_on, locked.close_note = date, (note or "").strip()
        if not can_proceed(locked.close):
            raise ValidationError(
                {"date": f"代表的反馈期限到{chinese_date(locked.feedback_due)}为止，期限届满前不能以未反馈为由办结。"},
                code="feedback_pending",
            )
        locked.close()
        return _save(locked, user=user, action=SuggestionAction.CLOSE, before=before, date=date,
                     note=locked.close_note or "代表未在期限内反馈")


# --- withdraw --------------------------------------------------------------------------------------------


def suggestion_withdraw(*, user, suggestion: Suggestion) -> Suggestion:
    """撤回 before any reply (the lead deputy, or the liaison office): its contribution is deleted with it, so it no
    longer counts for A9.2 or the handbook (the deletion is kept in the contribution's history)."""
    if not allows(user, "withdraw_suggestion", suggestion):
        raise PermissionDenied("只有领衔代表本人或代表联络机构可以撤回建议。")
    with transaction.atomic():
        locked = _locked(suggestion)
        before = locked.status
        _fire(locked, SuggestionAction.WITHDRAW, locked.withdraw)
        contribution = locked.contribution
        locked.contribution = None
        saved = _save(locked, user=user, action=SuggestionAction.WITHDRAW, before=before, date=_today())
        if contribution is not None:
            record_delete(contribution, user=user)  # a year approved in review is locked: refused, nothing changes
        return saved


# --- handling units --------------------------------------------------------------------------------------


def handling_unit_save(*, user, unit: HandlingUnit | None = None, data: dict[str, Any] | None = None) -> HandlingUnit:
    """Create or change a handling unit: the liaison office."""
    return record_save(unit or HandlingUnit(), user=user, data=data, allowed=allows(user, "manage_handling_units"))


def handling_unit_delete(*, user, unit: HandlingUnit) -> None:
    """Delete a handling unit no suggestion names, as lead or co-unit (else a 400 saying it is still in use)."""
    if not allows(user, "manage_handling_units"):
        raise PermissionDenied("您无权删除承办单位。")
    if unit.suggestions_cohandled.exists():
        raise ValidationError({"__all__": "该承办单位仍是一些建议的协办单位，不能删除。"})
    record_delete(unit, user=user)
