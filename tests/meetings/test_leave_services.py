"""The three leave routes: each step by the right role in scope, reject ends it, withdraw before the end."""
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dutyadmin.services import Conflict
from dutyadmin.roles import Role
from meetings.choices import LeaveRoute, LeaveStatus, MeetingKind, StepStatus
from meetings.models import LeaveRequest
from meetings.services import (
    LEAVE_CHAINS,
    leave_request_approve,
    leave_request_reject,
    leave_request_save,
    leave_request_submit,
    leave_request_withdraw,
)
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_user):
    term = factories.TermFactory()
    dongsi = factories.StreetCommitteeFactory(name="东四", code="DS")
    chaoyangmen = factories.StreetCommitteeFactory(name="朝阳门", code="CYM")
    delegation = factories.DelegationFactory(term=term, name="东四代表团")
    other_delegation = factories.DelegationFactory(term=term, name="朝阳门代表团")
    deputy = factories.DeputyFactory(term=term, street_committee=dongsi, delegation=delegation, name="王芳")
    session = factories.CongressSessionFactory(term=term)
    plenary = factories.MeetingFactory(session=session, kind=MeetingKind.PLENARY)
    group = factories.MeetingFactory(session=session, kind=MeetingKind.DELEGATION)
    users = {
        "deputy": make_user(Role.DEPUTY, deputy=deputy),
        "director": make_user(Role.STREET_DIRECTOR, street_committee=dongsi),
        "other_director": make_user(Role.STREET_DIRECTOR, street_committee=chaoyangmen),
        "head": make_user(Role.DELEGATION_HEAD, delegation=delegation),
        "other_head": make_user(Role.DELEGATION_HEAD, delegation=other_delegation),
        "secretariat": make_user(Role.SECRETARIAT),
        "psg": make_user(Role.PRESIDIUM_SECRETARY_GENERAL),
        "sc_office": make_user(Role.SC_OFFICE),
        "sc_leader": make_user(Role.SC_LEADER),
        "admin": make_user(Role.ADMIN),
        "staff": make_user(Role.STREET_STAFF, street_committee=dongsi),
        "other_staff": make_user(Role.STREET_STAFF, street_committee=chaoyangmen),
    }
    return {"deputy": deputy, "session": session, "plenary": plenary, "group": group, "users": users}


def _ask(world, route, meetings=(), user="deputy"):
    leave = leave_request_save(
        user=world["users"][user],
        data={"deputy": world["deputy"], "session": world["session"], "route": route, "reason": "出差",
              "meetings": list(meetings)},
    )
    return leave_request_submit(user=world["users"][user], leave_request=leave)


CHAINS = {
    LeaveRoute.WHOLE_SESSION: ["director", "sc_office", "sc_leader", "sc_office"],
    LeaveRoute.PLENARY: ["head", "secretariat", "psg"],
    LeaveRoute.DELEGATION_MEETING: ["head", "secretariat"],
}


DECIDING_AT = {LeaveRoute.WHOLE_SESSION: 3, LeaveRoute.PLENARY: 3, LeaveRoute.DELEGATION_MEETING: 1}


@pytest.mark.parametrize("route", list(CHAINS))
def test_each_route_is_approved_at_its_deciding_step_and_filed_after(world, route):
    # Issue 12: the deciding step (批准 / 审批) approves; before, only the last step (the filing) did.
    meetings = {LeaveRoute.WHOLE_SESSION: [], LeaveRoute.PLENARY: [world["plenary"]],
                LeaveRoute.DELEGATION_MEETING: [world["group"]]}[route]
    leave = _ask(world, route, meetings)
    assert [s.role for s in leave.steps.order_by("order")] == [spec.role for spec in LEAVE_CHAINS[route]]
    for i, approver in enumerate(CHAINS[route]):
        leave.refresh_from_db()
        assert leave.status == (LeaveStatus.PENDING if i < DECIDING_AT[route] else LeaveStatus.APPROVED)
        leave_request_approve(user=world["users"][approver], leave_request=leave, comment=f"第{i + 1}步")
    leave.refresh_from_db()
    assert leave.status == LeaveStatus.APPROVED
    assert all(s.status == StepStatus.DONE and s.acted_by for s in leave.steps.all())


@pytest.mark.parametrize("intruder", ["other_director", "sc_leader", "deputy", "staff", "secretariat"])
def test_whole_session_first_step_refuses_anyone_but_the_deputys_street_director(world, intruder):
    leave = _ask(world, LeaveRoute.WHOLE_SESSION)
    with pytest.raises(PermissionDenied):
        leave_request_approve(user=world["users"][intruder], leave_request=leave)
    step = leave.steps.get(order=1)
    assert step.status == StepStatus.WAITING and step.acted_by is None
    assert LeaveRequest.objects.get(pk=leave.pk).status == LeaveStatus.PENDING


def test_a_delegation_head_of_another_delegation_cannot_approve(world):
    leave = _ask(world, LeaveRoute.DELEGATION_MEETING, [world["group"]])
    with pytest.raises(PermissionDenied):
        leave_request_approve(user=world["users"]["other_head"], leave_request=leave)


def test_an_admin_may_act_on_any_step(world):
    leave = _ask(world, LeaveRoute.PLENARY, [world["plenary"]])
    leave_request_approve(user=world["users"]["admin"], leave_request=leave)
    with pytest.raises(Conflict):  # unnamed, right after their own step 1: a repeat, not step 2
        leave_request_approve(user=world["users"]["admin"], leave_request=leave)
    for order in (2, 3):
        leave_request_approve(user=world["users"]["admin"], leave_request=leave, step=order)
    leave.refresh_from_db()
    assert leave.status == LeaveStatus.APPROVED


