"""A meeting's attendance sheet: who is on it, leave beside the name, saving in one go, refusals
without a crash, the no-script 全部出席, and a query count that does not grow with the deputies."""
import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dutyadmin.roles import Role
from meetings.choices import AttendanceStatus, LeaveStatus
from meetings.models import Attendance
from tests import factories

from .helpers import leave_in_state

pytestmark = pytest.mark.django_db


def sheet_url(meeting) -> str:
    return reverse("meetings:attendance_sheet", args=[meeting.pk])


def marks(meeting) -> dict:
    return {a.deputy.name: a.status for a in Attendance.objects.filter(meeting=meeting).select_related("deputy")}


def test_the_secretariat_sees_every_deputy_by_delegation_with_their_approved_leave(district, people, as_):
    meeting = district["m"]["plenary"]
    leave_in_state(deputy=district["li"], session=district["coming"], status=LeaveStatus.APPROVED, meetings=[meeting],
                   admin=people[Role.ADMIN])
    response = as_(Role.SECRETARIAT).get(sheet_url(meeting))
    assert response.status_code == 200
    html = response.text
    table = html[html.index('<table class="data sheet"'):]
    assert table.index("东四代表团") < table.index("张东") < table.index("朝阳门代表团") < table.index("王朝")
    li_row = html[html.index('data-name="李四"'):]
    assert "已批准请假 · 全体会议请假" in li_row[:li_row.index("</tr>")]
    assert response.context["counts"] == {"total": 3, "present": 0, "absent": 0, "excused": 0, "unrecorded": 3,
                                          "on_leave": 1}
    assert 'name="status_%d"' % district["wang"].pk in html


def test_saving_records_every_marked_deputy_at_once_with_history(district, people, as_):
    meeting = district["pm"]["plenary"]
    client = as_(Role.SECRETARIAT)
    body = {f"status_{district['zhang'].pk}": "present", f"status_{district['li'].pk}": "absent"}
    response = client.post(sheet_url(meeting), body)
    assert response.status_code == 302
    assert marks(meeting) == {"张东": "present", "李四": "absent"}  # 王朝 unmarked: not recorded
    record = Attendance.objects.get(meeting=meeting, deputy=district["zhang"])
    assert record.history.latest().history_user == people[Role.SECRETARIAT]
    page = client.get(response.url)
    assert "新增 2 条" in page.text
    assert page.context["counts"]["unrecorded"] == 1

    client.post(sheet_url(meeting), {f"status_{district['li'].pk}": "present"})
    assert marks(meeting) == {"张东": "present", "李四": "present"}
    assert Attendance.objects.get(meeting=meeting, deputy=district["li"]).history.count() == 2


@pytest.mark.parametrize(
    "bad",
    [
        {"status_{wang}": "maybe"},  # not a status
        {"status_99999999": "present"},  # no such deputy
        {"status_999999999999999999999999": "absent"},  # beyond any database id
    ],
)
def test_one_bad_row_saves_nothing_and_says_which(district, as_, bad):
    meeting = district["pm"]["plenary"]
    body = {f"status_{district['zhang'].pk}": "present"}
    body.update({key.format(wang=district["wang"].pk): value for key, value in bad.items()})
    response = as_(Role.SECRETARIAT).post(sheet_url(meeting), body)
    assert response.status_code == 400
    assert "出席情况没有保存" in response.text
    assert marks(meeting) == {}
    # What the clerk marked is still on the page.
    assert response.context["rows"][0].status == "present"


def test_a_deputy_of_another_term_cannot_be_slipped_in(district, as_):
    other_term = factories.TermFactory(number=16, start_date=dt.date(2017, 1, 1), end_date=dt.date(2021, 12, 31))
    stranger = factories.DeputyFactory(term=other_term, street_committee=district["dongsi"], delegation=None)
    meeting = district["pm"]["plenary"]
    response = as_(Role.SECRETARIAT).post(sheet_url(meeting), {f"status_{stranger.pk}": "absent"})
    assert response.status_code == 400
    assert "不属于同一届" in response.text
    assert marks(meeting) == {}


def test_submitting_no_marks_is_explained(district, as_):
    response = as_(Role.SECRETARIAT).post(sheet_url(district["pm"]["plenary"]), {})
    assert response.status_code == 400
    assert "请至少提交一条记录" in response.text


@pytest.mark.parametrize("role", [Role.STREET_STAFF, Role.DELEGATION_HEAD, Role.LIAISON_OFFICE, Role.SC_OFFICE])
def test_only_the_secretariat_records_attendance(district, as_, role):
    meeting = district["m"]["plenary"]
    client = as_(role)
    page = client.get(sheet_url(meeting))
    assert page.status_code == 200
    assert page.context["can_edit"] is False
    assert "disabled" in page.text and "保存出席情况" not in page.text
    assert client.post(sheet_url(meeting), {f"status_{district['zhang'].pk}": "present"}).status_code == 403
    assert marks(meeting) == {}


