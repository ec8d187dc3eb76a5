"""Writes for sessions: sessions and meetings, leave requests and their approval chains (backfill
included), attendance, contributions and their confirmation."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from deputies.models import Deputy
from deputies.selectors import deputy_list
from dutyadmin.checkin import CheckinDays, check_token, deputy_refusal, make_token, refusal_from
from dutyadmin.roles import Role
from dutyadmin.scope import scope_for
from dutyadmin.bulk import bulk_upsert, one_of
from dutyadmin.dates import after_today, chinese_date, future_meeting_message
from dutyadmin.permissions import allows, step_decider_role
from dutyadmin.services import Conflict, confirmed_refusal, record_delete, record_save
from simple_history.utils import bulk_create_with_history
from dutyadmin.year_lock import assert_record_open, assert_year_open

from .choices import AttendanceStatus, LeaveRoute, LeaveStatus, MeetingKind, StepStatus
from .models import Attendance, CongressSession, Contribution, LeaveApprovalStep, LeaveRequest, Meeting
from .owners import OWNED_CONTRIBUTION_MESSAGE, contributions_owned
from .signals import contribution_reviewed, leave_request_stepped


# What a step of a route is (RULES.md, Leave): the deciding step (批准 / 审批) makes the request
# `approved`; a filing step (备案) after it only records that the office filed it (never changes the
# status, cannot refuse); the others route the request towards the deciding step.
ROUTING, DECIDING, FILING = "routing", "deciding", "filing"


@dataclass(frozen=True)
class StepSpec:
    code: str
    role: str
    label: str
    kind: str = ROUTING


# The approval chain of each route, exactly as RULES.md (Art. 3(一)) lists it: one deciding step each.
LEAVE_CHAINS: dict[str, tuple[StepSpec, ...]] = {
    LeaveRoute.WHOLE_SESSION: (
        StepSpec("street_director_agree", Role.STREET_DIRECTOR, "街工委主任同意"),
        StepSpec("sc_office_receive", Role.SC_OFFICE, "报区人大常委会办公室"),
        StepSpec("sc_leader_approve", Role.SC_LEADER, "常委会主任或主持日常工作的副主任批准", DECIDING),
        StepSpec("sc_office_file", Role.SC_OFFICE, "区人大常委会办公室备案", FILING),
    ),
    LeaveRoute.PLENARY: (
        StepSpec("delegation_head_opinion", Role.DELEGATION_HEAD, "代表团团长签署意见"),
        StepSpec("secretariat_receive", Role.SECRETARIAT, "报大会秘书处"),
        StepSpec("secretary_general_approve", Role.PRESIDIUM_SECRETARY_GENERAL, "大会主席团秘书长审批", DECIDING),
    ),
    LeaveRoute.DELEGATION_MEETING: (
        StepSpec("delegation_head_approve", Role.DELEGATION_HEAD, "代表团团长审批", DECIDING),
        StepSpec("secretariat_file", Role.SECRETARIAT, "报大会秘书处备案", FILING),
    ),
}
STEP_LABELS = {spec.code: spec.label for chain in LEAVE_CHAINS.values() for spec in chain}
STEP_KINDS = {spec.code: spec.kind for chain in LEAVE_CHAINS.values() for spec in chain}
DECIDING_STEPS: dict[str, StepSpec] = {
    route: next(spec for spec in chain if spec.kind == DECIDING) for route, chain in LEAVE_CHAINS.items()
}
FILING_STEPS: dict[str, StepSpec | None] = {
    route: next((spec for spec in chain if spec.kind == FILING), None) for route, chain in LEAVE_CHAINS.items()
}
FILING_CODES = frozenset(spec.code for spec in FILING_STEPS.values() if spec is not None)
assert all(sum(spec.kind == DECIDING for spec in chain) == 1 for chain in LEAVE_CHAINS.values())
# A filing step only ever follows the deciding step.
assert all(chain.index(DECIDING_STEPS[route]) < chain.index(FILING_STEPS[route])
           for route, chain in LEAVE_CHAINS.items() if FILING_STEPS[route] is not None)


def deciding_index(route: str) -> int:
    """The position (0-based) of the route's deciding step in its chain."""
    return LEAVE_CHAINS[route].index(DECIDING_STEPS[route])


