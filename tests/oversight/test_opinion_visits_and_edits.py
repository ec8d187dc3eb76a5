"""Issue 14 gaps (gaps14b): an opinion taken at a visit, correcting and deleting an opinion (history kept, the phone
kept out of it), the list's states in words, the 待办 lines of what the office and the street still owe, the
reminders telling the office of a year the holiday calendar does not know, and the scope of the new pages."""
from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from rest_framework.test import APIClient

from dutyadmin.scope import scope_for
from oversight.models import Notification, Opinion, OpinionEvent
from oversight.notifications.services import opinion_reminders_send
from oversight.opinions import services
from oversight.opinions.selectors import FORWARD_WAIT_DAYS
from oversight.rules import clocks
from oversight.todo import TodoContext, opinions_to_move_on

from tests import factories

from .opinion_fixtures import PHONE, D, close, forward, record, reply

pytestmark = pytest.mark.django_db
VISIT = "/opinions/new/"


def api(user) -> APIClient:
    c = APIClient()
    c.force_authenticate(user)
    return c


def visit(op, *, by=None, on=D(2025, 4, 2), street=None, **kwargs):
    return services.opinion_record(user=by or op.staff_a, street_committee=street or op.street_a, received_on=on,
                                   reception=None, content=kwargs.pop("content", "胡同里垃圾清运不及时。"),
                                   deputies=kwargs.pop("deputies", [op.li]), citizen_name="钱阿姨",
                                   citizen_phone=kwargs.pop("phone", PHONE))


# --- 1. the visit page ---------------------------------------------------------------------------------------


def test_street_staff_record_an_opinion_taken_at_a_visit_with_no_reception(op, client):
    client.force_login(op.staff_a)
    page = client.get(VISIT)
    assert page.status_code == 200
    html = page.content.decode()
    assert "登记走访收集的群众意见" in html and "东四" in html and "朝阳门" not in html  # only their street
    answer = client.post(VISIT, {"received_on": "2025-04-02", "street_committee": op.street_a.pk,
                                 "deputies": [op.zhang.pk, op.li.pk], "content": "希望增加社区养老驿站。",
                                 "citizen_name": "孙先生", "citizen_phone": "135 1234 5678"})
    opinion = Opinion.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/opinions/{opinion.pk}/"
    assert opinion.reception is None and opinion.street_committee == op.street_a
    assert opinion.received_on == D(2025, 4, 2) and opinion.citizen_phone == "13512345678"
    assert set(opinion.deputies.all()) == {op.zhang, op.li}
    detail = client.get(answer["Location"]).content.decode()
    assert "走访等其他途径" in detail and "未转办" in detail


def test_the_visit_form_shows_errors_next_to_the_fields_and_saves_nothing(op, client):
    client.force_login(op.staff_a)
    answer = client.post(VISIT, {"received_on": "2099-01-01", "street_committee": op.street_a.pk, "content": ""})
    html = answer.content.decode()
    assert answer.status_code == 400 and "请填写意见内容。" in html and "has-error" in html
    answer = client.post(VISIT, {"received_on": "2099-01-01", "street_committee": op.street_a.pk, "content": "x"})
    assert answer.status_code == 400 and "晚于今天" in answer.content.decode()
    answer = client.post(VISIT, {"received_on": "2025-04-02", "street_committee": op.street_b.pk, "content": "x"})
    assert answer.status_code == 400 and "请从列表中选择街道工委。" in answer.content.decode()  # not their street
    assert not Opinion.objects.exists()


def test_the_liaison_office_records_a_visit_for_any_street(op, client):
    client.force_login(op.office)
    assert "朝阳门" in client.get(VISIT).content.decode()
    answer = client.post(VISIT, {"received_on": "2025-04-02", "street_committee": op.street_b.pk,
                                 "deputies": [op.wang.pk], "content": "公园厕所需要改造。"})
    assert answer.status_code == 302 and Opinion.objects.get().street_committee == op.street_b


@pytest.mark.parametrize("who", ["zhang_user", "road_user", "director_a"])
def test_deputies_units_and_directors_cannot_record_a_visit(op, client, who):
    client.force_login(getattr(op, who))
    assert client.get(VISIT).status_code == 403
    assert client.post(VISIT, {"received_on": "2025-04-02", "street_committee": op.street_a.pk,
                               "content": "x"}).status_code == 403
    assert not Opinion.objects.exists()


