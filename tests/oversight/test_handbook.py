"""The duty handbook: a year's records grouped as the regulation groups them, each threshold's progress,
the page for a deputy and for staff, and bad years answered with an error next to the field."""
import datetime as dt

import pytest

from activities.choices import ActivityKind, Outcome
from dutyadmin.roles import Role
from meetings.choices import AttendanceStatus, ContributionKind, HalfDay, LeaveRoute, LeaveStatus, MeetingKind
from oversight.handbook.build import handbook_build, meeting_mark, read_year, year_findings
from tests import factories

TODAY = dt.date(2026, 3, 1)


@pytest.fixture
def year_2024(world):
    """张东's 2024: three closed-period activities and a lecture attended, one reception missed, a session
    with a present, an excused and an unexcused mark and a gap, two contributions, a talk."""
    term, session, zhang = world["term"], world["session"], world["zhang"]
    for kind, day, outcome in (
        (ActivityKind.INSPECTION, dt.date(2024, 3, 5), Outcome.ATTENDED),
        (ActivityKind.SPECIAL_RESEARCH, dt.date(2024, 6, 5), Outcome.ATTENDED),
        (ActivityKind.WORK_EVALUATION, dt.date(2024, 9, 5), Outcome.ATTENDED),
        (ActivityKind.LECTURE, dt.date(2024, 10, 8), Outcome.ATTENDED),
        (ActivityKind.STATION_RECEPTION, dt.date(2024, 4, 2), Outcome.ABSENT),
        (ActivityKind.COURT_HEARING, dt.date(2024, 5, 9), Outcome.ATTENDED),
        (ActivityKind.INSPECTION, dt.date(2023, 5, 9), Outcome.ATTENDED),  # another year
    ):
        activity = factories.ActivityFactory(term=term, kind=kind, date=day, title=f"{ActivityKind(kind).label}活动")
        factories.ParticipationFactory(activity=activity, deputy=zhang, outcome=outcome)
    meetings = [
        factories.MeetingFactory(session=session, kind=MeetingKind.PREPARATORY, title="预备会议",
                                 date=dt.date(2024, 1, 10), half_day=HalfDay.AM),
        factories.MeetingFactory(session=session, kind=MeetingKind.PLENARY, title="第一次全体会议",
                                 date=dt.date(2024, 1, 10), half_day=HalfDay.PM),
        factories.MeetingFactory(session=session, kind=MeetingKind.DELEGATION, title="分团审议",
                                 date=dt.date(2024, 1, 11), half_day=HalfDay.AM),
        factories.MeetingFactory(session=session, kind=MeetingKind.PLENARY, title="闭幕会",
                                 date=dt.date(2024, 1, 13), half_day=HalfDay.AM),
    ]
    factories.AttendanceFactory(meeting=meetings[0], deputy=zhang, status=AttendanceStatus.PRESENT)
    factories.AttendanceFactory(meeting=meetings[1], deputy=zhang, status=AttendanceStatus.ABSENT)
    factories.AttendanceFactory(meeting=meetings[2], deputy=zhang, status=AttendanceStatus.ABSENT)
    leave = factories.LeaveRequestFactory(deputy=zhang, session=session, route=LeaveRoute.PLENARY,
                                          status=LeaveStatus.APPROVED)
    leave.meetings.set([meetings[1]])
    factories.ContributionFactory(deputy=zhang, session=session, kind=ContributionKind.REVIEW_OPINION,
                                  date=dt.date(2024, 1, 11), title="关于教育经费的审议意见")
    factories.ContributionFactory(deputy=zhang, kind=ContributionKind.SUGGESTION, date=dt.date(2024, 7, 1),
                                  title="关于老旧小区加装电梯的建议", confirmed=False)
    factories.InterventionFactory(deputy=zhang, rule="absence_notice", kind="notice", date=dt.date(2024, 1, 20),
                                  conducted_by="大会秘书处")
    return meetings