def is_filing(step: LeaveApprovalStep) -> bool:
    return STEP_KINDS.get(step.code) == FILING


def validate_leave_meetings(leave: LeaveRequest, meetings) -> None:
    """Raise ValidationError({"meetings": …}) unless the meetings fit the request's route and session."""
    _validate_meetings(leave, meetings)


def _validate_meetings(leave: LeaveRequest, meetings) -> None:
    meetings = list(meetings)
    if leave.route == LeaveRoute.WHOLE_SESSION:
        if meetings:
            raise ValidationError({"meetings": "全程请假覆盖整次大会,不需要选择会议。"})
        return
    if not meetings:
        raise ValidationError({"meetings": "请选择要请假的会议。"})
    if any(m.session_id != leave.session_id for m in meetings):
        raise ValidationError({"meetings": "所选会议必须属于本次大会。"})
    if leave.route == LeaveRoute.DELEGATION_MEETING and any(m.kind != MeetingKind.DELEGATION for m in meetings):
        raise ValidationError({"meetings": "分团会议请假只能选择分团会议。"})
    if leave.route == LeaveRoute.PLENARY and any(m.kind == MeetingKind.DELEGATION for m in meetings):
        raise ValidationError({"meetings": "分团会议请走“分团会议请假”。"})


def leave_request_save(*, user, leave_request: LeaveRequest | None = None, data: dict) -> LeaveRequest:
    """Create or edit a leave request; only a draft can be edited."""
    leave = leave_request or LeaveRequest(created_by=user if user.is_authenticated else None)
    if leave.pk and leave.status != LeaveStatus.DRAFT:
        raise ValidationError({"status": "已提交的请假申请不能修改;如需更改,请撤回后重新申请。"})
    data = dict(data)
    meetings = data.pop("meetings", None)
    for name, value in data.items():
        setattr(leave, name, value)
    if meetings is None:
        meetings = list(leave.meetings.all()) if leave.pk else []
    allowed = leave.deputy_id is not None and allows(scope_for(user), "file_leave", leave.deputy)
    if leave.deputy_id and leave.session_id:
        _validate_meetings(leave, meetings)
    return record_save(leave, user=user, data={"meetings": meetings}, allowed=allowed)


def leave_request_ask(*, user, leave_request: LeaveRequest | None = None, data: dict, submit: bool) -> LeaveRequest:
    """Save a new or draft request and, when asked, submit it: both or neither."""
    with transaction.atomic():
        leave = leave_request_save(user=user, leave_request=leave_request, data=data)
        if submit:
            leave = leave_request_submit(user=user, leave_request=leave)
    return leave


def _locked(leave_request: LeaveRequest) -> LeaveRequest:
    """Re-read the request under a row lock, so two approvers cannot complete one step twice."""
    return (LeaveRequest.objects.select_for_update(of=("self",))
            .select_related("deputy__delegation", "deputy__user_scope").get(pk=leave_request.pk))


def _stamp(obj, user) -> None:
    obj._history_user = user if user.is_authenticated else None


def leave_request_submit(*, user, leave_request: LeaveRequest) -> LeaveRequest:
    """Draft → pending; the route's steps are laid out, the first waits."""
    with transaction.atomic():
        leave = _locked(leave_request)
        if not allows(scope_for(user), "file_leave", leave.deputy):
            raise PermissionDenied("您无权提交这份请假申请。")
        if leave.status != LeaveStatus.DRAFT:  # submitted already (a repeat, another tab): the state moved on
            raise Conflict(f"只有草稿可以提交,当前状态为“{leave.get_status_display()}”。",
                           current=_step_state(leave, current_step(leave)))
        leave.steps.all().delete()
        bulk_create_with_history(  # each step laid out has its history row (issue 17)
            [LeaveApprovalStep(leave_request=leave, order=i, code=spec.code, role=spec.role)
             for i, spec in enumerate(LEAVE_CHAINS[leave.route], start=1)],
            LeaveApprovalStep, default_user=user if user.is_authenticated else None,
        )
        leave.status = LeaveStatus.PENDING
        _stamp(leave, user)
        leave.save(update_fields=["status"])
        leave_request_stepped.send(sender=LeaveRequest, leave_request=leave)  # the outbox: committed with the submission
    return leave