def test_the_list_offers_the_visit_form_to_those_who_record(op, client):
    client.force_login(op.staff_a)
    assert VISIT in client.get("/opinions/").content.decode()
    client.force_login(op.road_user)
    assert VISIT not in client.get("/opinions/").content.decode()


# --- 2. edit and delete --------------------------------------------------------------------------------------


def test_street_staff_correct_an_opinion_with_an_event_and_history_without_the_phone(op):
    o = visit(op)
    o = services.opinion_update(user=op.staff_a, opinion=o, content="胡同里垃圾清运不及时，夏天有异味。",
                                received_on=D(2025, 4, 1), deputies=[op.zhang], citizen_name="钱阿姨",
                                citizen_phone="13900001111")
    o.refresh_from_db()
    assert (o.content, o.received_on, o.citizen_phone) == ("胡同里垃圾清运不及时，夏天有异味。", D(2025, 4, 1), "13900001111")
    assert list(o.deputies.all()) == [op.zhang]
    event = OpinionEvent.objects.filter(opinion=o, action="edit").get()
    assert event.actor == op.staff_a and "意见内容" in event.note and "联系电话" in event.note
    assert [h.content for h in o.history.order_by("history_date")][-1] == o.content
    assert not hasattr(o.history.model, "citizen_phone") and "13900001111" not in event.note
    # a blank phone keeps the number
    services.opinion_update(user=op.staff_a, opinion=o, content=o.content, deputies=[op.zhang], citizen_phone="")
    o.refresh_from_db()
    assert o.citizen_phone == "13900001111"


def test_an_opinion_can_be_corrected_until_it_is_closed(op):
    o = reply(op, forward(op, record(op)))
    services.opinion_update(user=op.office, opinion=o, content="改正后的内容", deputies=[op.zhang])
    o = close(op, o)
    with pytest.raises(ValidationError, match="已反馈办结，不能再修改"):
        services.opinion_update(user=op.staff_a, opinion=o, content="再改", deputies=[op.zhang])
    o.refresh_from_db()
    assert o.content == "改正后的内容"


def test_a_receptions_opinion_keeps_the_receptions_date_and_a_date_after_forwarding_is_refused(op):
    o = record(op)
    with pytest.raises(ValidationError, match="收集日期应为接待活动的日期"):
        services.opinion_update(user=op.staff_a, opinion=o, content=o.content, received_on=D(2025, 3, 1))
    v = forward(op, visit(op, on=D(2025, 3, 1)), on=D(2025, 3, 5))
    with pytest.raises(ValidationError, match="不能晚于转办日期"):
        services.opinion_update(user=op.staff_a, opinion=v, content=v.content, received_on=D(2025, 3, 6))


@pytest.mark.parametrize("who", ["staff_b", "road_user", "zhang_user", "director_a"])
def test_only_the_streets_staff_and_the_office_correct_or_delete(op, who):
    o = forward(op, record(op), unit=op.road)
    fresh = record(op)
    with pytest.raises(PermissionDenied):
        services.opinion_update(user=getattr(op, who), opinion=o, content="x")
    with pytest.raises(PermissionDenied):
        services.opinion_delete(user=getattr(op, who), opinion=fresh)
    assert Opinion.objects.count() == 2


def test_an_opinion_is_deleted_only_while_received_and_its_history_keeps_it(op):
    o = forward(op, record(op))
    with pytest.raises(ValidationError, match="只有尚未转办的意见可以删除"):
        services.opinion_delete(user=op.staff_a, opinion=o)
    fresh = visit(op)
    services.opinion_delete(user=op.office, opinion=fresh)
    assert not Opinion.objects.filter(pk=fresh.pk).exists() and Opinion.objects.filter(pk=o.pk).exists()
    gone = Opinion.history.filter(id=fresh.pk).order_by("history_date").last()
    assert gone.history_type == "-" and gone.history_user == op.office and gone.content == fresh.content