def test_street_staff_see_only_their_streets_deputies(district, as_):
    page = as_(Role.STREET_STAFF).get(sheet_url(district["m"]["plenary"]))
    assert [r.deputy.name for r in page.context["rows"]] == ["张东", "李四"]


@pytest.mark.parametrize("role", [Role.DEPUTY, "nobody"])
def test_a_deputy_or_a_user_without_role_gets_a_403(district, as_, role):
    assert as_(role).get(sheet_url(district["m"]["plenary"])).status_code == 403


def test_an_unknown_meeting_is_a_404(district, as_):
    client = as_(Role.SECRETARIAT)
    assert client.get("/meetings/meeting/999999/attendance/").status_code == 404
    assert client.get("/meetings/meeting/99999999999999999999999/attendance/").status_code == 404


def test_the_delegation_filter_narrows_the_sheet_and_a_bad_one_is_ignored(district, as_):
    client = as_(Role.SECRETARIAT)
    meeting = district["m"]["plenary"]
    page = client.get(sheet_url(meeting), {"delegation": district["del_cy"].pk})
    assert [r.deputy.name for r in page.context["rows"]] == ["王朝"]
    for bad in ("abc", "-1", "99999999999999999999999", str(district["del_cy"].pk + 100)):
        page = client.get(sheet_url(meeting), {"delegation": bad})
        assert page.status_code == 200
        assert len(page.context["rows"]) == 3
        assert "已显示全部代表" in page.text


def test_all_present_without_script_marks_the_rows_but_saves_nothing(district, people, as_):
    meeting = district["m"]["plenary"]
    leave_in_state(deputy=district["li"], session=district["coming"], status=LeaveStatus.APPROVED, meetings=[meeting],
                   admin=people[Role.ADMIN])
    page = as_(Role.SECRETARIAT).post(sheet_url(meeting), {"fill": "present"})
    assert page.status_code == 200
    assert {r.deputy.name: r.status for r in page.context["rows"]} == {
        "张东": "present", "李四": "absent", "王朝": "present"}
    assert marks(meeting) == {}


def test_the_sheet_lists_only_deputies_in_service_that_day_and_anyone_recorded(district, as_):
    meeting = district["m"]["plenary"]
    later = factories.DeputyFactory(term=district["term"], name="新代表", street_committee=district["dongsi"],
                                    delegation=district["del_ds"], service_start=meeting.date + dt.timedelta(days=1))
    gone = factories.DeputyFactory(term=district["term"], name="已离任", street_committee=district["dongsi"],
                                   delegation=district["del_ds"], status="resigned",
                                   service_end=meeting.date - dt.timedelta(days=1))
    recorded = factories.DeputyFactory(term=district["term"], name="有记录", street_committee=district["dongsi"],
                                       delegation=district["del_ds"], status="resigned",
                                       service_end=meeting.date - dt.timedelta(days=1))
    factories.AttendanceFactory(meeting=meeting, deputy=recorded)
    names = [r.deputy.name for r in as_(Role.SECRETARIAT).get(sheet_url(meeting)).context["rows"]]
    assert later.name not in names and gone.name not in names
    assert "有记录" in names


def test_the_sheet_takes_the_same_queries_for_3_or_30_deputies(district, people, as_):
    meeting = district["m"]["plenary"]
    client = as_(Role.SECRETARIAT)
    client.get(sheet_url(meeting))  # warm the session

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(sheet_url(meeting)).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for i in range(27):
        deputy = factories.DeputyFactory(term=district["term"], street_committee=district["chaoyang"],
                                         delegation=factories.DelegationFactory(term=district["term"]))
        factories.AttendanceFactory(meeting=meeting, deputy=deputy, status="absent" if i % 2 else "present")
        if i % 3 == 0:
            leave_in_state(deputy=deputy, session=district["coming"], status=LeaveStatus.APPROVED, meetings=[meeting],
                           admin=people[Role.ADMIN])
        if i % 3 == 1:
            leave_in_state(deputy=deputy, session=district["coming"], status=LeaveStatus.PENDING, meetings=[meeting],
                           admin=people[Role.ADMIN])
    assert count() == few


def test_saving_a_full_sheet_takes_a_fixed_number_of_queries(district, as_):
    meeting = district["pm"]["plenary"]
    client = as_(Role.SECRETARIAT)

    def save(deputies) -> int:
        body = {f"status_{d.pk}": AttendanceStatus.PRESENT for d in deputies}
        with CaptureQueriesContext(connection) as ctx:
            assert client.post(sheet_url(meeting), body).status_code == 302
        return len(ctx.captured_queries)

    few = save([district["zhang"], district["li"]])
    many = [factories.DeputyFactory(term=district["term"], street_committee=district["dongsi"],
                                    delegation=district["del_ds"]) for _ in range(30)]
    Attendance.objects.all().delete()
    assert save([district["zhang"], district["li"], *many]) == few
