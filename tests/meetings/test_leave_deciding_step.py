"""Issue 12: leave is decided where the regulation decides it. Each route's deciding step (批准 / 审批)
makes the request approved and excuses its absences from then on; the filing step (备案) after it only
records, never changes the status, cannot reject, is shown to the filer (待备案) and, once the session
has ended, is the data check leave_not_filed."""
import datetime as dt
import importlib

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dutyadmin.roles import Role
from meetings.choices import AttendanceStatus, LeaveRoute, LeaveStatus, StepStatus
from meetings.models import LeaveApprovalStep, LeaveRequest
from meetings.selectors import leave_filings_waiting
from meetings.services import (
    DECIDING_STEPS,
    FILING_STEPS,
    LEAVE_CHAINS,
    leave_request_approve,
    leave_request_file,
    leave_request_reject,
    leave_request_save,
    leave_request_submit,
)
from oversight.attendance.selectors import attendance_sheet
from oversight.findings.selectors import data_checks_for
from tests import factories

from .helpers import leave_in_state

pytestmark = pytest.mark.django_db
migration = importlib.import_module("meetings.migrations.0003_leave_approved_at_deciding_step")

# Who acts on each step of each route, in order (RULES.md), and where the deciding step is.
APPROVERS = {
    LeaveRoute.WHOLE_SESSION: [Role.STREET_DIRECTOR, Role.SC_OFFICE, Role.SC_LEADER, Role.SC_OFFICE],
    LeaveRoute.PLENARY: [Role.DELEGATION_HEAD, Role.SECRETARIAT, Role.PRESIDIUM_SECRETARY_GENERAL],
    LeaveRoute.DELEGATION_MEETING: [Role.DELEGATION_HEAD, Role.SECRETARIAT],
}
DECIDES = {LeaveRoute.WHOLE_SESSION: 3, LeaveRoute.PLENARY: 3, LeaveRoute.DELEGATION_MEETING: 1}
ROUTES = list(APPROVERS)


def test_each_route_has_one_deciding_step_and_the_filing_after_it():
    assert {route: DECIDING_STEPS[route].code for route in ROUTES} == {
        LeaveRoute.WHOLE_SESSION: "sc_leader_approve", LeaveRoute.PLENARY: "secretary_general_approve",
        LeaveRoute.DELEGATION_MEETING: "delegation_head_approve"}
    assert {route: getattr(FILING_STEPS[route], "code", None) for route in ROUTES} == {
        LeaveRoute.WHOLE_SESSION: "sc_office_file", LeaveRoute.PLENARY: None,
        LeaveRoute.DELEGATION_MEETING: "secretariat_file"}
    for route in ROUTES:
        assert LEAVE_CHAINS[route].index(DECIDING_STEPS[route]) + 1 == DECIDES[route]


@pytest.fixture
def absent(district):
    """张东 absent from every meeting of the past session; a function asks his leave on a route."""
    for meeting in district["pm"].values():
        factories.AttendanceFactory(meeting=meeting, deputy=district["zhang"], status=AttendanceStatus.ABSENT)

    def ask(route, user):
        meetings = {LeaveRoute.WHOLE_SESSION: [], LeaveRoute.PLENARY: [district["pm"]["plenary"]],
                    LeaveRoute.DELEGATION_MEETING: [district["pm"]["group"]]}[route]
        leave = leave_request_save(user=user, data={"deputy": district["zhang"], "session": district["past"],
                                                    "route": route, "reason": "出差", "meetings": meetings})
        return leave_request_submit(user=user, leave_request=leave)

    return ask


def meeting_of(district, route):
    return district["pm"]["group" if route == LeaveRoute.DELEGATION_MEETING else "plenary"]


def sheet_row(district, people, route):
    rows = attendance_sheet(user=people[Role.SECRETARIAT], meeting=meeting_of(district, route))
    return next(r for r in rows if r.deputy == district["zhang"])


def fresh(leave):
    leave = LeaveRequest.objects.get(pk=leave.pk)
    return leave.status, [s.status for s in leave.steps.order_by("order")]