def test_the_edit_and_delete_pages(op, client):
    o = visit(op)
    client.force_login(op.staff_a)
    detail = client.get(f"/opinions/{o.pk}/").content.decode()
    assert f"/opinions/{o.pk}/edit/" in detail and f"/opinions/{o.pk}/delete/" in detail
    edit = client.get(f"/opinions/{o.pk}/edit/")
    assert edit.status_code == 200 and "胡同里垃圾清运不及时。" in edit.content.decode()
    assert PHONE not in edit.content.decode()  # never put back into a form
    bad = client.post(f"/opinions/{o.pk}/edit/", {"received_on": "2025-04-02", "content": ""})
    assert bad.status_code == 400 and "请填写意见内容。" in bad.content.decode()
    ok = client.post(f"/opinions/{o.pk}/edit/", {"received_on": "2025-04-02", "content": "改过的意见",
                                                 "deputies": [op.zhang.pk], "citizen_name": "钱阿姨"})
    assert ok.status_code == 302
    o.refresh_from_db()
    assert o.content == "改过的意见" and o.citizen_phone == PHONE
    assert "确定要删除" in client.get(f"/opinions/{o.pk}/delete/").content.decode()
    assert client.post(f"/opinions/{o.pk}/delete/").status_code == 302
    assert not Opinion.objects.filter(pk=o.pk).exists()


def test_a_forwarded_opinion_has_no_delete_and_its_delete_page_says_why(op, client):
    o = forward(op, record(op))
    client.force_login(op.staff_a)
    detail = client.get(f"/opinions/{o.pk}/").content.decode()
    assert f"/opinions/{o.pk}/edit/" in detail and f"/opinions/{o.pk}/delete/" not in detail
    answer = client.post(f"/opinions/{o.pk}/delete/")
    assert answer.status_code == 400 and "只有尚未转办的意见可以删除" in answer.content.decode()
    assert Opinion.objects.filter(pk=o.pk).exists()


def test_pages_of_another_streets_or_a_units_opinion(op, client):
    o = forward(op, record(op), unit=op.road)
    other = record(op)
    client.force_login(op.staff_b)  # not in view: 404
    assert client.get(f"/opinions/{o.pk}/edit/").status_code == 404
    assert client.post(f"/opinions/{other.pk}/delete/").status_code == 404
    client.force_login(op.road_user)  # sees what was forwarded to it, may not change it
    assert client.get(f"/opinions/{o.pk}/edit/").status_code == 403
    assert client.get(f"/opinions/{other.pk}/edit/").status_code == 404
    client.force_login(op.so_user)  # a unit sees only what was forwarded to it
    assert client.get(f"/opinions/{o.pk}/").status_code == 404


def test_the_api_patches_until_closed_and_deletes_only_received(op):
    o = forward(op, record(op))
    office = api(op.office)
    answer = office.patch(f"/api/v1/opinions/{o.pk}/", {"content": "API 改正", "citizen_phone": "13700000000"},
                          format="json")
    assert answer.status_code == 200 and answer.json()["content"] == "API 改正"
    assert answer.json()["citizen_phone_masked"] == "137****0000" and "citizen_phone" not in answer.json()
    moved = office.patch(f"/api/v1/opinions/{o.pk}/", {"street_committee": op.street_b.pk}, format="json")
    assert moved.status_code == 400 and "不能修改" in moved.json()["street_committee"][0]
    assert office.delete(f"/api/v1/opinions/{o.pk}/").status_code == 400
    fresh = visit(op)
    assert api(op.road_user).delete(f"/api/v1/opinions/{fresh.pk}/").status_code == 404  # not forwarded to it
    assert api(op.road_user).patch(f"/api/v1/opinions/{o.pk}/", {"content": "x"}, format="json").status_code == 403
    assert api(op.staff_a).delete(f"/api/v1/opinions/{fresh.pk}/").status_code == 204
    assert api(op.staff_a).put(f"/api/v1/opinions/{o.pk}/", {}, format="json").status_code == 405


# --- 3. the list in words --------------------------------------------------------------------------------


def test_the_list_says_what_each_state_means_instead_of_dashes(op, client):
    visit(op, content="还没转办的意见")
    forward(op, visit(op, content="转办了的意见"), on=D(2025, 4, 3))
    reply(op, forward(op, visit(op, content="已答复的意见"), on=D(2025, 4, 3)), on=D(2025, 4, 10))
    close(op, reply(op, forward(op, visit(op, content="已办结的意见"), on=D(2025, 4, 3)), on=D(2025, 4, 10)),
          on=D(2025, 4, 12))
    client.force_login(op.staff_a)
    html = client.get("/opinions/").content.decode()
    assert "未转办" in html and "转办后起算" in html
    assert "2025年4月10日已答复" in html and "2025年4月12日已反馈" in html


