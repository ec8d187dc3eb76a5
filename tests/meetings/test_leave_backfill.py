"""Backfill (补录): staff enter a leave of a session already held from the paper records, with who
signed each step and when, approved or rejected, in one service; the page shows errors by step."""
import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from dutyadmin.roles import Role
from meetings.choices import LeaveRoute, LeaveStatus, StepStatus
from meetings.models import LeaveRequest
from meetings.services import LEAVE_CHAINS, PaperStep, leave_request_backfill

pytestmark = pytest.mark.django_db


def paper(n: int, day: dt.date, *, comment: str = "同意") -> list[PaperStep]:
    return [PaperStep(acted_by_name=f"签批人{i + 1}", acted_at=day + dt.timedelta(days=i), comment=comment)
            for i in range(n)]


def data(district, route=LeaveRoute.WHOLE_SESSION, meetings=(), deputy="zhang", session="past") -> dict:
    return {"deputy": district[deputy], "session": district[session], "route": route, "reason": "出国访问",
            "meetings": list(meetings)}


@pytest.mark.parametrize("route", list(LEAVE_CHAINS))
def test_an_approved_paper_leave_is_entered_with_every_signed_step(district, people, route):
    meetings = {LeaveRoute.WHOLE_SESSION: [], LeaveRoute.PLENARY: [district["pm"]["plenary"]],
                LeaveRoute.DELEGATION_MEETING: [district["pm"]["group"]]}[route]
    day = district["past"].start_date - dt.timedelta(days=7)
    chain = LEAVE_CHAINS[route]
    leave = leave_request_backfill(user=people[Role.SECRETARIAT], data=data(district, route, meetings),
                                   steps=paper(len(chain), day), status=LeaveStatus.APPROVED)
    leave.refresh_from_db()
    assert (leave.status, leave.backfilled, leave.created_by) == ("approved", True, people[Role.SECRETARIAT])
    assert list(leave.meetings.all()) == meetings
    steps = list(leave.steps.order_by("order"))
    assert [(s.code, s.role, s.status) for s in steps] == [(c.code, c.role, StepStatus.DONE) for c in chain]
    assert [s.acted_by_name for s in steps] == [f"签批人{i + 1}" for i in range(len(chain))]
    assert [s.acted_at.astimezone().date() for s in steps] == [day + dt.timedelta(days=i) for i in range(len(chain))]
    assert all(s.acted_by is None for s in steps)  # signed on paper, not in the system
    assert leave.history.latest().history_user == people[Role.SECRETARIAT]
    assert steps[0].history.latest().history_user == people[Role.SECRETARIAT]


def test_a_rejected_paper_leave_stops_at_the_refusing_step_with_its_reason(district, people):
    day = district["past"].start_date - dt.timedelta(days=5)
    steps = paper(1, day) + [PaperStep("秘书处王某", day + dt.timedelta(days=1), "会议重要,不同意")]
    leave = leave_request_backfill(user=people[Role.STREET_STAFF],
                                   data=data(district, LeaveRoute.PLENARY, [district["pm"]["plenary"]]),
                                   steps=steps, status=LeaveStatus.REJECTED)
    assert leave.status == LeaveStatus.REJECTED
    assert [(s.status, s.comment) for s in leave.steps.order_by("order")] == [
        (StepStatus.DONE, "同意"), (StepStatus.REJECTED, "会议重要,不同意"), (StepStatus.CANCELLED, "")]


def test_a_rejection_needs_its_reason(district, people):
    day = district["past"].start_date
    with pytest.raises(ValidationError) as excinfo:
        leave_request_backfill(user=people[Role.SECRETARIAT], data=data(district), steps=paper(2, day, comment=" "),
                               status=LeaveStatus.REJECTED)
    [error] = excinfo.value.error_dict["steps"]
    assert error.params == {"index": 1, "field": "comment"} and "驳回理由" in error.message
    assert not LeaveRequest.objects.exists()


@pytest.mark.parametrize(
    ("steps", "index", "field", "words"),
    [
        ([PaperStep("", dt.date(2020, 1, 1))], 0, "acted_by_name", "请填写办理人"),
        ([PaperStep("甲", None)], 0, "acted_at", "请填写办理日期"),
        ([PaperStep("甲", dt.date(2020, 1, 2)), PaperStep("乙", dt.date(2020, 1, 1))], 1, "acted_at", "早于上一步"),
        ([PaperStep("甲" * 51, dt.date(2020, 1, 1))], 0, "acted_by_name", "50"),
    ],
)
def test_each_bad_step_is_named(district, people, steps, index, field, words):
    with pytest.raises(ValidationError) as excinfo:
        leave_request_backfill(user=people[Role.SECRETARIAT], data=data(district), steps=steps,
                               status=LeaveStatus.REJECTED)
    errors = [e for e in excinfo.value.error_dict["steps"] if e.params]
    assert (errors[0].params, words in errors[0].message) == ({"index": index, "field": field}, True)
    assert f"第 {index + 1} 步" in errors[0].message
    assert not LeaveRequest.objects.exists()


