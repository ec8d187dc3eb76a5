"""The bulletin's bulk A3 notices (issue 11, part 5): the secretariat records the notice of every listed
deputy still 待处置 in one action, each an intervention with its history row, all or none."""
import datetime as dt

import pytest
from django.urls import reverse

from dutyadmin.roles import Role
from meetings.choices import AttendanceStatus
from oversight.interventions import services
from oversight.models import Intervention
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def absentees(district):
    """李四 and 王朝 absent without leave from the past session's group meeting, 张东 present throughout."""
    m = district["pm"]
    for deputy in (district["zhang"], district["li"], district["wang"]):
        for meeting in m.values():
            absent = meeting is m["group"] and deputy is not district["zhang"]
            factories.AttendanceFactory(meeting=meeting, deputy=deputy,
                                        status=AttendanceStatus.ABSENT if absent else AttendanceStatus.PRESENT)
    return [district["li"], district["wang"]]


def url(district) -> str:
    return reverse("meetings:bulletin", args=[district["past"].pk])


def test_the_bulletin_offers_the_secretariat_every_pending_notice_ticked_with_today(district, as_, absentees, today):
    page = as_(Role.SECRETARIAT).get(url(district))
    form = page.context["notice_form"]
    assert sorted(label for _pk, label in form.fields["deputies"].choices) == ["李四(东四)", "王朝(朝阳门)"]
    assert sorted(form.initial["deputies"]) == sorted(d.pk for d in absentees)
    assert form.initial["date"] == today
    assert page.text.count("checked") >= 2 and "待处置" in page.text


@pytest.mark.parametrize("role", [Role.STREET_STAFF, Role.DELEGATION_HEAD, Role.SC_OFFICE])
def test_who_may_not_record_a3_notices_sees_no_form_and_cannot_post(district, as_, absentees, role):
    client = as_(role)
    assert client.get(url(district)).context["notice_form"] is None
    response = client.post(url(district), {"deputies": [absentees[0].pk], "date": "2026-01-01", "conducted_by": "x"})
    assert response.status_code == 403
    assert not Intervention.objects.exists()


def test_one_action_records_n_notices_with_n_history_rows_and_the_bulletin_shows_them_resolved(
        district, as_, people, absentees, today):
    client = as_(Role.SECRETARIAT)
    response = client.post(url(district), {"deputies": [d.pk for d in absentees], "date": today.isoformat(),
                                           "conducted_by": "大会秘书处", "notes": "第四次会议缺席情况通报"},
                           follow=True)
    assert "已登记 2 位代表的缺席通报。" in response.text
    saved = Intervention.objects.filter(rule="absence_notice")
    assert saved.count() == 2 and {i.kind for i in saved} == {"notice"}
    assert Intervention.history.filter(history_type="+").count() == 2
    assert {h.history_user for h in Intervention.history.all()} == {people[Role.SECRETARIAT]}
    statuses = {item.deputy.name: item.notice.status for item in response.context["bulletin"].by_deputy}
    assert statuses == {"李四": "resolved", "王朝": "resolved"}
    assert response.context["notice_form"] is None  # nothing left to notify
    assert "已处置" in response.text


def test_a_date_before_the_session_ended_records_none_and_says_why(district, as_, absentees):
    before = district["past"].end_date - dt.timedelta(days=1)
    response = as_(Role.SECRETARIAT).post(url(district), {"deputies": [d.pk for d in absentees],
                                                          "date": before.isoformat(), "conducted_by": "大会秘书处"})
    assert response.status_code == 400
    assert "早于触发日期" in response.text
    assert not Intervention.objects.exists()


def test_a_date_after_today_records_none(district, as_, absentees, today):
    response = as_(Role.SECRETARIAT).post(url(district), {
        "deputies": [d.pk for d in absentees], "date": (today + dt.timedelta(days=1)).isoformat(),
        "conducted_by": "大会秘书处"})
    assert response.status_code == 400
    assert "在今天之后" in response.text
    assert not Intervention.objects.exists()


def test_a_deputy_not_on_the_list_is_refused(district, as_, absentees, today):
    response = as_(Role.SECRETARIAT).post(url(district), {"deputies": [district["zhang"].pk],
                                                          "date": today.isoformat(), "conducted_by": "大会秘书处"})
    assert response.status_code == 400
    assert not Intervention.objects.exists()


def test_a_failure_on_the_second_notice_undoes_the_first(district, as_, absentees, today, monkeypatch):
    real, calls = services.intervention_record, []

    def fail_second(**kwargs):
        calls.append(kwargs["deputy"])
        if len(calls) == 2:
            raise services.ValidationError({"date": "模拟的失败"})
        return real(**kwargs)

    monkeypatch.setattr(services, "intervention_record", fail_second)
    response = as_(Role.SECRETARIAT).post(url(district), {"deputies": [d.pk for d in absentees],
                                                          "date": today.isoformat(), "conducted_by": "大会秘书处"})
    assert response.status_code == 400 and "模拟的失败" in response.text
    assert len(calls) == 2
    assert not Intervention.objects.exists() and not Intervention.history.exists()