def current_step(leave: LeaveRequest) -> LeaveApprovalStep | None:
    """The first waiting step: before the decision the one to approve, after it the filing still open."""
    return leave.steps.filter(status=StepStatus.WAITING).order_by("order").first()


def _step_state(leave: LeaveRequest, step: LeaveApprovalStep | None) -> dict:
    return {"status": leave.status, "step": step.order if step else None,
            "step_label": STEP_LABELS.get(step.code, step.code) if step else None}


def _step_to_act_on(user, leave: LeaveRequest, expected: int | None = None) -> LeaveApprovalStep:
    """The step the user acts on: the current one. `expected` is the step (its order) the user saw as
    current; when it is no longer (a double click, another approver first) the action is a Conflict."""
    step = current_step(leave) if leave.status in (LeaveStatus.PENDING, LeaveStatus.APPROVED) else None
    if expected is not None and (step is None or step.order != expected):
        raise Conflict("该环节已经办理,或申请已由他人处理;请查看最新状态。", current=_step_state(leave, step))
    if leave.status == LeaveStatus.APPROVED and (step is None or not is_filing(step)):
        raise ValidationError({"status": "该申请已批准并已备案,无需再办理。"})
    if leave.status not in (LeaveStatus.PENDING, LeaveStatus.APPROVED):
        raise ValidationError({"status": f"该申请当前状态为“{leave.get_status_display()}”,无需审批。"})
    step.leave_request = leave  # the locked row, its deputy and delegation read
    if not allows(user, "decide_leave_step", step):
        if scope_for(user).deputy_id == leave.deputy_id:
            raise PermissionDenied("这是您本人的请假申请,依回避原则不能由您审批;团长、街工委主任本人的请假由大会秘书处代为办理。")
        raise PermissionDenied("当前环节不由您办理。")
    return step


def _acted_on_step_before(user, leave: LeaveRequest, step: LeaveApprovalStep) -> bool:
    """Whether `user` completed the step right before `step` (an unnamed action would then be a repeat)."""
    return (step.order > 1 and user.is_authenticated
            and leave.steps.filter(order=step.order - 1, status=StepStatus.DONE, acted_by=user).exists())


def _act_on(step: LeaveApprovalStep, user, status: str, comment: str) -> None:
    """Complete or reject the step; `stood_in` when the secretariat took a head's or a street director's own step
    (回避)."""
    step.status, step.acted_by, step.acted_at, step.comment = status, user, timezone.now(), comment
    step.stood_in = step_decider_role(step.role, step.leave_request.deputy) != step.role
    _stamp(step, user)
    step.save()


def _cancel_waiting(leave: LeaveRequest, user, comment: str) -> None:
    """Cancel the steps still waiting, each with its history row and the comment."""
    for step in leave.steps.filter(status=StepStatus.WAITING).order_by("order"):
        step.status = StepStatus.CANCELLED
        if comment:
            step.comment = comment
        _stamp(step, user)
        step.save(update_fields=["status", "comment"])


def leave_request_approve(*, user, leave_request: LeaveRequest, comment: str = "",
                          step: int | None = None) -> LeaveRequest:
    """Complete the current step (`step`: the one the user saw, so a repeat is a Conflict). The deciding
    step approves the request (its absences are excused from then on); a filing step after it records
    the filing and leaves the request approved."""
    return _complete_step(user=user, leave_request=leave_request, comment=comment, expected=step)


def leave_request_file(*, user, leave_request: LeaveRequest, comment: str = "",
                       step: int | None = None) -> LeaveRequest:
    """备案: complete the open filing step of an approved request (the status stays approved)."""
    return _complete_step(user=user, leave_request=leave_request, comment=comment, filing_only=True, expected=step)


