"""Sessions in the browser: the list, a session's meetings with their roll-call tallies, the session
and meeting forms for the secretariat, and the menu entries of these pages by role."""
import datetime as dt

import pytest
from django.urls import reverse

from dutyadmin.roles import Role
from meetings.choices import AttendanceStatus, LeaveStatus
from meetings.models import CongressSession, Meeting
from oversight.attendance.selectors import session_tallies
from tests import factories

from .helpers import leave_in_state

pytestmark = pytest.mark.django_db


def test_a_sessions_tallies_count_present_excused_unexcused_and_unrecorded(district, people, as_):
    m = district["pm"]
    factories.AttendanceFactory(meeting=m["plenary"], deputy=district["zhang"], status=AttendanceStatus.ABSENT)
    factories.AttendanceFactory(meeting=m["plenary"], deputy=district["li"], status=AttendanceStatus.ABSENT)
    factories.AttendanceFactory(meeting=m["plenary"], deputy=district["wang"], status=AttendanceStatus.PRESENT)
    leave_in_state(deputy=district["zhang"], session=district["past"], status=LeaveStatus.APPROVED,
                   meetings=[m["plenary"]], admin=people[Role.ADMIN])
    leave_in_state(deputy=district["li"], session=district["past"], status=LeaveStatus.PENDING,
                   meetings=[m["plenary"]], admin=people[Role.ADMIN])
    page = as_(Role.SECRETARIAT).get(reverse("meetings:session_detail", args=[district["past"].pk]))
    assert page.status_code == 200
    tallies = {t.meeting.title: t for t in page.context["tallies"]}
    plenary = tallies["第一次全体会议"]
    assert (plenary.expected, plenary.recorded, plenary.present, plenary.excused, plenary.unexcused,
            plenary.unrecorded) == (3, 3, 1, 1, 1, 0)
    assert (tallies["预备会议"].expected, tallies["预备会议"].unrecorded, tallies["预备会议"].recorded) == (3, 3, 0)
    assert "登记出席" in page.text and "缺席(未经批准)" in page.text
    # The street's staff count their own deputies only.
    mine = {t.meeting.title: t for t in session_tallies(user=people[Role.STREET_STAFF], session=district["past"])}
    assert (mine["第一次全体会议"].expected, mine["第一次全体会议"].present) == (2, 0)


def test_the_session_list_shows_every_session_newest_first(district, as_):
    page = as_(Role.STREET_STAFF).get(reverse("meetings:session_list"), {"page": "x"})
    assert page.status_code == 200
    assert [s.name for s in page.context["page"]] == ["第十七届第五次会议", "第十七届第四次会议"]
    assert "页码“x”无效" in page.text
    assert "新增大会" not in page.text


@pytest.mark.parametrize("role", [Role.DEPUTY, "nobody"])
def test_sessions_are_not_a_deputys_page(district, as_, role):
    assert as_(role).get(reverse("meetings:session_list")).status_code == 403
    assert as_(role).get(reverse("meetings:session_detail", args=[district["past"].pk])).status_code == 403


def test_the_secretariat_creates_a_session_and_its_meetings(district, people, as_):
    client = as_(Role.SECRETARIAT)
    start = district["coming"].end_date + dt.timedelta(days=300)
    body = {"term": district["term"].pk, "number": 6, "name": "第十七届第六次会议", "start_date": start.isoformat(),
            "end_date": (start + dt.timedelta(days=3)).isoformat()}
    response = client.post(reverse("meetings:session_create"), body)
    session = CongressSession.objects.get(number=6)
    assert response.status_code == 302 and response.url == reverse("meetings:session_detail", args=[session.pk])
    assert session.history.latest().history_user == people[Role.SECRETARIAT]
    add = reverse("meetings:meeting_create", args=[session.pk])
    response = client.post(add, {"kind": "plenary", "title": "第一次全体会议", "date": start.isoformat(),
                                 "half_day": "pm", "save_and_add": "1"})
    assert response.status_code == 302 and response.url == add
    client.post(add, {"kind": "delegation", "title": "代表团会议", "date": (start + dt.timedelta(days=1)).isoformat(),
                      "half_day": "am"})
    assert [m.title for m in Meeting.objects.filter(session=session).order_by("date")] == ["第一次全体会议", "代表团会议"]
    meeting = Meeting.objects.get(session=session, title="代表团会议")
    response = client.post(reverse("meetings:meeting_edit", args=[meeting.pk]),
                           {"kind": "delegation", "title": "代表团会议:审议报告", "date": meeting.date.isoformat(),
                            "half_day": "pm"})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.title, meeting.half_day) == ("代表团会议:审议报告", "pm")