# --- 4. 待办: not forwarded for more than N days, replies not fed back -----------------------------------


def _todo(user, today):
    return {i.label: i.count for i in opinions_to_move_on(TodoContext(user=user, scope=scope_for(user), term=None,
                                                                      today=today))}


def test_todo_lines_for_opinions_waiting_to_be_forwarded_and_fed_back(op):
    assert FORWARD_WAIT_DAYS == 7
    visit(op, on=D(2025, 4, 1))  # 8 days by 4-9: late
    visit(op, on=D(2025, 4, 2))  # 7 days: not yet
    visit(op, street=op.street_b, by=op.staff_b, deputies=[op.wang], on=D(2025, 3, 1))
    reply(op, forward(op, visit(op, on=D(2025, 3, 1)), on=D(2025, 3, 2)), on=D(2025, 3, 10))
    today = D(2025, 4, 9)
    assert _todo(op.staff_a, today) == {"群众意见收集超过7天未转办": 1, "群众意见已答复，待向群众反馈": 1}
    assert _todo(op.staff_b, today) == {"群众意见收集超过7天未转办": 1, "群众意见已答复，待向群众反馈": 0}
    assert _todo(op.office, today) == {"群众意见收集超过7天未转办（全区）": 2, "群众意见已答复，待向群众反馈（全区）": 1}
    assert _todo(op.road_user, today) == {} and _todo(op.zhang_user, today) == {}


def test_the_todo_links_list_what_it_counts(op, client):
    visit(op, on=D(2025, 4, 1))
    visit(op, on=timezone_today())
    client.force_login(op.staff_a)
    [line] = [i for i in opinions_to_move_on(TodoContext(user=op.staff_a, scope=scope_for(op.staff_a), term=None,
                                                         today=timezone_today())) if "未转办" in i.label]
    assert line.url == "/opinions/?unforwarded=true"
    page = client.get(line.url).content.decode()
    assert "共 <b>1</b> 条" in page


def timezone_today() -> dt.date:
    return timezone.localdate()


# --- 5. a year the holiday calendar does not know --------------------------------------------------------------


def test_an_unknown_year_skips_the_opinion_reminder_and_tells_the_office_once(op, monkeypatch):
    package = clocks.PACKAGE_CALENDAR
    monkeypatch.setattr(clocks, "PACKAGE_CALENDAR", clocks.Calendar(package.holidays, package.workdays,
                                                                    tuple(range(2004, 2027))))
    o = forward(op, visit(op, on=D(2026, 11, 1)), on=D(2026, 11, 2))
    assert o.reply_due == D(2026, 12, 2)
    assert opinion_reminders_send(today=D(2027, 1, 4)) == 1  # the office's notice, no reminder
    assert opinion_reminders_send(today=D(2027, 1, 5)) == 0  # once per year
    [notice] = Notification.objects.filter(reason="calendar_outdated")
    assert notice.recipient == op.office and notice.subject == "节假日日历需要更新（2027年）"
    assert "以下群众意见的办理提醒暂停发送" in notice.body and PHONE not in notice.body
    assert not Notification.objects.filter(object_key=f"opinion:{o.pk}").exists()


# --- the new pages' role × page matrix (a received opinion of 东四 heard by 张东) --------------------------------

ROLES = ("office", "admin", "staff_a", "staff_b", "director_a", "zhang_user", "wang_user", "road_user", "so_user",
         "sc_member")
MATRIX = {  # status per role, in ROLES' order
    "/opinions/": (200, 200, 200, 200, 200, 200, 200, 200, 200, 403),
    "/opinions/new/": (200, 200, 200, 200, 403, 403, 403, 403, 403, 403),
    "/opinions/{}/edit/": (200, 200, 200, 404, 403, 403, 404, 404, 404, 404),
    "/opinions/{}/delete/": (200, 200, 200, 404, 403, 403, 404, 404, 404, 404),
}


@pytest.mark.parametrize("path", list(MATRIX))
def test_who_opens_the_new_opinion_pages(op, client, path):
    o = record(op)
    op.sc_member = factories.make_user("sc_member", username="scm")
    got = []
    for who in ROLES:
        client.force_login(getattr(op, who))
        got.append(client.get(path.format(o.pk)).status_code)
    assert tuple(got) == MATRIX[path]