def _complete_step(*, user, leave_request: LeaveRequest, comment: str, filing_only: bool = False,
                   expected: int | None = None) -> LeaveRequest:
    with transaction.atomic():
        leave = _locked(leave_request)
        if filing_only and leave.status != LeaveStatus.APPROVED and expected is None:
            raise ValidationError({"status": "只有已批准的请假才需要备案。"})
        step = _step_to_act_on(user, leave, expected)
        if expected is None and _acted_on_step_before(user, leave, step):
            # One click is one step: an approval that names no step, by the user who completed the step
            # just before, is a repeat (a double click, a retried request), not the next step.
            raise Conflict("您刚办理了上一环节;如需继续办理下一环节“%s”,请注明环节序号(step)。"
                           % STEP_LABELS.get(step.code, step.code), current=_step_state(leave, step))
        if filing_only and not is_filing(step):
            raise ValidationError({"status": "只有已批准的请假才需要备案。"})
        decides = STEP_KINDS.get(step.code) == DECIDING
        if decides:
            assert_record_open(leave)  # approval excuses absences: not in a year already approved in review
        # Filing changes no figure: it is allowed in a year already locked by the year-end review.
        _act_on(step, user, StepStatus.DONE, comment)
        if decides:
            leave.status = LeaveStatus.APPROVED
            _stamp(leave, user)
            leave.save(update_fields=["status"])
        leave_request_stepped.send(sender=LeaveRequest, leave_request=leave)  # next approver, or the deputy once approved
    return leave


def leave_request_reject(*, user, leave_request: LeaveRequest, comment: str = "",
                         step: int | None = None) -> LeaveRequest:
    """Reject at the current step, with the reason; the request ends. A filing step cannot reject."""
    if not comment.strip():
        raise ValidationError({"comment": "驳回时请填写理由。"})
    with transaction.atomic():
        leave = _locked(leave_request)
        current = _step_to_act_on(user, leave, step)
        if leave.status == LeaveStatus.APPROVED or is_filing(current):
            raise ValidationError({"status": "请假已经批准;备案环节只作记录,不能驳回。"})
        _act_on(current, user, StepStatus.REJECTED, comment)
        _cancel_waiting(leave, user, "")
        leave.status = LeaveStatus.REJECTED
        _stamp(leave, user)
        leave.save(update_fields=["status"])
        leave_request_stepped.send(sender=LeaveRequest, leave_request=leave)
    return leave


def leave_request_withdraw(*, user, leave_request: LeaveRequest, comment: str = "",
                           step: int | None = None) -> LeaveRequest:
    """The deputy (or staff for them) withdraws a draft or pending request before its deciding step.
    The comment is kept on each cancelled step and in the request's own history (its change reason)."""
    with transaction.atomic():
        leave = _locked(leave_request)
        if not allows(scope_for(user), "file_leave", leave.deputy):
            raise PermissionDenied("您无权撤回这份请假申请。")
        if leave.status not in (LeaveStatus.DRAFT, LeaveStatus.PENDING):
            if step is not None or leave.status == LeaveStatus.WITHDRAWN:
                raise Conflict(f"该申请已是“{leave.get_status_display()}”状态,无需再撤回。",
                               current=_step_state(leave, current_step(leave)))
            raise ValidationError({"status": f"该申请当前状态为“{leave.get_status_display()}”,不能撤回。"})
        _cancel_waiting(leave, user, comment)
        leave.status = LeaveStatus.WITHDRAWN
        leave._change_reason = comment[:100] or None
        _stamp(leave, user)
        leave.save(update_fields=["status"])
    return leave


def leave_request_delete(*, user, leave_request: LeaveRequest) -> None:
    """Delete a draft; a submitted request stays (withdraw it instead), its history matters."""
    if leave_request.status != LeaveStatus.DRAFT:
        raise ValidationError({"status": "只能删除草稿;已提交的请假申请请撤回。"})
    record_delete(
        leave_request, user=user, allowed=allows(scope_for(user), "file_leave", leave_request.deputy)
    )


# --- Backfill (补录): leave decided on paper for a session already held. ---


@dataclass(frozen=True)
class PaperStep:
    """One signed step of a paper leave form: who signed it, on what day, with what comment."""

    acted_by_name: str
    acted_at: dt.date | None
    comment: str = ""


BACKFILL_OUTCOMES = (LeaveStatus.APPROVED, LeaveStatus.REJECTED)


def _step_error(index: int, field: str, message: str) -> ValidationError:
    return ValidationError(message, code="invalid_step", params={"index": index, "field": field})