@pytest.mark.parametrize("route", ROUTES)
def test_each_route_pending_then_decided_then_filed(district, people, absent, route):
    leave = absent(route, people[Role.ADMIN])
    chain = APPROVERS[route]
    decides = DECIDES[route]
    for i, role in enumerate(chain[:decides - 1]):  # the steps before the decision excuse nothing
        leave_request_approve(user=people[role], leave_request=leave)
        assert fresh(leave)[0] == LeaveStatus.PENDING
        assert sheet_row(district, people, route).excused is False

    leave_request_approve(user=people[chain[decides - 1]], leave_request=leave, comment="同意")
    status, steps = fresh(leave)
    assert status == LeaveStatus.APPROVED
    row = sheet_row(district, people, route)
    assert row.excused is True and row.approved_leave.pk == leave.pk  # excused right after the deciding step
    has_filing = FILING_STEPS[route] is not None
    assert steps == [StepStatus.DONE] * decides + [StepStatus.WAITING] * has_filing

    if has_filing:
        filer = people[chain[-1]]
        assert list(leave_filings_waiting(user=filer)) == [leave]
        leave_request_file(user=filer, leave_request=leave, comment="已备案")
        assert fresh(leave) == (LeaveStatus.APPROVED, [StepStatus.DONE] * len(chain))
        assert list(leave_filings_waiting(user=filer)) == []
        assert sheet_row(district, people, route).excused is True
    with pytest.raises(ValidationError):  # nothing left to do
        leave_request_approve(user=people[Role.ADMIN], leave_request=leave)


@pytest.mark.parametrize("route", ROUTES)
def test_rejected_at_the_deciding_step_excuses_nothing(district, people, absent, route):
    leave = absent(route, people[Role.ADMIN])
    chain = APPROVERS[route]
    for role in chain[:DECIDES[route] - 1]:
        leave_request_approve(user=people[role], leave_request=leave)
    leave_request_reject(user=people[chain[DECIDES[route] - 1]], leave_request=leave, comment="不同意")
    status, steps = fresh(leave)
    assert status == LeaveStatus.REJECTED
    assert steps[DECIDES[route] - 1] == StepStatus.REJECTED
    assert StepStatus.WAITING not in steps
    assert sheet_row(district, people, route).excused is False
    assert list(leave_filings_waiting(user=people[Role.ADMIN])) == []


@pytest.mark.parametrize("route", [LeaveRoute.WHOLE_SESSION, LeaveRoute.DELEGATION_MEETING])
def test_a_filing_step_cannot_reject(district, people, absent, route):
    leave = absent(route, people[Role.ADMIN])
    for role in APPROVERS[route][:DECIDES[route]]:
        leave_request_approve(user=people[role], leave_request=leave)
    before = fresh(leave)
    for who in (people[APPROVERS[route][-1]], people[Role.ADMIN]):
        with pytest.raises(ValidationError) as excinfo:
            leave_request_reject(user=who, leave_request=leave, comment="不予备案")
        assert "不能驳回" in str(excinfo.value)
    assert fresh(leave) == before


def test_filing_is_only_for_an_approved_request(district, people, absent):
    leave = absent(LeaveRoute.DELEGATION_MEETING, people[Role.ADMIN])
    with pytest.raises(ValidationError):
        leave_request_file(user=people[Role.ADMIN], leave_request=leave)
    assert fresh(leave) == (LeaveStatus.PENDING, [StepStatus.WAITING, StepStatus.WAITING])


def test_the_filers_see_only_their_own_open_filings(district, people):
    admin = people[Role.ADMIN]
    group = leave_in_state(deputy=district["zhang"], session=district["past"], status=LeaveStatus.APPROVED,
                           route=LeaveRoute.DELEGATION_MEETING, meetings=[district["pm"]["group"]], admin=admin,
                           filed=False)
    whole = leave_in_state(deputy=district["wang"], session=district["past"], status=LeaveStatus.APPROVED,
                           route=LeaveRoute.WHOLE_SESSION, admin=admin, filed=False)
    leave_in_state(deputy=district["li"], session=district["past"], status=LeaveStatus.APPROVED,
                   route=LeaveRoute.DELEGATION_MEETING, meetings=[district["pm"]["group"]], admin=admin)  # filed
    leave_in_state(deputy=district["li"], session=district["coming"], status=LeaveStatus.PENDING,
                   route=LeaveRoute.DELEGATION_MEETING, meetings=[district["m"]["group"]], admin=admin)
    seen = {who: set(leave_filings_waiting(user=people[who])) for who in people}
    assert seen[Role.SECRETARIAT] == {group}
    assert seen[Role.SC_OFFICE] == {whole}
    assert seen[Role.ADMIN] == {group, whole}
    assert all(not leaves for who, leaves in seen.items() if who not in (Role.SECRETARIAT, Role.SC_OFFICE, Role.ADMIN))


