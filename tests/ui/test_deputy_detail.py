"""One deputy's page: profile, records in summary, change history; scope decides who sees it."""
import datetime as dt

import pytest
from django.urls import reverse

from dutyadmin.roles import Role
from dutyadmin.services import record_save
from tests import factories

pytestmark = pytest.mark.django_db


def detail(deputy) -> str:
    return reverse("deputies:detail", args=[deputy.pk])


def history(deputy) -> str:
    return reverse("deputies:history", args=[deputy.pk])


@pytest.mark.parametrize(
    ("role", "zhang", "wang"),
    [
        (Role.STREET_STAFF, 200, 404),
        (Role.STREET_DIRECTOR, 200, 404),
        (Role.DEPUTY, 200, 404),
        (Role.DELEGATION_HEAD, 200, 404),
        (Role.SECRETARIAT, 200, 200),
        (Role.PRESIDIUM_SECRETARY_GENERAL, 200, 200),
        (Role.SC_OFFICE, 200, 200),
        (Role.SC_LEADER, 200, 200),
        (Role.LIAISON_OFFICE, 200, 200),
        (Role.ADMIN, 200, 200),
        ("nobody", 404, 404),
    ],
)
def test_a_deputy_page_is_seen_only_within_scope(login, world, role, zhang, wang):
    client = login(role)
    assert client.get(detail(world["zhang"])).status_code == zhang
    assert client.get(detail(world["wang"])).status_code == wang
    assert client.get(history(world["wang"])).status_code == wang


def test_a_deputy_sees_only_their_own_page(login, world):
    assert login(Role.DEPUTY).get(detail(world["li"])).status_code == 404


def test_an_unknown_deputy_is_a_404(login):
    assert login(Role.LIAISON_OFFICE).get(reverse("deputies:detail", args=[999999])).status_code == 404


def test_the_profile_shows_every_field(login, world):
    zhang = world["zhang"]
    zhang.position, zhang.phone = "校长", "13800001111"
    zhang.save()
    text = login(Role.STREET_STAFF).get(detail(zhang)).text
    for value in ("张东", "东四", "东四代表团", "东城区第一中学", "校长", "第3选区", "13800001111", "在任", "第十七届"):
        assert value in text


def test_records_are_summarized_with_counts_and_the_latest(login, world):
    zhang, session = world["zhang"], world["session"]
    meeting = factories.MeetingFactory(session=session, title="第一次全体会议")
    factories.AttendanceFactory(meeting=meeting, deputy=zhang, status="absent")
    factories.LeaveRequestFactory(deputy=zhang, session=session)
    factories.ParticipationFactory(
        activity=factories.ActivityFactory(term=world["term"], title="集中视察老旧小区"), deputy=zhang
    )
    factories.ContributionFactory(deputy=zhang, title="关于背街小巷整治的建议")
    factories.InterventionFactory(deputy=zhang, conducted_by="东四代表团团长")
    response = login(Role.STREET_STAFF).get(detail(zhang))
    summary = response.context["summary"]
    assert dict(summary["attendance"].counts)["缺席(未经批准)"] == 1
    assert summary["leave"].total == 1
    assert dict(summary["participations"].counts)["出席"] == 1
    assert summary["contributions"].total == 1
    assert summary["interventions"].total == 1
    for text in ("第一次全体会议", "全程请假", "集中视察老旧小区", "关于背街小巷整治的建议", "东四代表团团长"):
        assert text in response.text


def test_an_absence_covered_by_approved_leave_reads_as_excused(login, world):
    zhang, session = world["zhang"], world["session"]
    factories.AttendanceFactory(meeting=factories.MeetingFactory(session=session), deputy=zhang, status="absent")
    factories.LeaveRequestFactory(deputy=zhang, session=session, status="approved")
    counts = dict(login(Role.STREET_STAFF).get(detail(zhang)).context["summary"]["attendance"].counts)
    assert counts["缺席(已请假)"] == 1
    assert counts["缺席(未经批准)"] == 0


def test_history_shows_who_changed_which_field_from_what_to_what(login, personas, world):
    zhang = world["zhang"]
    zhang.phone = "13800000000"
    record_save(zhang, user=personas[Role.LIAISON_OFFICE])
    zhang.phone = "13911112222"
    record_save(zhang, user=personas[Role.STREET_STAFF])
    response = login(Role.STREET_STAFF).get(history(zhang))
    entry = response.context["history"][0]
    assert entry.who == "陈静"
    assert entry.action == "修改"
    assert [(c.field, c.before, c.after) for c in entry.changes] == [("电话", "13800000000", "13911112222")]
    assert "13800000000" in response.text and "13911112222" in response.text


def test_history_covers_the_deputys_records(login, personas, world):
    zhang = world["zhang"]
    staff = personas[Role.STREET_STAFF]
    meeting = factories.MeetingFactory(session=world["session"], title="分团审议")
    attendance = factories.AttendanceFactory(meeting=meeting, deputy=zhang, status="absent")
    attendance.status = "present"
    record_save(attendance, user=staff)
    contribution = factories.ContributionFactory(deputy=zhang, title="旧标题")
    contribution.title = "新标题"
    record_save(contribution, user=staff)
    intervention = factories.InterventionFactory(deputy=zhang, date=dt.date(2024, 2, 1))
    intervention.date = dt.date(2024, 2, 3)
    record_save(intervention, user=personas[Role.LIAISON_OFFICE])
    participation = factories.ParticipationFactory(
        activity=factories.ActivityFactory(term=world["term"]), deputy=zhang, outcome="pending"
    )
    participation.outcome = "absent"
    record_save(participation, user=staff)
    leave = factories.LeaveRequestFactory(deputy=zhang, session=world["session"], reason="出差")
    leave.reason = "住院"
    record_save(leave, user=staff)

    entries = login(Role.STREET_STAFF).get(history(zhang)).context["history"]
    changes = {(e.record_type, c.field, c.before, c.after) for e in entries if e.action == "修改" for c in e.changes}
    assert ("出席记录", "出席情况", "缺席", "出席") in changes
    assert ("审议意见和建议", "标题", "旧标题", "新标题") in changes
    assert ("履职处置", "日期", "2024年2月1日", "2024年2月3日") in changes
    assert ("参加活动", "参加情况", "待定", "缺席") in changes
    assert ("请假申请", "事由", "出差", "住院") in changes


def test_history_of_another_deputys_records_is_not_mixed_in(login, world):
    factories.ContributionFactory(deputy=world["li"], title="李四的建议")
    entries = login(Role.STREET_STAFF).get(history(world["zhang"])).context["history"]
    assert all(e.record != "李四的建议" for e in entries)


def test_the_detail_page_shows_the_latest_changes_and_links_to_all(login, personas, world):
    zhang = world["zhang"]
    for n in range(12):
        zhang.phone = f"1380000{n:04d}"
        record_save(zhang, user=personas[Role.LIAISON_OFFICE])
    response = login(Role.STREET_STAFF).get(detail(zhang))
    assert len(response.context["history"]) == 10
    assert response.context["history_total"] == 13
    assert history(zhang) in response.text


def test_the_history_page_costs_a_bounded_number_of_queries(login, personas, world, django_assert_max_num_queries):
    zhang = world["zhang"]
    for n in range(5):
        factories.ContributionFactory(deputy=zhang)
        factories.AttendanceFactory(meeting=factories.MeetingFactory(session=world["session"]), deputy=zhang)
    client = login(Role.STREET_STAFF)
    with django_assert_max_num_queries(25):
        client.get(history(zhang))