def _paper_step_errors(chain, steps: list[PaperStep], status: str, today: dt.date) -> list[ValidationError]:
    """Every problem of the paper steps, each naming its step (params index, field)."""
    errors = []
    deciding = next(i for i, spec in enumerate(chain) if spec.kind == DECIDING) + 1
    if status == LeaveStatus.APPROVED and not deciding <= len(steps) <= len(chain):
        needed = f"{deciding} 至 {len(chain)}" if deciding < len(chain) else f"全部 {len(chain)}"
        errors.append(ValidationError(
            f"批准的请假要填写到决定步骤“{chain[deciding - 1].label}”为止的环节,备案可以后补({needed} 个),"
            f"收到 {len(steps)} 个。"
        ))
    if status == LeaveStatus.REJECTED and not 1 <= len(steps) <= deciding:
        errors.append(ValidationError(
            f"驳回的请假要填写从第 1 步到驳回那一步的环节(1 至 {deciding} 个;备案环节不能驳回)。"
        ))
    previous = None
    for index, (spec, step) in enumerate(zip(chain, steps)):
        where = f"第 {index + 1} 步“{spec.label}”"
        name = (step.acted_by_name or "").strip()
        if not name:
            errors.append(_step_error(index, "acted_by_name", f"{where}:请填写办理人。"))
        elif len(name) > 50:
            errors.append(_step_error(index, "acted_by_name", f"{where}:办理人不能超过 50 个字。"))
        if step.acted_at is None:
            errors.append(_step_error(index, "acted_at", f"{where}:请填写办理日期。"))
        elif step.acted_at > today:
            errors.append(_step_error(index, "acted_at", f"{where}:办理日期不能晚于今天。"))
        elif previous is not None and step.acted_at < previous:
            errors.append(_step_error(index, "acted_at", f"{where}:办理日期不能早于上一步。"))
        if step.acted_at is not None:
            previous = step.acted_at
    if status == LeaveStatus.REJECTED and steps and len(steps) <= len(chain) and not steps[-1].comment.strip():
        index = len(steps) - 1
        errors.append(_step_error(index, "comment", f"第 {index + 1} 步“{chain[index].label}”:请填写驳回理由。"))
    return errors


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def leave_request_backfill(
    *, user, data: dict, steps: list[PaperStep], status: str, today: dt.date | None = None
) -> LeaveRequest:
    """Enter a leave decided on paper for a session already held, with who signed each step and when.

    data: deputy, session, route, meetings, reason and optionally certificate. status approved: the steps
    up to the deciding one were signed, and the filing step too when it was filed (else it stays open);
    rejected: the steps up to the one that refused (the deciding step at the latest), whose comment is the
    reason (the later steps are cancelled). Saved as backfilled, in one transaction, with history.
    """
    today = today or timezone.localdate()
    data = dict(data)
    meetings = list(data.pop("meetings", None) or [])
    leave = LeaveRequest(created_by=user if user.is_authenticated else None, backfilled=True)
    for name, value in data.items():
        setattr(leave, name, value)
    if leave.deputy_id is not None and not allows(scope_for(user), "backfill_leave", leave.deputy):
        raise PermissionDenied("您无权补录这位代表的请假。")

    errors: dict[str, list] = {}
    if status not in BACKFILL_OUTCOMES:
        errors["status"] = ["补录的审批结果只能是“已批准”或“已驳回”。"]
    leave.status = status if status in BACKFILL_OUTCOMES else LeaveStatus.DRAFT
    if leave.session_id is not None and leave.session.start_date > today:
        errors["session"] = ["只能补录已经召开的大会的请假;尚未召开的大会请按正常流程申请。"]
    chain = LEAVE_CHAINS.get(leave.route, ())
    if chain and status in BACKFILL_OUTCOMES:
        step_errors = _paper_step_errors(chain, steps, status, today)
        if step_errors:
            errors["steps"] = step_errors
    checks = [leave.full_clean]
    if leave.deputy_id and leave.session_id and chain:
        checks.append(lambda: _validate_meetings(leave, meetings))
    for check in checks:
        try:
            check()
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    assert_record_open(leave)  # a year approved in review is locked: no leave is added to it afterwards

    history_user = user if user.is_authenticated else None
    with transaction.atomic():
        leave._history_user = history_user
        leave.save()
        leave.meetings.set(meetings)
        for index, spec in enumerate(chain):
            step = LeaveApprovalStep(leave_request=leave, order=index + 1, code=spec.code, role=spec.role)
            if index < len(steps):
                paper = steps[index]
                refused = status == LeaveStatus.REJECTED and index == len(steps) - 1
                step.status = StepStatus.REJECTED if refused else StepStatus.DONE
                step.acted_by_name = paper.acted_by_name.strip()
                step.acted_at = _start_of(paper.acted_at)
                step.comment = paper.comment.strip()
            else:  # approved: the filing not done yet stays open; rejected: nobody acts any more
                step.status = StepStatus.WAITING if status == LeaveStatus.APPROVED else StepStatus.CANCELLED
            step._history_user = history_user
            step.save()
    return leave