@pytest.mark.parametrize(("changes", "field"), [
    ({"end_date": "2000-01-01"}, "end_date"),
    ({"start_date": "明天"}, "start_date"),
    ({"number": "4"}, "__all__"),  # the term already has a 4th session
    ({"term": "99999999999999999999"}, "term"),
])
def test_a_bad_session_shows_its_errors(district, as_, changes, field):
    start = district["coming"].end_date + dt.timedelta(days=300)
    body = {"term": district["term"].pk, "number": 6, "name": "第六次会议", "start_date": start.isoformat(),
            "end_date": (start + dt.timedelta(days=3)).isoformat(), **changes}
    response = as_(Role.SECRETARIAT).post(reverse("meetings:session_create"), body)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert CongressSession.objects.count() == 2


def test_a_meeting_outside_its_session_is_refused_on_the_date(district, as_):
    session = district["coming"]
    response = as_(Role.SECRETARIAT).post(reverse("meetings:meeting_create", args=[session.pk]), {
        "kind": "plenary", "title": "多出来的会议", "date": (session.end_date + dt.timedelta(days=1)).isoformat(),
        "half_day": "am"})
    assert response.status_code == 200
    assert response.context["form"].errors["date"] == ["会议日期必须在大会会期内。"]


@pytest.mark.parametrize("role", [Role.STREET_STAFF, Role.LIAISON_OFFICE, Role.SC_OFFICE, Role.DEPUTY])
def test_only_the_secretariat_edits_sessions_and_meetings(district, as_, role):
    client = as_(role)
    meeting = district["m"]["plenary"]
    for url in (reverse("meetings:session_create"), reverse("meetings:session_edit", args=[district["coming"].pk]),
                reverse("meetings:meeting_create", args=[district["coming"].pk]),
                reverse("meetings:meeting_edit", args=[meeting.pk])):
        assert client.get(url).status_code == 403
        assert client.post(url, {"title": "改"}).status_code == 403


def test_unknown_sessions_and_meetings_are_404s(district, as_):
    client = as_(Role.SECRETARIAT)
    for url in ("/meetings/sessions/987654/", "/meetings/sessions/987654/edit/", "/meetings/sessions/987654/meetings/new/",
                "/meetings/meeting/987654/edit/"):
        assert client.get(url).status_code == 404


def _menu(response) -> str:
    html = response.text
    start = html.index('id="sidenav"')
    return html[start:html.index("</nav>", start)]


@pytest.mark.parametrize(("role", "shown", "hidden"), [
    (Role.SECRETARIAT, ["大会会议", "请假", "待我审批", "意见建议待确认"], []),
    (Role.STREET_STAFF, ["大会会议", "请假", "意见建议待确认"], ["待我审批"]),
    (Role.STREET_DIRECTOR, ["大会会议", "请假", "待我审批"], ["意见建议待确认"]),
    (Role.DELEGATION_HEAD, ["请假", "待我审批"], ["意见建议待确认"]),
    (Role.SC_LEADER, ["待我审批"], ["意见建议待确认"]),
    (Role.DEPUTY, ["请假"], ["大会会议", "待我审批", "意见建议待确认"]),
    ("nobody", [], ["大会会议", "请假", "待我审批", "意见建议待确认"]),
])
def test_the_menu_offers_these_pages_to_the_roles_that_use_them(district, as_, role, shown, hidden):
    menu = _menu(as_(role).get(reverse("home")))
    for label in shown:
        assert f"</span>{label}</a>" in menu, label
    for label in hidden:
        assert f"</span>{label}</a>" not in menu, label
