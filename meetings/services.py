"""Writes for sessions: leave requests and their approval chains, attendance."""
from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from deputies.choices import Role
from deputies.scope import scope_for
from deputies.selectors import deputy_list
from dutyadmin import policy
from dutyadmin.bulk import RowErrors, missing_deputy_message, read_choice, read_deputy_ids, read_rows
from dutyadmin.services import record_delete, record_save

from .choices import AttendanceStatus, LeaveRoute, LeaveStatus, MeetingKind, StepStatus
from .models import Attendance, LeaveApprovalStep, LeaveRequest, Meeting


@dataclass(frozen=True)
class StepSpec:
    code: str
    role: str
    label: str


# The approval chain of each route, exactly as RULES.md (Art. 3(一)) lists it.
LEAVE_CHAINS: dict[str, tuple[StepSpec, ...]] = {
    LeaveRoute.WHOLE_SESSION: (
        StepSpec("street_director_agree", Role.STREET_DIRECTOR, "街工委主任同意"),
        StepSpec("sc_office_receive", Role.SC_OFFICE, "报区人大常委会办公室"),
        StepSpec("sc_leader_approve", Role.SC_LEADER, "常委会主任或主持日常工作的副主任批准"),
        StepSpec("sc_office_file", Role.SC_OFFICE, "区人大常委会办公室备案"),
    ),
    LeaveRoute.PLENARY: (
        StepSpec("delegation_head_opinion", Role.DELEGATION_HEAD, "代表团团长签署意见"),
        StepSpec("secretariat_receive", Role.SECRETARIAT, "报大会秘书处"),
        StepSpec("secretary_general_approve", Role.PRESIDIUM_SECRETARY_GENERAL, "大会主席团秘书长审批"),
    ),
    LeaveRoute.DELEGATION_MEETING: (
        StepSpec("delegation_head_approve", Role.DELEGATION_HEAD, "代表团团长审批"),
        StepSpec("secretariat_file", Role.SECRETARIAT, "报大会秘书处备案"),
    ),
}
STEP_LABELS = {spec.code: spec.label for chain in LEAVE_CHAINS.values() for spec in chain}


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
    allowed = leave.deputy_id is not None and policy.can_edit_leave(scope_for(user), deputy=leave.deputy)
    if leave.deputy_id and leave.session_id:
        _validate_meetings(leave, meetings)
    return record_save(leave, user=user, data={"meetings": meetings}, allowed=allowed)


def _locked(leave_request: LeaveRequest) -> LeaveRequest:
    """Re-read the request under a row lock, so two approvers cannot complete one step twice."""
    return LeaveRequest.objects.select_for_update(of=("self",)).select_related("deputy").get(pk=leave_request.pk)


def _stamp(obj, user) -> None:
    obj._history_user = user if user.is_authenticated else None


def leave_request_submit(*, user, leave_request: LeaveRequest) -> LeaveRequest:
    """Draft → pending; the route's steps are laid out, the first waits."""
    with transaction.atomic():
        leave = _locked(leave_request)
        if not policy.can_edit_leave(scope_for(user), deputy=leave.deputy):
            raise PermissionDenied("您无权提交这份请假申请。")
        if leave.status != LeaveStatus.DRAFT:
            raise ValidationError({"status": f"只有草稿可以提交,当前状态为“{leave.get_status_display()}”。"})
        leave.steps.all().delete()
        LeaveApprovalStep.objects.bulk_create(
            LeaveApprovalStep(leave_request=leave, order=i, code=spec.code, role=spec.role)
            for i, spec in enumerate(LEAVE_CHAINS[leave.route], start=1)
        )
        leave.status = LeaveStatus.PENDING
        _stamp(leave, user)
        leave.save(update_fields=["status"])
    return leave


def current_step(leave: LeaveRequest) -> LeaveApprovalStep | None:
    return leave.steps.filter(status=StepStatus.WAITING).order_by("order").first()


def _step_to_act_on(user, leave: LeaveRequest) -> LeaveApprovalStep:
    if leave.status != LeaveStatus.PENDING:
        raise ValidationError({"status": f"该申请当前状态为“{leave.get_status_display()}”,无需审批。"})
    step = current_step(leave)
    if step is None or not policy.can_act_on_step(scope_for(user), step_role=step.role, deputy=leave.deputy):
        raise PermissionDenied("当前环节不由您办理。")
    return step


def leave_request_approve(*, user, leave_request: LeaveRequest, comment: str = "") -> LeaveRequest:
    """Complete the current step; completing the last one approves the request."""
    with transaction.atomic():
        leave = _locked(leave_request)
        step = _step_to_act_on(user, leave)
        step.status, step.acted_by, step.acted_at, step.comment = StepStatus.DONE, user, timezone.now(), comment
        _stamp(step, user)
        step.save()
        if not leave.steps.filter(status=StepStatus.WAITING).exists():
            leave.status = LeaveStatus.APPROVED
            _stamp(leave, user)
            leave.save(update_fields=["status"])
    return leave