def test_the_handbook_groups_activities_as_the_regulation_does(world, year_2024):
    hb = handbook_build(deputy=world["zhang"], year=2024, today=TODAY)
    assert [s.title for s in hb.activity_sections] == ["闭会期间活动", "学习培训", "联系人民群众"]
    art4 = {g.kind: g for g in hb.activity_sections[0].groups}
    assert art4["inspection"].counted == 1 and [r.title for r in art4["inspection"].rows] == ["集中视察活动"]
    assert art4["court_hearing"].counted == 1
    assert {g.kind: g.counted for g in hb.activity_sections[1].groups} == {"training": 0, "lecture": 1}
    reception = {g.kind: g for g in hb.activity_sections[2].groups}["station_reception"]
    assert reception.counted == 0 and reception.rows[0].outcome_label == "缺席" and reception.rows[0].tone == "bad"


def test_the_handbook_marks_each_meeting_present_on_leave_absent_or_unrecorded(world, year_2024):
    hb = handbook_build(deputy=world["zhang"], year=2024, today=TODAY)
    (session,) = hb.sessions
    assert [m.mark for m in session.meetings] == ["出席", "请假", "缺席", "未记录"]
    assert session.tally == {"出席": 1, "请假": 1, "缺席": 1, "未记录": 1}
    (leave,) = session.leaves
    assert leave.route_label == "全体会议请假" and leave.status_label == "已批准"
    assert "1月10日下午全体会议" in leave.what


def test_meeting_marks_follow_the_rules_words():
    assert meeting_mark("present", True) == "出席"
    assert meeting_mark("absent", True) == "请假"
    assert meeting_mark(None, True) == "请假"  # not recorded but on approved leave
    assert meeting_mark("absent", False) == "缺席"
    assert meeting_mark(None, False) == "未记录"


def test_the_handbook_shows_each_thresholds_progress_of_the_year(world, year_2024):
    hb = handbook_build(deputy=world["zhang"], year=2024, today=TODAY)
    assert hb.final and hb.as_of == dt.date(2025, 1, 1)
    progress = {p.rule: p for p in hb.progress}
    assert list(progress) == ["closed_session_activities", "group_activities", "station_receptions", "training",
                              "lectures", "sc_meeting_attendance", "duty_report"]
    a41 = progress["closed_session_activities"]
    assert (a41.count, a41.required, a41.status, a41.status_label, a41.percent) == (3, 3, "met", "已达标", 100)
    a62 = progress["station_receptions"]
    assert (a62.count, a62.required, a62.status, a62.tone) == (0, 2, "missed", "bad")
    lectures = progress["lectures"]
    assert (lectures.count, lectures.required, lectures.window) == (1, 5, "每届")
    assert lectures.note.startswith("任期累计")


def test_the_handbook_lists_contributions_and_interventions(world, year_2024):
    hb = handbook_build(deputy=world["zhang"], year=2024, today=TODAY)
    groups = {g.kind: g for g in hb.contributions}
    assert groups["review_opinion"].rows[0].where == "第十七届第三次会议"
    assert groups["suggestion"].rows == ()  # the deputy's own entry waits for staff: not in the handbook yet
    (talk,) = hb.interventions
    assert talk.kind_label == "通报" and talk.rule_label == "缺席通报"
    assert any(a.rule == "absence_notice" and a.status_label == "已处置" for a in hb.actions)


def test_a_running_year_is_evaluated_as_of_today(world, year_2024):
    hb = handbook_build(deputy=world["zhang"], year=2026, today=TODAY)
    assert not hb.final and hb.as_of == TODAY


