"""Suggestion reminders through the outbox (RULES.md "Overdue"): the unit 15 days before the due date and on it,
weekly while overdue with a copy to the liaison office, the reply to the lead deputy, the evaluation to the unit;
each exactly once, whatever the beat does; a year the holiday calendar does not know never crashes the task."""
from __future__ import annotations

import datetime as dt
import logging

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from deputies.choices import DeputyStatus
from oversight.models import Notification
from oversight.notifications import services as notifications
from oversight.notifications.models import NotificationReason as R
from oversight.rules import clocks
from dutyadmin.celery import app as celery_app
from oversight.suggestions import services
from oversight.suggestions.signals import suggestion_replied
from oversight.tasks import suggestion_reminders_send
from tests import factories

from .suggestion_fixtures import D, assign, evaluate, reply, submit  # sw: tests/oversight/conftest.py

pytestmark = pytest.mark.django_db

# Assigned on 2024-03-07: due 2024-06-07 (a Friday); 15 days before is Thursday 2024-05-23. The days after the due
# date: Saturday 8th and Sunday 9th rest, Monday 10th is 端午节, Tuesday 11th the first working day overdue.
DUE = D(2024, 6, 7)


def run(day: dt.date) -> int:
    return notifications.suggestion_reminders_send(today=day)


def days(first: dt.date, last: dt.date):
    while first <= last:
        yield first
        first += dt.timedelta(days=1)


def sent(user, reason=None):
    qs = Notification.objects.filter(recipient=user)
    if reason is not None:
        qs = qs.filter(reason=reason)
    return list(qs.order_by("created_at", "id"))


@pytest.fixture
def assigned(sw):
    suggestion = assign(sw, submit(sw))
    assert suggestion.due_date == DUE
    return suggestion


# --- 15 days before ------------------------------------------------------------------------------------------


def test_the_unit_hears_fifteen_days_before_the_due_date_and_not_the_day_before(sw, assigned):
    run(D(2024, 5, 22))
    assert sent(sw.road_user) == []
    run(D(2024, 5, 23))
    [message] = sent(sw.road_user)
    assert message.reason == R.SUGGESTION_DUE_SOON
    assert message.subject == "建议答复期限临近：关于增设公交站的建议"
    assert message.body == ("区交通委：张东代表领衔提出的建议“关于增设公交站的建议”，答复期限为2024年6月7日，"
                            "还有15天，请抓紧办理，按期答复。")
    assert message.url == reverse("suggestions:detail", args=[assigned.pk])
    assert (message.object_key, message.period) == (f"suggestion:{assigned.pk}", "2024-06-07")


def test_the_fifteen_day_reminder_is_sent_once_however_often_the_beat_runs(sw, assigned):
    for day in days(D(2024, 5, 23), D(2024, 6, 6)):
        run(day)
        run(day)
    assert len(sent(sw.road_user, R.SUGGESTION_DUE_SOON)) == 1
    assert len(sent(sw.road_user)) == 1  # nothing else before the due date


def test_the_celery_task_runs_the_same_service_with_today(sw, assigned, monkeypatch):
    seen = []
    monkeypatch.setattr(notifications, "suggestion_reminders_send", lambda *, today: seen.append(today) or 0)
    suggestion_reminders_send.apply()
    assert len(seen) == 1 and isinstance(seen[0], dt.date)


def test_a_reminder_whose_day_is_a_rest_day_goes_out_on_the_next_working_day(sw, assigned):
    # Dissatisfied on 2024-06-10: the rehandling reply is due 2024-08-12; 15 days before is Sunday 28 July.
    reply(sw, assigned, on=D(2024, 6, 3))
    evaluate(sw, assigned, "dissatisfied", on=D(2024, 6, 10))
    assigned.refresh_from_db()
    assert assigned.rehandling_due == D(2024, 8, 12)
    run(D(2024, 7, 27))
    run(D(2024, 7, 28))
    assert sent(sw.road_user, R.SUGGESTION_DUE_SOON) == []
    run(D(2024, 7, 29))
    [message] = sent(sw.road_user, R.SUGGESTION_DUE_SOON)
    assert "重新办理答复期限为2024年8月12日，还有14天" in message.body
    assert message.period == "2024-08-12"


# --- on the due date -----------------------------------------------------------------------------------------


