"""The 待办 home of every demo role (issue 11, part 1), and the demo inboxes seed_demo fills (part 6).

The demo is seeded once for the module (rolled back afterwards); each role's home is read with the demo
user, its to-do lines parsed as a user reads them (count, label, deputies named), and each link followed.
"""
from __future__ import annotations

import re
from html import unescape
from io import StringIO
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse

from deputies.models import Deputy, Term
from dutyadmin import demo
from dutyadmin.scope import scope_for
from oversight.notifications.models import Notification, NotificationReason
from oversight.receptions.selectors import reception_year_page
from oversight.todo import TodoContext, office_checks_to_fix, reception_recommendations_owed

ITEM = re.compile(
    r'<a class="todo-item" href="(?P<url>[^"]*)">\s*<span class="todo-count badge badge-(?P<tone>\w+)">(?P<count>\d+)'
    r'</span>\s*<span class="todo-text"><span class="todo-label">(?P<label>[^<]*)</span>'
    r'(?:<span class="todo-detail">(?P<detail>[^<]*)</span>)?'
)


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        with transaction.atomic():
            out = StringIO()
            call_command("seed_demo", stdout=out)
            term = Term.objects.get(number=demo.TERM_NUMBER)
            yield SimpleNamespace(output=out.getvalue(), ids=dict(Deputy.objects.filter(term=term).values_list("name", "id")))
            transaction.set_rollback(True)


def home_of(username: str) -> tuple[Client, list[dict]]:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    response = client.get(reverse("home"))
    assert response.status_code == 200
    items = [{**m.groupdict(), "url": unescape(m["url"]), "count": int(m["count"]), "detail": m["detail"] or ""}
             for m in ITEM.finditer(response.content.decode())]
    return client, items


def line(items: list[dict], label: str) -> dict:
    found = [item for item in items if item["label"] == label]
    assert found, f"no line {label!r} in {[i['label'] for i in items]}"
    return found[0]


def test_the_sc_leader_must_terminate_han_and_advise_he_to_resign(seeded, db):
    client, items = home_of("sc_leader")
    termination = line(items, "待资格终止:未经批准两次不出席")
    assert termination["count"] == 1 and termination["detail"] == "韩德明"
    advice = line(items, "待劝辞:约谈后仍未改进")
    assert advice["count"] == 1 and advice["detail"] == "何桂英"
    # Straight to the intervention form, filled in for that deputy and rule.
    page = client.get(termination["url"])
    assert page.status_code == 200
    assert page.context["form"].initial["deputy"] in (seeded.ids["韩德明"], Deputy.objects.get(pk=seeded.ids["韩德明"]))
    assert not any(item["label"].startswith("待约谈") for item in items)  # the talks are others' to hold


def test_the_street_director_has_his_three_talks(seeded, db):
    client, items = home_of("dongsi_director")
    talks = {item["detail"]: item for item in items if item["label"].startswith("待约谈")}
    assert set(talks) == {"许振东", "秦海燕", "蒋立新"}  # 东四's: no contact, after a notice, a session missed
    assert all(item["tone"] == "bad" and item["count"] == 1 for item in talks.values())
    for item in talks.values():
        assert client.get(item["url"]).status_code == 200
    assert not any(item["label"].startswith(("待通报", "待资格终止", "待劝辞")) for item in items)


def test_street_staff_review_the_registrations_and_the_contribution(seeded, db):
    client, items = home_of("dongsi_staff")
    registrations = line(items, "代表个人登记待审核")
    assert registrations["count"] == 2 and registrations["url"] == reverse("activities:review_list")
    assert len(client.get(registrations["url"]).context["page"].object_list) == 2
    contributions = line(items, "代表填报的审议意见和建议待确认")
    assert contributions["count"] == 1
    assert len(client.get(contributions["url"]).context["page"].object_list) == 1
    assert not any(item["label"].startswith("待") for item in items)  # staff record no intervention


def test_another_streets_staff_do_not_see_dongsi_s_queue(seeded, db):
    _, items = home_of("chaoyangmen_staff")
    assert not any(item["label"] == "代表个人登记待审核" for item in items)


def test_the_secretariat_owes_the_absence_notices(seeded, db):
    client, items = home_of("secretariat")
    notices = line(items, "待通报:缺席通报")
    assert notices["count"] >= 2 and "卫红梅" in notices["detail"]
    listed = client.get(notices["url"])
    assert listed.status_code == 200 and len(listed.context["rows"]) == min(notices["count"], 50)
    assert not any("资格终止" in item["label"] for item in items)