# --- pages -------------------------------------------------------------------------------------------


@pytest.fixture
def unfiled(district, people):
    return leave_in_state(deputy=district["zhang"], session=district["past"], status=LeaveStatus.APPROVED,
                          route=LeaveRoute.DELEGATION_MEETING, meetings=[district["pm"]["group"]],
                          admin=people[Role.ADMIN], filed=False)


def test_the_detail_page_says_which_step_decides_and_that_the_filing_is_open(unfiled, as_):
    html = as_(Role.DEPUTY).get(reverse("meetings:leave_detail", args=[unfiled.pk])).text
    assert "决定步骤:代表团团长审批" in html
    assert "备案:大会秘书处" in html
    assert "已批准,待备案" in html
    assert "未经批准的请假不作请假" not in html
    assert 'value="file"' not in html  # the deputy does not file
    filer = as_(Role.SECRETARIAT).get(reverse("meetings:leave_detail", args=[unfiled.pk])).text
    assert 'value="file"' in filer and 'value="reject"' not in filer


def test_the_list_shows_approved_awaiting_filing(unfiled, as_):
    html = as_(Role.SECRETARIAT).get(reverse("meetings:leave_list")).text
    assert "已批准,待备案" in html


def test_the_form_says_which_step_decides_each_route(district, as_):
    html = as_(Role.DEPUTY).get(reverse("meetings:leave_create")).text
    assert "决定步骤:代表团团长审批" in html
    assert "决定步骤:大会主席团秘书长审批" in html
    assert "决定步骤:常委会主任或主持日常工作的副主任批准" in html
    assert "备案:大会秘书处" in html and "备案:常委会办公室" in html


def test_the_inbox_lists_open_filings_under_their_heading_and_files_one(unfiled, as_):
    client = as_(Role.SECRETARIAT)
    html = client.get(reverse("meetings:leave_inbox")).text
    filings = html[html.index("待备案</h2>"):]
    assert f'id="filing-{unfiled.pk}"' in filings and "张东" in filings
    response = client.post(reverse("meetings:leave_action", args=[unfiled.pk]),
                           {"action": "file", "comment": "", "next": reverse("meetings:leave_inbox")})
    assert response.status_code == 302
    assert fresh(unfiled) == (LeaveStatus.APPROVED, [StepStatus.DONE, StepStatus.DONE])
    after = client.get(reverse("meetings:leave_inbox")).text
    assert f'id="filing-{unfiled.pk}"' not in after and "没有等待您备案的请假。" in after


def test_a_filing_is_refused_on_the_page_to_whom_it_is_not(unfiled, as_):
    response = as_(Role.DELEGATION_HEAD).post(reverse("meetings:leave_action", args=[unfiled.pk]),
                                             {"action": "file", "comment": ""})
    assert response.status_code == 403
    assert fresh(unfiled)[1] == [StepStatus.DONE, StepStatus.WAITING]


def test_the_inbox_takes_the_same_queries_for_few_or_many_open_filings(district, people, as_):
    client = as_(Role.SECRETARIAT)
    url = reverse("meetings:leave_inbox")

    def grow(n):
        for _ in range(n):
            deputy = factories.DeputyFactory(term=district["term"], street_committee=district["dongsi"],
                                             delegation=district["del_ds"])
            leave_in_state(deputy=deputy, session=district["past"], status=LeaveStatus.APPROVED,
                           route=LeaveRoute.DELEGATION_MEETING, meetings=[district["pm"]["group"]],
                           admin=people[Role.ADMIN], filed=False)
            leave_in_state(deputy=deputy, session=district["coming"], status=LeaveStatus.PENDING,
                           route=LeaveRoute.PLENARY, meetings=[district["m"]["plenary"]], admin=people[Role.ADMIN])
            leave = LeaveRequest.objects.filter(deputy=deputy, status=LeaveStatus.PENDING).get()
            leave_request_approve(user=people[Role.DELEGATION_HEAD], leave_request=leave)  # now the secretariat's

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200
        return len(ctx.captured_queries)

    grow(2)
    few = count()
    assert len(leave_filings_waiting(user=people[Role.SECRETARIAT])) == 2
    grow(10)
    assert count() == few
    html = client.get(url).text
    assert html.count('class="card inbox-item" id="filing-') == 12