# --- Sessions and meetings: the secretariat records them. ---


def session_save(*, user, session: CongressSession | None = None, data: dict | None = None) -> CongressSession:
    """Create or change a congress session."""
    allowed = allows(scope_for(user), "record_attendance")
    return record_save(session or CongressSession(), user=user, data=data, allowed=allowed)


def meeting_save(*, user, meeting: Meeting | None = None, data: dict | None = None) -> Meeting:
    """Create or change one meeting of a session."""
    allowed = allows(scope_for(user), "record_attendance")
    return record_save(meeting or Meeting(), user=user, data=data, allowed=allowed)


# --- Attendance (出席记录): the secretariat records what it saw at each meeting. ---


def attendance_save(*, user, attendance: Attendance | None = None, data: dict) -> Attendance:
    """Create or change one attendance record; one per meeting and deputy."""
    allowed = allows(scope_for(user), "record_attendance")
    if not allowed:
        raise PermissionDenied("您无权登记出席情况。")
    attendance = attendance or Attendance()
    return record_save(attendance, user=user, data=data, allowed=allowed)


def attendance_delete(*, user, attendance: Attendance) -> None:
    record_delete(attendance, user=user, allowed=allows(scope_for(user), "record_attendance"))


def attendance_bulk_upsert(*, user, meeting: Meeting, records: list) -> dict[str, int]:
    """Record a meeting's roll call, all rows or none.

    records: [{"deputy": id, "status": "present" | "absent"}, ...]. Every row is validated first
    (well-formed, deputy in the user's scope and of the meeting's term, not repeated, status
    valid); any bad row raises one ValidationError naming every bad row. Then existing records are
    updated and missing ones created in one transaction, with history, in a fixed number of
    queries. Returns {"created", "updated", "unchanged"}.
    """
    if not allows(scope_for(user), "record_attendance"):
        raise PermissionDenied("您无权登记出席情况。")
    if after_today(meeting.date):  # what was seen is recorded on or after the day (Attendance.clean)
        raise ValidationError({"meeting": future_meeting_message(meeting.date)})
    term_id = meeting.session.term_id

    def deputy_problem(deputy) -> str | None:
        return f"代表 {deputy.pk} 与会议不属于同一届。" if deputy.term_id != term_id else None

    return bulk_upsert(
        user=user,
        model=Attendance,
        parent=("meeting", meeting),
        records=records,
        fields={"status": one_of(AttendanceStatus)},
        required={"status"},
        deputies=deputy_list(user=user).only("pk", "term_id"),
        deputy_problem=deputy_problem,
        # a year approved in review is locked
        before_save=lambda deputies: assert_year_open(deputies=deputies, dates=[meeting.date]),
        conflict_message="出席记录已被他人同时修改,请刷新后重试。",  # another roll call saved at the same moment
    )


# --- Contributions (审议意见、建议、议案、询问): staff record them; a deputy's own entry waits for staff. ---


def contribution_editable(scope, contribution: Contribution, *, owned: set[int] | None = None) -> bool:
    """Staff in scope change any contribution; a deputy changes their own until it is confirmed
    (permissions.change_own_entry); nobody changes one another record owns here (`owned`: contributions_owned of
    a page's rows, read once)."""
    if contribution.pk is not None and contribution.pk in (
        contributions_owned([contribution.pk]) if owned is None else owned
    ):
        return False
    if allows(scope, "enter_contribution", contribution.deputy):
        return True
    return contribution.deputy is not None and allows(scope, "change_own_entry", contribution)