def leave_request_reject(*, user, leave_request: LeaveRequest, comment: str = "") -> LeaveRequest:
    """Reject at the current step, with the reason; the request ends."""
    if not comment.strip():
        raise ValidationError({"comment": "驳回时请填写理由。"})
    with transaction.atomic():
        leave = _locked(leave_request)
        step = _step_to_act_on(user, leave)
        step.status, step.acted_by, step.acted_at, step.comment = StepStatus.REJECTED, user, timezone.now(), comment
        _stamp(step, user)
        step.save()
        leave.steps.filter(status=StepStatus.WAITING).update(status=StepStatus.CANCELLED)
        leave.status = LeaveStatus.REJECTED
        _stamp(leave, user)
        leave.save(update_fields=["status"])
    return leave


def leave_request_withdraw(*, user, leave_request: LeaveRequest, comment: str = "") -> LeaveRequest:
    """The deputy (or staff for them) withdraws a draft or pending request before the last step."""
    with transaction.atomic():
        leave = _locked(leave_request)
        if not policy.can_edit_leave(scope_for(user), deputy=leave.deputy):
            raise PermissionDenied("您无权撤回这份请假申请。")
        if leave.status not in (LeaveStatus.DRAFT, LeaveStatus.PENDING):
            raise ValidationError({"status": f"该申请当前状态为“{leave.get_status_display()}”,不能撤回。"})
        leave.steps.filter(status=StepStatus.WAITING).update(status=StepStatus.CANCELLED, comment=comment)
        leave.status = LeaveStatus.WITHDRAWN
        _stamp(leave, user)
        leave.save(update_fields=["status"])
    return leave


def leave_request_delete(*, user, leave_request: LeaveRequest) -> None:
    """Delete a draft; a submitted request stays (withdraw it instead), its history matters."""
    if leave_request.status != LeaveStatus.DRAFT:
        raise ValidationError({"status": "只能删除草稿;已提交的请假申请请撤回。"})
    record_delete(
        leave_request, user=user, allowed=policy.can_edit_leave(scope_for(user), deputy=leave_request.deputy)
    )


# --- Attendance (出席记录): the secretariat records what it saw at each meeting. ---


def attendance_save(*, user, attendance: Attendance | None = None, data: dict) -> Attendance:
    """Create or change one attendance record; one per meeting and deputy."""
    allowed = policy.can_edit_sessions(scope_for(user))
    if not allowed:
        raise PermissionDenied("您无权登记出席情况。")
    attendance = attendance or Attendance()
    return record_save(attendance, user=user, data=data, allowed=allowed)


def attendance_delete(*, user, attendance: Attendance) -> None:
    record_delete(attendance, user=user, allowed=policy.can_edit_sessions(scope_for(user)))


def attendance_bulk_upsert(*, user, meeting: Meeting, records: list) -> dict[str, int]:
    """Record a meeting's roll call, all rows or none.

    records: [{"deputy": id, "status": "present" | "absent"}, ...]. Every row is validated first
    (well-formed, deputy in the user's scope and of the meeting's term, not repeated, status
    valid); any bad row raises one ValidationError naming every bad row. Then existing records are
    updated and missing ones created in one transaction, with history, in a fixed number of
    queries. Returns {"created", "updated", "unchanged"}.
    """
    if not policy.can_edit_sessions(scope_for(user)):
        raise PermissionDenied("您无权登记出席情况。")
    errors = RowErrors()
    rows = read_rows(records, allowed={"deputy", "status"}, required={"deputy", "status"}, errors=errors)
    for index, row in rows:
        read_choice(index, row, "status", AttendanceStatus, errors)
    ids = read_deputy_ids(rows, errors)
    in_scope = deputy_list(user=user).filter(pk__in=set(ids.values())).select_related(None).order_by()
    deputies = {d.pk: d for d in in_scope.only("pk", "term_id")}
    term_id = meeting.session.term_id
    for index, deputy_id in ids.items():
        deputy = deputies.get(deputy_id)
        if deputy is None:
            errors.add(index, "deputy", missing_deputy_message(deputy_id))
        elif deputy.term_id != term_id:
            errors.add(index, "deputy", f"代表 {deputy_id} 与会议不属于同一届。")
    errors.raise_if_any()

    wanted = {ids[index]: row["status"] for index, row in rows}
    history_user = user if user.is_authenticated else None
    try:
        with transaction.atomic():
            existing = {
                a.deputy_id: a
                for a in Attendance.objects.select_for_update(of=("self",))
                .filter(meeting=meeting, deputy_id__in=wanted)
                .order_by()  # the default ordering joins (and would lock) meetings, sessions and deputies
            }
            to_create = [
                Attendance(meeting=meeting, deputy_id=deputy_id, status=status)
                for deputy_id, status in wanted.items()
                if deputy_id not in existing
            ]
            to_update = []
            for deputy_id, attendance in existing.items():
                if attendance.status != wanted[deputy_id]:
                    attendance.status = wanted[deputy_id]
                    to_update.append(attendance)
            if to_create:
                bulk_create_with_history(to_create, Attendance, default_user=history_user)
            if to_update:
                bulk_update_with_history(to_update, Attendance, ["status"], default_user=history_user)
    except IntegrityError as exc:
        # Another roll call for the same meeting was saved at the same moment.
        raise ValidationError({"records": "出席记录已被他人同时修改,请刷新后重试。"}) from exc
    return {
        "created": len(to_create),
        "updated": len(to_update),
        "unchanged": len(existing) - len(to_update),
    }