# --- the data check ----------------------------------------------------------------------------------


def test_leave_not_filed_from_the_day_after_the_session_until_it_is_filed(district, people, unfiled):
    end = district["past"].end_date

    def checks(day):
        return [(c.type, c.id) for c in data_checks_for(user=people[Role.SECRETARIAT], term=district["term"],
                                                         as_of=day, filters={"check": "leave_not_filed"})]

    assert checks(end) == []
    assert checks(end + dt.timedelta(days=1)) == [("leave_request", unfiled.pk)]
    leave_request_file(user=people[Role.SECRETARIAT], leave_request=unfiled)
    assert checks(end + dt.timedelta(days=1)) == []


# --- the data migration ------------------------------------------------------------------------------


def _old_request(district, route, meetings, steps, status):
    """A request as the old code left it: its steps' statuses as given, its status as given."""
    leave = LeaveRequest.objects.create(deputy=district["zhang"], session=district["past"], route=route,
                                        reason="出差", status=status)
    leave.meetings.set(meetings)
    for order, (spec, step_status) in enumerate(zip(LEAVE_CHAINS[route], steps), start=1):
        LeaveApprovalStep.objects.create(leave_request=leave, order=order, code=spec.code, role=spec.role,
                                         status=step_status, comment="不予备案" if step_status == "rejected" else "",
                                         acted_by_name="" if step_status in ("waiting", "cancelled") else "某人")
    return leave


def test_the_migration_approves_requests_whose_deciding_step_was_approved(district):
    D, W, R, C = StepStatus.DONE, StepStatus.WAITING, StepStatus.REJECTED, StepStatus.CANCELLED
    group, plenary = [district["pm"]["group"]], [district["pm"]["plenary"]]
    cases = {
        # (route, meetings, steps, status before) → (status after, steps after)
        "head approved, not filed": ((LeaveRoute.DELEGATION_MEETING, group, [D, W], "pending"), ("approved", [D, W])),
        "chair approved, not filed": ((LeaveRoute.WHOLE_SESSION, [], [D, D, D, W], "pending"), ("approved", [D, D, D, W])),
        "filed": ((LeaveRoute.DELEGATION_MEETING, group, [D, D], "approved"), ("approved", [D, D])),
        "refused at filing": ((LeaveRoute.DELEGATION_MEETING, group, [D, R], "rejected"), ("approved", [D, W])),
        "before the decision": ((LeaveRoute.WHOLE_SESSION, [], [D, D, W, W], "pending"), ("pending", [D, D, W, W])),
        "plenary before the decision": ((LeaveRoute.PLENARY, plenary, [D, D, W], "pending"), ("pending", [D, D, W])),
        "refused at the decision": ((LeaveRoute.DELEGATION_MEETING, group, [R, C], "rejected"), ("rejected", [R, C])),
        "withdrawn after the decision": ((LeaveRoute.DELEGATION_MEETING, group, [D, C], "withdrawn"),
                                         ("withdrawn", [D, C])),
    }
    made = {name: _old_request(district, *before) for name, (before, _) in cases.items()}
    counts = migration.approve_decided_requests(django_apps, None)
    assert counts == {"approved": 2, "reopened": 1}
    assert {name: fresh(leave) for name, leave in made.items()} == {name: after for name, (_, after) in cases.items()}
    reopened = made["refused at filing"].steps.get(order=2)
    assert (reopened.acted_by_name, reopened.acted_at) == ("", None) and "不予备案" in reopened.comment
    assert migration.approve_decided_requests(django_apps, None) == {"approved": 0, "reopened": 0}  # idempotent