def test_a_step_signed_in_the_future_is_refused(district, people, today):
    steps = paper(4, today - dt.timedelta(days=1))  # the last two fall after today
    with pytest.raises(ValidationError) as excinfo:
        leave_request_backfill(user=people[Role.SECRETARIAT], data=data(district), steps=steps,
                               status=LeaveStatus.APPROVED)
    assert {e.params["index"] for e in excinfo.value.error_dict["steps"]} == {2, 3}


def test_an_approved_leave_needs_every_step_up_to_the_deciding_one(district, people):
    # Issue 12: whole-session leave is decided by the SC chair (step 3 of 4); before, all 4 were required.
    with pytest.raises(ValidationError) as excinfo:
        leave_request_backfill(user=people[Role.SECRETARIAT], data=data(district),
                               steps=paper(2, district["past"].start_date), status=LeaveStatus.APPROVED)
    assert "决定步骤“常委会主任或主持日常工作的副主任批准”" in str(excinfo.value.error_dict["steps"])
    assert not LeaveRequest.objects.exists()


def test_an_approved_paper_leave_not_yet_filed_keeps_its_filing_step_open(district, people):
    leave = leave_request_backfill(user=people[Role.SECRETARIAT], data=data(district),
                                   steps=paper(3, district["past"].start_date), status=LeaveStatus.APPROVED)
    assert leave.status == LeaveStatus.APPROVED
    assert [(s.code, s.status) for s in leave.steps.order_by("order")][2:] == [
        ("sc_leader_approve", StepStatus.DONE), ("sc_office_file", StepStatus.WAITING)]


def test_a_paper_leave_cannot_be_rejected_at_its_filing_step(district, people):
    day = district["past"].start_date
    with pytest.raises(ValidationError) as excinfo:
        leave_request_backfill(user=people[Role.SECRETARIAT], data=data(district), steps=paper(4, day, comment="不同意"),
                               status=LeaveStatus.REJECTED)
    assert "备案环节不能驳回" in str(excinfo.value.error_dict["steps"])
    assert not LeaveRequest.objects.exists()


def test_only_a_session_already_held_can_be_backfilled(district, people):
    with pytest.raises(ValidationError) as excinfo:
        leave_request_backfill(user=people[Role.SECRETARIAT], data=data(district, session="coming"),
                               steps=paper(4, dt.date(2020, 1, 1)), status=LeaveStatus.APPROVED)
    assert "已经召开" in str(excinfo.value.error_dict["session"])


@pytest.mark.parametrize("status", ["pending", "draft", "withdrawn", "bogus"])
def test_the_outcome_is_approved_or_rejected(district, people, status):
    with pytest.raises(ValidationError) as excinfo:
        leave_request_backfill(user=people[Role.SECRETARIAT], data=data(district),
                               steps=paper(4, dt.date(2020, 1, 1)), status=status)
    assert "status" in excinfo.value.error_dict


def test_the_meetings_must_fit_the_route(district, people):
    with pytest.raises(ValidationError) as excinfo:
        leave_request_backfill(user=people[Role.SECRETARIAT],
                               data=data(district, LeaveRoute.DELEGATION_MEETING, [district["pm"]["plenary"]]),
                               steps=paper(2, dt.date(2020, 1, 1)), status=LeaveStatus.APPROVED)
    assert "分团会议" in str(excinfo.value.error_dict["meetings"])


@pytest.mark.parametrize(("who", "deputy", "allowed"), [
    (Role.SECRETARIAT, "wang", True), (Role.LIAISON_OFFICE, "wang", True), (Role.STREET_STAFF, "zhang", True),
    (Role.STREET_STAFF, "wang", False), ("other_staff", "zhang", False), (Role.DEPUTY, "zhang", False),
    (Role.STREET_DIRECTOR, "zhang", False), (Role.DELEGATION_HEAD, "zhang", False), (Role.SC_OFFICE, "zhang", False),
])
def test_who_may_backfill(district, people, who, deputy, allowed):
    def run():
        return leave_request_backfill(user=people[who], data=data(district, deputy=deputy),
                                      steps=paper(4, dt.date(2020, 1, 1)), status=LeaveStatus.APPROVED)

    if allowed:
        assert run().backfilled
    else:
        with pytest.raises(PermissionDenied):
            run()
        assert not LeaveRequest.objects.exists()