def test_the_unit_hears_on_the_due_date_once_and_not_the_day_before(sw, assigned):
    run(D(2024, 6, 6))
    assert sent(sw.road_user, R.SUGGESTION_DUE_TODAY) == []
    for _ in range(3):
        run(DUE)
    [message] = sent(sw.road_user, R.SUGGESTION_DUE_TODAY)
    assert message.subject == "建议今日到期：关于增设公交站的建议"
    assert "答复期限为今天（2024年6月7日），请于今日内答复。" in message.body
    assert sent(sw.office) == []  # the office is copied only once it is overdue


def test_a_reply_before_the_due_date_stops_the_reminders(sw, assigned):
    run(D(2024, 5, 23))
    reply(sw, assigned, on=D(2024, 6, 3))
    for day in days(D(2024, 6, 4), D(2024, 7, 1)):
        run(day)
    assert [m.reason for m in sent(sw.road_user)] == [R.SUGGESTION_DUE_SOON]


def test_an_extension_gives_the_new_due_date_reminders_of_its_own(sw, assigned):
    run(D(2024, 5, 23))
    services.suggestion_extend(user=sw.office, suggestion=assigned, reason="涉及面广，需多部门协调。")
    assigned.refresh_from_db()
    assert assigned.due_date == D(2024, 9, 9)
    for day in days(DUE, D(2024, 6, 14)):
        run(day)  # the old due date passes: not due today, not overdue
    assert [m.period for m in sent(sw.road_user)] == ["2024-06-07"]
    run(D(2024, 8, 26))  # 15 days before 9 September is Sunday 25 August: the Monday after
    assert [m.period for m in sent(sw.road_user, R.SUGGESTION_DUE_SOON)] == ["2024-06-07", "2024-09-09"]


# --- weekly while overdue ------------------------------------------------------------------------------------


def test_overdue_is_reminded_once_a_week_on_its_first_working_day_with_a_copy_to_the_office(sw, assigned):
    for day in days(D(2024, 6, 8), D(2024, 6, 30)):
        run(day)
        run(day)
    unit = sent(sw.road_user, R.SUGGESTION_OVERDUE)
    # Week 23 ends with rest days only (8th, 9th); week 24's first working day is Tuesday 11th (10th is 端午节).
    assert [m.period for m in unit] == ["2024-06-07/2024-W24", "2024-06-07/2024-W25", "2024-06-07/2024-W26"]
    assert unit[0].body == ("区交通委：张东代表领衔提出的建议“关于增设公交站的建议”，答复期限2024年6月7日已过，"
                            "已逾期4天，请尽快答复。")
    assert "已逾期10天" in unit[1].body  # Monday 17th
    office = sent(sw.office, R.SUGGESTION_OVERDUE)
    assert [m.period for m in office] == [m.period for m in unit]
    assert office[0].subject == "建议逾期未答复：关于增设公交站的建议（抄送）"
    assert office[0].body.startswith("抄送代表联络机构：主办单位区交通委，张东代表领衔提出的建议")


def test_an_overdue_rehandling_reply_is_reminded_under_its_own_due_date(sw, assigned):
    reply(sw, assigned, on=D(2024, 6, 3))
    evaluate(sw, assigned, "dissatisfied", on=D(2024, 6, 10))
    run(D(2024, 8, 13))
    [message] = sent(sw.road_user, R.SUGGESTION_OVERDUE)
    assert message.period == "2024-08-12/2024-W33"
    assert "重新办理答复期限2024年8月12日已过，已逾期1天" in message.body


# --- who is told ---------------------------------------------------------------------------------------------


def test_reminders_go_to_the_lead_unit_s_active_staff_only(sw):
    colleague = factories.make_user("handling_unit", username="road2", handling_unit=sw.road)
    gone = factories.make_user("handling_unit", username="road-old", handling_unit=sw.road)
    gone.is_active = False
    gone.save()
    other_role = factories.make_user("street_staff", username="road-street", street_committee=sw.street_a)
    suggestion = assign(sw, submit(sw), co_units=[sw.court])
    run(D(2024, 5, 23))
    told = set(Notification.objects.filter(object_key=f"suggestion:{suggestion.pk}").values_list("recipient", flat=True))
    assert told == {sw.road_user.pk, colleague.pk}
    assert not sent(sw.court_user) and not sent(gone) and not sent(other_role) and not sent(sw.zhang_user)