def contribution_refusal(scope, contribution: Contribution) -> PermissionDenied | None:
    """Why the deputy may no longer change their own contribution: staff confirmed it (who, when); None otherwise."""
    if contribution.staff_confirmation is None or contribution.deputy_id is None:
        return None
    if allows(scope, "enter_contribution", contribution.deputy) or not allows(scope, "act_as_deputy", contribution):
        return None
    return confirmed_refusal(contribution.staff_confirmation)


def _refuse_unless_editable(scope, contribution: Contribution, *, verb: str = "修改") -> None:
    if contributions_owned([contribution.pk]):
        raise PermissionDenied(OWNED_CONTRIBUTION_MESSAGE)
    if not contribution_editable(scope, contribution):
        raise contribution_refusal(scope, contribution) or PermissionDenied(f"您无权{verb}这条记录。")


def contribution_save(*, user, contribution: Contribution | None = None, data: dict | None = None) -> Contribution:
    """Create or change a contribution.

    Staff (enter_contribution) record it confirmed; saving a deputy's pending entry
    confirms it. A deputy records their own, which stays unconfirmed (it counts for nothing) until
    staff confirm it; changing it after a return sends it back for review. Once confirmed, it is the staff's
    to change: the deputy's change is refused (who confirmed it and when), read under a row lock, so a
    confirmation a moment before the deputy's save counts.

    A staff change of a confirmed contribution keeps it confirmed, by whoever confirmed it, and its history
    row names the staff user who changed it (issue 15, choice): RULES.md counts a confirmed contribution for
    the silent-years rule and DESIGN.md keeps every change in history; staff enter contributions confirmed
    (they vouch for what they record), so their correction is no less confirmed, and sending it back to
    unconfirmed would drop it from the figures until someone confirmed it again (a silent year out of a typo fix).
    """
    scope = scope_for(user)
    contribution = contribution or Contribution()
    with transaction.atomic():
        stored = None
        if contribution.pk is not None:
            stored = _locked_contribution(contribution)  # the state now, not the one the caller read
            _refuse_unless_editable(scope, stored)
        new = stored is None
        for name, value in (data or {}).items():
            setattr(contribution, name, value)
        deputy = contribution.deputy if contribution.deputy_id else None
        if deputy is not None and allows(scope, "enter_contribution", deputy):
            if new or not stored.confirmed:
                contribution.confirmed, contribution.confirmed_by, contribution.confirmed_at = True, user, timezone.now()
                contribution.return_reason = ""
            else:  # a confirmed one stays confirmed, by whoever confirmed it (the history row names the editor)
                contribution.confirmed = True
                contribution.confirmed_by_id, contribution.confirmed_at = stored.confirmed_by_id, stored.confirmed_at
            allowed = True
        elif deputy is not None and allows(scope, "self_register", deputy):
            contribution.confirmed, contribution.confirmed_by, contribution.confirmed_at = False, None, None
            contribution.return_reason = ""
            allowed = True
        else:
            allowed = deputy is None  # no deputy: full_clean says the field is required
        return record_save(contribution, user=user, allowed=allowed)


def _locked_contribution(contribution: Contribution) -> Contribution:
    return (
        Contribution.objects.select_for_update(of=("self",)).select_related("deputy").order_by().get(pk=contribution.pk)
    )


def _contribution_state(contribution: Contribution) -> dict:
    """The current state a 409 answers with (a repeat, or another staff member first)."""
    return {"review_state": contribution.review_state, "confirmed": contribution.confirmed,
            "confirmed_by": contribution.confirmed_by_id,
            "confirmed_at": contribution.confirmed_at.isoformat() if contribution.confirmed_at else None,
            "return_reason": contribution.return_reason}


def _confirmed_by_text(contribution: Contribution) -> str:
    by, at = contribution.confirmed_by, contribution.confirmed_at
    who = (by.get_full_name() or by.get_username()) if by is not None else "工作人员"
    return f"{who}于{chinese_date(timezone.localtime(at).date())}" if at else who


