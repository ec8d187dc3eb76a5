"""Only approved leave excuses (Art. 3: 未经批准不到会的,一律按缺席对待): pending, rejected,
withdrawn and draft requests excuse nothing, on the attendance sheet, in the bulletin and in the
attendance API's `excused`."""
import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from dutyadmin.roles import Role
from meetings.choices import AttendanceStatus, LeaveRoute, LeaveStatus
from oversight.attendance.selectors import attendance_sheet
from oversight.attendance.bulletin import session_bulletin
from tests import factories

from .helpers import leave_in_state

pytestmark = pytest.mark.django_db

STATUSES = [LeaveStatus.APPROVED, LeaveStatus.PENDING, LeaveStatus.REJECTED, LeaveStatus.WITHDRAWN, LeaveStatus.DRAFT]


@pytest.fixture
def absent_with_leave(district, people):
    """张东 absent from the coming session's plenary; a function makes his leave for it in some state."""
    meeting = district["m"]["plenary"]
    factories.AttendanceFactory(meeting=meeting, deputy=district["zhang"], status=AttendanceStatus.ABSENT)

    def make(status, route=LeaveRoute.PLENARY):
        meetings = [] if route == LeaveRoute.WHOLE_SESSION else [meeting]
        return leave_in_state(deputy=district["zhang"], session=district["coming"], status=status, route=route,
                              meetings=meetings, admin=people[Role.ADMIN])

    return meeting, make


@pytest.mark.parametrize("status", STATUSES)
def test_the_sheet_excuses_an_absence_only_with_approved_leave(district, people, absent_with_leave, status):
    meeting, make = absent_with_leave
    make(status)
    row = next(r for r in attendance_sheet(user=people[Role.SECRETARIAT], meeting=meeting)
               if r.deputy == district["zhang"])
    assert row.status == AttendanceStatus.ABSENT
    assert row.excused is (status == LeaveStatus.APPROVED)
    assert (row.approved_leave is not None) is (status == LeaveStatus.APPROVED)
    # A submitted request that is not approved is still shown, as such; a draft is nobody's business yet.
    shown = {leave.status for leave in row.other_leaves}
    assert shown == (set() if status in (LeaveStatus.APPROVED, LeaveStatus.DRAFT) else {status})


@pytest.mark.parametrize("status", STATUSES)
def test_the_sheet_page_says_whether_the_leave_excuses(district, as_, absent_with_leave, status):
    meeting, make = absent_with_leave
    make(status)
    html = as_(Role.SECRETARIAT).get(reverse("meetings:attendance_sheet", args=[meeting.pk])).text
    row = html[html.index('data-name="张东"'):]
    row = row[:row.index("</tr>")]
    assert ("已批准请假" in row) is (status == LeaveStatus.APPROVED)
    assert ("(已请假)" in row) is (status == LeaveStatus.APPROVED)
    label = {LeaveStatus.PENDING: "请假审批中(未批准)", LeaveStatus.REJECTED: "请假已驳回",
             LeaveStatus.WITHDRAWN: "请假已撤回"}.get(status)
    if label:
        assert label in row


@pytest.mark.parametrize("status", STATUSES)
def test_the_bulletin_lists_an_absence_as_unexcused_unless_the_leave_is_approved(
    district, people, absent_with_leave, status
):
    meeting, make = absent_with_leave
    make(status)
    bulletin = session_bulletin(user=people[Role.SECRETARIAT], session=district["coming"])
    block = next(b for b in bulletin.meetings if b.meeting == meeting)
    on_leave = [e.deputy for e in block.on_leave]
    unexcused = [e.deputy for e in block.unexcused]
    if status == LeaveStatus.APPROVED:
        assert on_leave == [district["zhang"]] and unexcused == []
        assert bulletin.by_deputy == []
    else:
        assert on_leave == [] and unexcused == [district["zhang"]]
        assert [item.deputy for item in bulletin.by_deputy] == [district["zhang"]]
        note = next(e.note for e in block.unexcused)
        assert note == {LeaveStatus.PENDING: "请假申请审批中,未获批准", LeaveStatus.REJECTED: "请假申请已被驳回",
                        LeaveStatus.WITHDRAWN: "请假申请已撤回", LeaveStatus.DRAFT: ""}[status]


@pytest.mark.parametrize("status", STATUSES)
def test_the_attendance_api_says_excused_only_for_approved_leave(district, people, absent_with_leave, status):
    meeting, make = absent_with_leave
    make(status)
    client = APIClient()
    client.force_authenticate(people[Role.SECRETARIAT])
    rows = client.get("/api/v1/attendance/", {"meeting": meeting.pk}).json()["results"]
    assert [(r["deputy"], r["status"], r["excused"]) for r in rows] == [
        (district["zhang"].pk, "absent", status == LeaveStatus.APPROVED)
    ]
    excused = client.get("/api/v1/attendance/", {"meeting": meeting.pk, "excused": "true"}).json()["count"]
    assert excused == (1 if status == LeaveStatus.APPROVED else 0)


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("when", ["past", "coming"])
def test_whole_session_leave_excuses_every_meeting_only_once_approved(district, people, status, when):
    session, meetings = district[when], district["pm" if when == "past" else "m"]
    for meeting in meetings.values():
        factories.AttendanceFactory(meeting=meeting, deputy=district["li"], status=AttendanceStatus.ABSENT)
    leave_in_state(deputy=district["li"], session=session, status=status, route=LeaveRoute.WHOLE_SESSION,
                   admin=people[Role.ADMIN])
    bulletin = session_bulletin(user=people[Role.SECRETARIAT], session=session)
    approved = status == LeaveStatus.APPROVED
    for block in bulletin.meetings:
        assert [e.deputy for e in block.on_leave] == ([district["li"]] if approved else [])
        assert [e.deputy for e in block.unexcused] == ([] if approved else [district["li"]])
    # Absent from every meeting, present at none, no approved leave: a whole non-attendance (A9.1), once the
    # session has ended; while it is still to come or running, it is not judged yet.
    assert [(item.deputy, item.whole_session) for item in bulletin.by_deputy] == (
        [] if approved else [(district["li"], when == "past")]
    )


def test_leave_for_one_meeting_excuses_only_that_meeting(district, people):
    plenary, group = district["m"]["plenary"], district["m"]["group"]
    for meeting in (plenary, group):
        factories.AttendanceFactory(meeting=meeting, deputy=district["zhang"], status=AttendanceStatus.ABSENT)
    leave_in_state(deputy=district["zhang"], session=district["coming"], status=LeaveStatus.APPROVED,
                   meetings=[plenary], admin=people[Role.ADMIN])
    rows = {m: next(r for r in attendance_sheet(user=people[Role.SECRETARIAT], meeting=m)
                    if r.deputy == district["zhang"]) for m in (plenary, group)}
    assert rows[plenary].excused and not rows[group].excused