def test_each_unit_hears_of_its_own_suggestions(sw):
    road = assign(sw, submit(sw, title="道路"))
    court = assign(sw, submit(sw, title="法院"), unit=sw.court)
    run(D(2024, 5, 23))
    assert [m.object_key for m in sent(sw.road_user)] == [f"suggestion:{road.pk}"]
    assert [m.object_key for m in sent(sw.court_user)] == [f"suggestion:{court.pk}"]


def test_a_unit_without_staff_leaves_only_the_office_s_copy(sw):
    unit = factories.HandlingUnitFactory(name="区园林局", code="G09")
    suggestion = assign(sw, submit(sw), unit=unit)
    run(D(2024, 5, 23))
    run(D(2024, 6, 11))
    assert list(Notification.objects.values_list("recipient", "reason", "object_key")) == [
        (sw.office.pk, R.SUGGESTION_OVERDUE, f"suggestion:{suggestion.pk}")]


# --- the reply to the deputy, the evaluation to the unit -----------------------------------------------------


def test_the_lead_deputy_reads_the_reply_with_the_feedback_deadline_once(sw, assigned):
    answered = reply(sw, assigned, on=D(2024, 6, 3))
    assert answered.feedback_due == D(2024, 6, 25)
    [message] = sent(sw.zhang_user)
    assert message.reason == R.SUGGESTION_REPLIED
    assert message.subject == "建议已答复，请评价：关于增设公交站的建议"
    assert message.body == ("张东代表：您领衔提出的建议“关于增设公交站的建议”，区交通委已于2024年6月3日答复，"
                            "办理结果：已解决。请于2024年6月25日前评价（满意、基本满意或不满意）。")
    assert message.url == reverse("suggestions:detail", args=[assigned.pk])
    # The signal again for the same reply (a retried request, a second receiver) writes nothing more.
    suggestion_replied.send(sender=type(answered), suggestion=answered, reply=answered.replies.get())
    assert len(sent(sw.zhang_user)) == 1
    assert not sent(sw.li_user) and not sent(sw.road_user)  # neither a cosigner nor the unit itself


def test_the_rehandling_reply_is_a_second_message_saying_it_closes_on_evaluation(sw, assigned):
    reply(sw, assigned, on=D(2024, 6, 3))
    evaluate(sw, assigned, "dissatisfied", on=D(2024, 6, 10))
    again = reply(sw, assigned, on=D(2024, 7, 1), resolution="in_progress")
    messages = sent(sw.zhang_user, R.SUGGESTION_REPLIED)
    assert len(messages) == 2
    assert "区交通委已于2024年7月1日重新办理后答复，办理结果：正在解决。" in messages[1].body
    assert "请于2024年7月22日前评价" in messages[1].body
    assert again.feedback_due == D(2024, 7, 22)
    assert messages[1].body.endswith("这是重新办理的答复，评价后即办结。")


def test_a_deputy_without_a_user_account_is_not_told_and_nothing_breaks(sw):
    deputy = factories.DeputyFactory(term=sw.term, name="赵北", street_committee=sw.street_a)
    suggestion = assign(sw, submit(sw, deputy=deputy))
    answered = reply(sw, suggestion, on=D(2024, 6, 3))
    assert answered.status == "replied"
    assert not Notification.objects.filter(reason=R.SUGGESTION_REPLIED).exists()


def test_a_deputy_whose_account_is_disabled_is_not_told(sw, assigned):
    sw.zhang_user.is_active = False
    sw.zhang_user.save()
    reply(sw, assigned, on=D(2024, 6, 3))
    assert not Notification.objects.filter(reason=R.SUGGESTION_REPLIED).exists()


def test_the_unit_reads_a_satisfied_evaluation_and_that_it_is_closed(sw, assigned):
    reply(sw, assigned, on=D(2024, 6, 3))
    services.suggestion_evaluate(user=sw.zhang_user, suggestion=assigned, satisfaction="satisfied",
                                 comment="公交站已建成。", date=D(2024, 6, 10))
    [message] = sent(sw.road_user, R.SUGGESTION_EVALUATED)
    assert message.subject == "代表评价：满意，关于增设公交站的建议"
    assert message.body == ("区交通委：张东代表于2024年6月10日对建议“关于增设公交站的建议”的答复评价为满意。"
                            "评价意见：公交站已建成。\n该建议已办结。")
    assert not sent(sw.court_user) and not sent(sw.office)