# --- the page ---------------------------------------------------------------------------------------


def form_body(district, **changes) -> dict:
    day = district["past"].start_date - dt.timedelta(days=3)
    body = {"deputy": district["zhang"].pk, "session": district["past"].pk, "reason": "出国访问", "status": "approved",
            "rejected_at": ""}
    for i in range(4):
        body.update({f"step{i}_name": f"签批人{i + 1}", f"step{i}_date": (day + dt.timedelta(days=i)).isoformat(),
                     f"step{i}_comment": "同意"})
    body.update(changes)
    return body


def test_staff_backfill_a_whole_session_leave_in_the_browser(district, as_):
    response = as_(Role.STREET_STAFF).post(reverse("meetings:leave_backfill") + "?route=whole_session",
                                           form_body(district))
    leave = LeaveRequest.objects.get()
    assert response.status_code == 302 and response.url == reverse("meetings:leave_detail", args=[leave.pk])
    assert (leave.status, leave.backfilled, leave.route) == ("approved", True, "whole_session")
    detail = as_(Role.STREET_STAFF).get(response.url).text
    assert "签批人1(纸质记录)" in detail and "补录" in detail


def test_the_backfill_page_shows_a_steps_error_next_to_it(district, as_):
    response = as_(Role.SECRETARIAT).post(reverse("meetings:leave_backfill") + "?route=whole_session",
                                          form_body(district, step1_name="", status="rejected", rejected_at="3",
                                                    step2_comment=""))
    assert response.status_code == 400
    form = response.context["form"]
    assert "请填写办理人" in str(form.errors["step1_name"])
    assert "驳回理由" in str(form.errors["step2_comment"])
    assert not LeaveRequest.objects.exists()


def test_a_rejected_backfill_needs_the_step_that_refused(district, as_):
    response = as_(Role.SECRETARIAT).post(reverse("meetings:leave_backfill"), form_body(district, status="rejected"))
    assert response.status_code == 400
    assert "rejected_at" in response.context["form"].errors


@pytest.mark.parametrize("bad", [{"route": "nonsense"}, {"route": ""}])
def test_a_bad_route_falls_back_without_a_crash(district, as_, bad):
    response = as_(Role.SECRETARIAT).get(reverse("meetings:leave_backfill"), bad)
    assert response.status_code == 200


@pytest.mark.parametrize("changes", [
    {"deputy": "abc"}, {"deputy": "99999999999999999999999"}, {"session": "-1"},
    {"step0_date": "昨天"}, {"meetings": ["99999999999999999999999"]}, {"meetings": ["x"]},
])
def test_forged_or_malformed_fields_are_form_errors(district, as_, changes):
    response = as_(Role.SECRETARIAT).post(reverse("meetings:leave_backfill") + "?route=plenary",
                                          form_body(district, **changes))
    assert response.status_code == 400
    assert not LeaveRequest.objects.exists()


def test_a_deputy_of_another_street_is_not_a_choice_for_street_staff(district, as_):
    response = as_(Role.STREET_STAFF).post(reverse("meetings:leave_backfill"),
                                           form_body(district, deputy=district["wang"].pk))
    assert response.status_code == 400
    assert "deputy" in response.context["form"].errors


def test_a_session_still_to_come_is_not_offered(district, as_):
    form = as_(Role.SECRETARIAT).get(reverse("meetings:leave_backfill")).context["form"]
    assert list(form.fields["session"].queryset) == [district["past"]]


@pytest.mark.parametrize("role", [Role.DEPUTY, Role.STREET_DIRECTOR, Role.DELEGATION_HEAD, Role.SC_LEADER, "nobody"])
def test_roles_that_do_not_backfill_get_a_403(district, as_, role):
    assert as_(role).get(reverse("meetings:leave_backfill")).status_code == 403
    assert as_(role).post(reverse("meetings:leave_backfill"), form_body(district)).status_code == 403


def test_a_year_approved_in_review_takes_no_backfilled_leave(district, people):
    from oversight.models import YearReview

    YearReview.objects.create(term=district["term"], year=district["past"].start_date.year,
                              street_committee=district["dongsi"], status="approved")
    with pytest.raises(ValidationError) as excinfo:
        leave_request_backfill(user=people[Role.SECRETARIAT], data=data(district), steps=paper(4, dt.date(2020, 1, 1)),
                               status=LeaveStatus.APPROVED)
    assert "__all__" in excinfo.value.error_dict
    assert not LeaveRequest.objects.exists()
    # Another street's year is not locked.
    assert leave_request_backfill(user=people[Role.SECRETARIAT], data=data(district, deputy="wang"),
                                  steps=paper(4, dt.date(2020, 1, 1)), status=LeaveStatus.APPROVED).backfilled