def test_the_sc_office_owes_the_activity_notice_and_the_standing_committee_s_acts(seeded, db):
    _, items = home_of("sc_office")
    assert line(items, "待通报:应邀确定参加而无故两次不参加")["detail"] == "朱永华"
    assert line(items, "待资格终止:未经批准两次不出席")["detail"] == "韩德明"


def test_the_delegation_head_owes_the_talks_of_his_delegation(seeded, db):
    _, items = home_of("dongsi_head")
    talks = {item["detail"] for item in items if item["label"].startswith("待约谈")}
    assert "蒋立新" in talks and "许振东" not in talks  # no_contact is the street director's


def test_the_liaison_office_and_the_admin_see_every_line_and_every_link_works(seeded, db):
    for username in ("liaison", "admin"):
        client, items = home_of(username)
        labels = {item["label"] for item in items}
        assert {"待资格终止:未经批准两次不出席", "待劝辞:约谈后仍未改进", "代表个人登记待审核"} <= labels
        for item in items:
            assert client.get(item["url"]).status_code == 200, item


def test_the_secretary_general_and_the_deputy_have_their_own_lines(seeded, db):
    client, items = home_of("dongsi_deputy")
    returned = line(items, "个人登记被退回,待补充修改")
    assert returned["count"] == 1 and client.get(returned["url"]).status_code == 200
    for item in items:
        assert client.get(item["url"]).status_code == 200, item
    _, general = home_of("secretary_general")
    assert all(not item["label"].startswith("待") for item in general)  # the plenary leave only


def test_a_deputy_home_shows_this_years_progress_on_every_threshold_rule(seeded, db):
    client = Client()
    client.force_login(get_user_model().objects.get(username="dongsi_deputy"))
    progress = client.get(reverse("home")).context["progress"]
    assert len(progress["rules"]) == 7
    assert all(row["finding"].required >= 1 for row in progress["rules"])


def test_seed_demo_fills_the_standing_committee_s_inbox(seeded, db):
    leader = get_user_model().objects.get(username="sc_leader")
    subjects = list(Notification.objects.filter(recipient=leader, reason=NotificationReason.FINDING_ACTION)
                    .values_list("subject", flat=True))
    assert any("韩德明" in s and "资格终止" in s for s in subjects)
    assert any("何桂英" in s and "劝辞" in s for s in subjects)
    assert "今日提醒" in seeded.output
    client = Client()
    client.force_login(leader)
    inbox = client.get(reverse("oversight:notification_inbox")).content.decode()
    assert "没有消息" not in inbox and "韩德明" in inbox
    # The director hears of his talks; the staff of the registrations waiting.
    director = get_user_model().objects.get(username="dongsi_director")
    assert Notification.objects.filter(recipient=director, reason=NotificationReason.FINDING_ACTION).count() == 3
    staff = get_user_model().objects.get(username="dongsi_staff")
    assert Notification.objects.filter(recipient=staff, reason=NotificationReason.APPROVALS_WAITING).exists()


def test_seed_demo_again_sends_no_reminder_twice(seeded, db):
    before = Notification.objects.count()
    call_command("seed_demo", stdout=StringIO())
    assert Notification.objects.count() == before


# --- receptions: A10.6 in the demo (dutyadmin/demo_receptions.py), read as of the demo's day ---------------


def test_the_demo_receptions_owe_dongsi_a_recommendation_and_the_office_a_short_year(seeded, db):
    users = get_user_model().objects
    term = Term.objects.get(number=demo.TERM_NUMBER)
    ctx = lambda name: TodoContext(user=users.get(username=name), scope=scope_for(users.get(username=name)),  # noqa: E731
                                   term=term, today=demo.DEMO_TODAY)
    owed = reception_recommendations_owed(ctx("dongsi_staff"))
    assert [(i.label, i.count) for i in owed] == [("主任会议成员接待代表活动待推荐代表", 1)]
    assert "2026年12月10日" in owed[0].detail
    short = [(i.label, i.count) for i in office_checks_to_fix(ctx("liaison")) if "接待" in i.label]
    assert short == [("数据检查:主任会议成员接待代表不足7次", 1)]  # 2025: 6
    page = reception_year_page(user=users.get(username="liaison"), term=term, year=2026, as_of=demo.DEMO_TODAY)
    assert (page.summary.held, page.summary.planned, page.summary.status) == (6, 7, "behind")
    october = next(r for r in page.rows if r.reception.date.month == 10)
    assert sorted(s.name for s in october.missing) == sorted(["朝阳门", "景山", "天坛"])
    assert all(r.recommendations[0].history.count() == 1 for r in page.rows if r.recommendations)