def contribution_confirm(*, user, contribution: Contribution) -> Contribution:
    """Staff confirm a deputy's own entry: from now on it counts. A repeat (a double click, another staff member
    first) is a Conflict with the current state."""
    with transaction.atomic():
        locked = _locked_contribution(contribution)
        if not allows(scope_for(user), "enter_contribution", locked.deputy):
            raise PermissionDenied("您无权确认这位代表的记录。")
        if locked.confirmed:
            raise Conflict(f"这条记录已由{_confirmed_by_text(locked)}确认，无需再确认。",
                           current=_contribution_state(locked), field="confirmed")
        assert_record_open(locked)  # confirming makes it count: not in a year already approved in review
        locked.confirmed, locked.confirmed_by, locked.confirmed_at = True, user, timezone.now()
        locked.return_reason = ""
        _stamp(locked, user)
        locked.save(update_fields=["confirmed", "confirmed_by", "confirmed_at", "return_reason"])
        contribution_reviewed.send(sender=Contribution, contribution=locked)
    return locked


def contribution_return(*, user, contribution: Contribution, comment: str = "") -> Contribution:
    """Staff send a deputy's pending entry back with the reason; the deputy may correct it. One already
    confirmed or returned (a repeat, another staff member first) is a Conflict with the current state."""
    if not comment.strip():
        raise ValidationError({"comment": "退回时请填写理由。"})
    with transaction.atomic():
        locked = _locked_contribution(contribution)
        if not allows(scope_for(user), "enter_contribution", locked.deputy):
            raise PermissionDenied("您无权退回这位代表的记录。")
        if locked.confirmed:
            raise Conflict(f"这条记录已由{_confirmed_by_text(locked)}确认，已确认的记录不能退回。",
                           current=_contribution_state(locked), field="confirmed")
        if locked.return_reason:
            raise Conflict("这条记录已经退回，正等待代表修改。", current=_contribution_state(locked), field="confirmed")
        locked.return_reason = comment.strip()
        _stamp(locked, user)
        locked.save(update_fields=["return_reason"])
        contribution_reviewed.send(sender=Contribution, contribution=locked)
    return locked


def contribution_delete(*, user, contribution: Contribution) -> None:
    """Delete a contribution: staff in scope, or the deputy their own unconfirmed entry (never one a suggestion
    owns: withdrawing the suggestion deletes it). Read under a row lock, so a confirmation just made counts."""
    with transaction.atomic():
        stored = _locked_contribution(contribution)
        _refuse_unless_editable(scope_for(user), stored, verb="删除")
        record_delete(stored, user=user)


# --- checkin: a deputy checks in by scanning the meeting's code (自助签到). ---


def meeting_checkin_days(meeting: Meeting) -> CheckinDays:
    return CheckinDays(meeting.date, meeting.date)


def meeting_checkin_token(meeting: Meeting) -> str:
    return make_token("meeting", meeting.pk, meeting_checkin_days(meeting))


def attendance_self_check_in(*, user, meeting: Meeting, token: str, record: bool = True) -> tuple[Attendance | None, bool]:
    """Record the user (a deputy) present at the meeting by its check-in code, marked 自助签到.

    Raises CheckinRefused for a bad, forged, other meeting's or other day's token, not a deputy, another
    term, outside service or suspended, a locked year. Returns (attendance, already); already=True when
    they had checked in before (nothing changes). record=False only checks."""
    today = timezone.localdate()
    check_token("meeting", meeting.pk, token, meeting_checkin_days(meeting), today=today)
    scope = scope_for(user)
    deputy = None
    if Role.DEPUTY in scope.roles and scope.deputy_id is not None:
        deputy = Deputy.objects.filter(pk=scope.deputy_id).first()
    refusal = deputy_refusal(deputy, term_id=meeting.session.term_id, day=today)
    if refusal:
        raise refusal
    attendance = Attendance.objects.filter(meeting=meeting, deputy=deputy).first()
    if attendance and attendance.self_checked_in:
        return attendance, True
    if not record:
        return attendance, False
    attendance = attendance or Attendance(meeting=meeting, deputy=deputy)
    data = {"status": AttendanceStatus.PRESENT, "self_checked_in": True, "self_checked_in_at": timezone.now()}
    try:
        return record_save(attendance, user=user, data=data), False
    except ValidationError as exc:
        raise refusal_from(exc) from exc