def test_year_findings_give_the_handbooks_figures_for_many_deputies(world, year_2024):
    as_of, by_deputy = year_findings(term=world["term"], year=2024, today=TODAY)
    hb = handbook_build(deputy=world["zhang"], year=2024, today=TODAY)
    assert as_of == hb.as_of
    mine = {f.rule: (f.count, f.required, f.status) for f in by_deputy[world["zhang"].pk] if f.trigger_date is None}
    assert mine == {p.rule: (p.count, p.required, p.status) for p in hb.progress}
    assert set(by_deputy) == {world["zhang"].pk, world["li"].pk, world["wang"].pk}


@pytest.mark.parametrize("raw, year, error", [
    (None, 2026, None), ("2024", 2024, None), ("abc", 2026, "年度应为四位整数"), ("1999", 2026, "任期内"),
    ("9" * 30, 2026, "任期内"), ("2024.5", 2026, "年度应为四位整数"),
])
def test_read_year_falls_back_to_this_year_and_says_why(world, raw, year, error):
    got, form = read_year({"year": raw} if raw else {}, world["term"], TODAY)
    assert got == year
    if error:
        assert error in str(form.errors["year"])
    else:
        assert not form.errors


# --- the page -------------------------------------------------------------------------------------


def test_a_deputy_reads_their_own_handbook(login, world, year_2024):
    client = login(Role.DEPUTY)
    response = client.get("/oversight/handbook/?year=2024")
    assert response.status_code == 302 and response["Location"] == f"/oversight/deputies/{world['zhang'].pk}/handbook/?year=2024"
    page = client.get(response["Location"]).content.decode()
    assert "我的2024年度履职手册" in page
    for text in ("一、履职要求完成情况", "二、出席区人民代表大会会议情况", "闭会期间活动", "学习培训", "联系人民群众",
                 "六、审议意见、建议、议案和询问", "七、履职处置记录", "关于教育经费的审议意见", "下载 PDF"):
        assert text in page, text
    assert "关于老旧小区加装电梯的建议" not in page  # unconfirmed
    assert 'name="viewport"' in page and "yearend.css" in page


def test_a_deputy_cannot_open_anothers_handbook(login, world):
    client = login(Role.DEPUTY)
    assert client.get(f"/oversight/deputies/{world['li'].pk}/handbook/").status_code == 404
    assert client.get(f"/oversight/deputies/{world['li'].pk}/handbook.pdf?year=2024").status_code == 404


@pytest.mark.parametrize("role, deputy, status", [
    (Role.STREET_STAFF, "li", 200), (Role.STREET_STAFF, "wang", 404), (Role.DELEGATION_HEAD, "zhang", 200),
    (Role.DELEGATION_HEAD, "wang", 404), (Role.LIAISON_OFFICE, "wang", 200), ("nobody", "zhang", 404),
])
def test_staff_read_the_handbooks_in_their_scope(login, world, role, deputy, status):
    assert login(role).get(f"/oversight/deputies/{world[deputy].pk}/handbook/?year=2024").status_code == status


@pytest.mark.parametrize("query, message", [
    ("year=abc", "年度应为四位整数"), ("year=1999", "年度必须在该代表所在届的任期内(2022–2026)"), ("year=", None),
])
def test_a_bad_year_is_an_error_next_to_the_year_field(login, world, query, message):
    response = login(Role.STREET_STAFF).get(f"/oversight/deputies/{world['zhang'].pk}/handbook/?{query}")
    page = response.content.decode()
    if message is None:
        assert response.status_code == 200
        return
    assert response.status_code == 400
    assert message in page and 'id="year-errors"' in page and "has-error" in page
    response = login(Role.STREET_STAFF).get(f"/oversight/deputies/{world['zhang'].pk}/handbook.pdf?{query}")
    assert response.status_code == 400 and message in response.content.decode()


def test_the_my_handbook_link_needs_a_deputy(login, world):
    assert login(Role.STREET_STAFF).get("/oversight/handbook/").status_code == 404


def test_the_menu_offers_a_deputy_their_handbook(login, world):
    page = login(Role.DEPUTY).get("/").content.decode()
    assert "/oversight/handbook/" in page and "履职手册" in page