def test_a_dissatisfied_evaluation_tells_the_unit_the_rehandling_deadline(sw, assigned):
    reply(sw, assigned, on=D(2024, 6, 3))
    evaluate(sw, assigned, "dissatisfied", on=D(2024, 6, 10))
    [message] = sent(sw.road_user, R.SUGGESTION_EVALUATED)
    assert message.body.endswith("答复评价为不满意。该建议转入重新办理，请于2024年8月12日前重新答复。")
    reply(sw, assigned, on=D(2024, 7, 1))
    evaluate(sw, assigned, "basically_satisfied", on=D(2024, 7, 5))
    messages = sent(sw.road_user, R.SUGGESTION_EVALUATED)
    assert len(messages) == 2 and messages[1].body.endswith("答复评价为基本满意。该建议已办结。")


def test_a_refused_evaluation_tells_nobody(sw, assigned):
    reply(sw, assigned, on=D(2024, 6, 3))
    with pytest.raises(PermissionDenied):
        evaluate(sw, assigned, "satisfied", by=sw.li_user)  # not the lead deputy
    assert not Notification.objects.filter(reason=R.SUGGESTION_EVALUATED).exists()


# --- a year the holiday calendar does not know ---------------------------------------------------------------


@pytest.fixture
def late_in_2026(sw):
    """Assigned 2026-09-15, due 2026-12-15: overdue in January 2027, a year the installed calendar may not know."""
    suggestion = assign(sw, submit(sw, on=D(2026, 9, 1), session=None), on=D(2026, 9, 15))
    assert suggestion.due_date == D(2026, 12, 15)
    return suggestion


def test_an_unknown_year_skips_the_reminder_logs_it_and_tells_the_office_once(sw, late_in_2026, caplog, monkeypatch):
    package = clocks.PACKAGE_CALENDAR  # as installed when this was written: 2004–2026, nothing entered
    monkeypatch.setattr(clocks, "PACKAGE_CALENDAR", clocks.Calendar(package.holidays, package.workdays, tuple(range(2004, 2027))))
    with caplog.at_level(logging.WARNING, logger="oversight.notifications.services"):
        run(D(2027, 1, 4))
        run(D(2027, 1, 5))
        run(D(2027, 1, 11))
    assert not Notification.objects.filter(reason=R.SUGGESTION_OVERDUE).exists()
    assert f"suggestion {late_in_2026.pk}: no reminder on 2027-01-04" in caplog.text
    [notice] = sent(sw.office)
    assert notice.reason == R.CALENDAR_OUTDATED
    assert notice.subject == "节假日日历需要更新（2027年）"
    assert notice.body.startswith("法定节假日日历只覆盖2004年至2026年，无法计算2027年1月4日所在年份的期限")
    assert "以下建议的办理提醒暂停发送：“关于增设公交站的建议”。" in notice.body
    assert not sent(sw.road_user)


def test_an_unknown_day_for_one_suggestion_does_not_stop_the_others(sw, assigned, monkeypatch):
    other = assign(sw, submit(sw, title="关于修缮路灯的建议"), on=D(2024, 3, 8))
    real = clocks.reply_reminder

    def flaky(due, today, *, cal=clocks.PACKAGE_CALENDAR):
        if due == other.due_date:
            raise clocks.CalendarUnknown(due, cal)
        return real(due, today, cal=cal)

    monkeypatch.setattr(clocks, "reply_reminder", flaky)
    assert other.due_date == D(2024, 6, 11)
    run(D(2024, 5, 27))  # both within 15 days of their due dates
    assert [m.object_key for m in sent(sw.road_user)] == [f"suggestion:{assigned.pk}"]
    assert [m.reason for m in sent(sw.office)] == [R.CALENDAR_OUTDATED]


def test_suggestions_of_a_deputy_no_longer_in_office_are_still_chased(sw, assigned):
    sw.zhang.status = DeputyStatus.RESIGNED
    sw.zhang.service_end = D(2024, 4, 30)
    sw.zhang.save()
    run(D(2024, 5, 23))
    assert len(sent(sw.road_user, R.SUGGESTION_DUE_SOON)) == 1


def test_the_beat_runs_the_reminders_every_morning():
    entry = celery_app.conf.beat_schedule["notifications-suggestion-reminders"]
    assert entry["task"] == "oversight.suggestion_reminders_send"
    assert entry["schedule"].hour == {8}