def test_reject_ends_the_request_with_its_reason(world):
    leave = _ask(world, LeaveRoute.PLENARY, [world["plenary"]])
    leave_request_approve(user=world["users"]["head"], leave_request=leave)
    with pytest.raises(ValidationError):
        leave_request_reject(user=world["users"]["secretariat"], leave_request=leave, comment="  ")
    leave_request_reject(user=world["users"]["secretariat"], leave_request=leave, comment="理由不充分")
    leave.refresh_from_db()
    assert leave.status == LeaveStatus.REJECTED
    assert [s.status for s in leave.steps.order_by("order")] == [StepStatus.DONE, StepStatus.REJECTED,
                                                                 StepStatus.CANCELLED]
    with pytest.raises(ValidationError):
        leave_request_approve(user=world["users"]["psg"], leave_request=leave)


def test_the_deputy_can_withdraw_before_the_deciding_step_but_not_after(world):
    # Issue 12: once the head approved a delegation-meeting leave it is approved, filed or not (before, it
    # could be withdrawn until the secretariat filed it).
    leave = _ask(world, LeaveRoute.PLENARY, [world["plenary"]])
    leave_request_approve(user=world["users"]["head"], leave_request=leave)
    leave_request_withdraw(user=world["users"]["deputy"], leave_request=leave)
    assert LeaveRequest.objects.get(pk=leave.pk).status == LeaveStatus.WITHDRAWN

    for filed in (False, True):
        approved = _ask(world, LeaveRoute.DELEGATION_MEETING, [world["group"]])
        leave_request_approve(user=world["users"]["head"], leave_request=approved)
        if filed:
            leave_request_approve(user=world["users"]["secretariat"], leave_request=approved)
        with pytest.raises(ValidationError):
            leave_request_withdraw(user=world["users"]["deputy"], leave_request=approved)
        assert LeaveRequest.objects.get(pk=approved.pk).status == LeaveStatus.APPROVED


def test_staff_of_another_street_cannot_ask_leave_for_the_deputy(world):
    with pytest.raises(PermissionDenied):
        _ask(world, LeaveRoute.WHOLE_SESSION, user="other_staff")
    assert not LeaveRequest.objects.exists()
    assert _ask(world, LeaveRoute.WHOLE_SESSION, user="staff").status == LeaveStatus.PENDING


@pytest.mark.parametrize(
    ("route", "meetings", "field"),
    [
        (LeaveRoute.WHOLE_SESSION, ["plenary"], "meetings"),
        (LeaveRoute.PLENARY, [], "meetings"),
        (LeaveRoute.DELEGATION_MEETING, ["plenary"], "meetings"),
        (LeaveRoute.PLENARY, ["group"], "meetings"),
    ],
)
def test_the_meetings_must_fit_the_route(world, route, meetings, field):
    with pytest.raises(ValidationError) as excinfo:
        _ask(world, route, [world[m] for m in meetings])
    assert field in excinfo.value.message_dict
    assert not LeaveRequest.objects.exists()


def test_a_submitted_request_cannot_be_edited(world):
    leave = _ask(world, LeaveRoute.WHOLE_SESSION)
    with pytest.raises(ValidationError):
        leave_request_save(user=world["users"]["deputy"], leave_request=leave, data={"reason": "改了"})
    assert LeaveRequest.objects.get(pk=leave.pk).reason == "出差"


def test_history_keeps_who_changed_the_status(world):
    # Issue 12: the head who approved changed the status; the secretariat's filing leaves it as it was.
    leave = _ask(world, LeaveRoute.DELEGATION_MEETING, [world["group"]])
    leave_request_approve(user=world["users"]["head"], leave_request=leave)
    leave_request_approve(user=world["users"]["secretariat"], leave_request=leave)
    latest = leave.history.latest()
    assert latest.status == LeaveStatus.APPROVED
    assert latest.history_user == world["users"]["head"]
    assert latest.prev_record.status == LeaveStatus.PENDING
    filing = leave.steps.get(order=2).history.latest()
    assert (filing.status, filing.history_user) == (StepStatus.DONE, world["users"]["secretariat"])


def test_the_deciding_approval_is_refused_once_the_sessions_year_is_approved_in_review(world):
    # Issue 12: the year lock sits on the deciding step (the head's approval of a delegation-meeting leave),
    # no longer on the last step; filing changes no figure and is allowed in a locked year.
    from oversight.choices import ReviewStatus
    from oversight.models import YearReview

    leave = _ask(world, LeaveRoute.DELEGATION_MEETING, [world["group"]])
    filed = _ask(world, LeaveRoute.DELEGATION_MEETING, [world["group"]])
    leave_request_approve(user=world["users"]["head"], leave_request=filed)
    deputy = world["deputy"]
    YearReview.objects.create(term=deputy.term, year=world["session"].start_date.year,
                              street_committee=deputy.street_committee, status=ReviewStatus.APPROVED)
    with pytest.raises(ValidationError) as excinfo:
        leave_request_approve(user=world["users"]["head"], leave_request=leave)
    assert "锁定" in str(excinfo.value)
    leave.refresh_from_db()
    assert leave.status == LeaveStatus.PENDING
    assert leave.steps.get(order=1).status == StepStatus.WAITING

    leave_request_approve(user=world["users"]["secretariat"], leave_request=filed)
    filed.refresh_from_db()
    assert filed.status == LeaveStatus.APPROVED
    assert filed.steps.get(order=2).status == StepStatus.DONE
