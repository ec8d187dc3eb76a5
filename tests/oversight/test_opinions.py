"""Constituents' opinions (RULES.md "Suggestions and constituents' opinions"; DESIGN.md `opinions/`): the steps,
the phone's masking and read log, the due date, scope, API, statistics, export, 待办, reminders, pages."""
from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from dutyadmin.exporters import registry, render_xlsx
from oversight.models import Notification, Opinion, OpinionEvent, OpinionPhoneRead
from oversight.opinions import selectors
from oversight.opinions.models import mask_phone
from oversight.rules import clocks
from oversight.todo import TodoContext, opinions_to_follow
from oversight.notifications.services import opinion_reminders_send
from dutyadmin.scope import scope_for

from .opinion_fixtures import PHONE, D, close, forward, record, reply

pytestmark = pytest.mark.django_db
URL = "/api/v1/opinions/"
MASKED = "138****1234"


def api(user) -> APIClient:
    c = APIClient()
    c.force_authenticate(user)
    return c


# --- the state machine ---------------------------------------------------------------------------------


def test_an_opinion_goes_received_forwarded_replied_closed_with_an_event_and_history_per_step(op):
    o = record(op)
    assert o.status == "received" and o.received_on == op.reception.date and o.street_committee == op.street_a
    o = forward(op, o)
    assert (o.status, o.forwarded_to, o.forwarded_on) == ("forwarded", op.road, D(2025, 3, 5))
    o = reply(op, o)
    assert (o.status, o.replied_on) == ("replied", D(2025, 3, 20)) and o.replied_on_time is True
    o = close(op, o)
    assert (o.status, o.fed_back_on, o.close_note) == ("closed", D(2025, 3, 25), "已电话告知。")
    steps = list(OpinionEvent.objects.filter(opinion=o).values_list("action", "before_status", "after_status", "actor__username"))
    assert steps == [("record", "", "received", "staff_a"), ("forward", "received", "forwarded", "staff_a"),
                     ("reply", "forwarded", "replied", "road"), ("close", "replied", "closed", "staff_a")]
    history = list(o.history.order_by("history_date").values_list("status", "history_user__username"))
    assert history == [("received", "staff_a"), ("forwarded", "staff_a"), ("replied", "road"), ("closed", "staff_a")]


def test_the_reply_is_due_per_the_clock_with_the_site_setting(op):
    o = forward(op, record(op), on=D(2025, 9, 1))
    assert o.reply_due == clocks.opinion_reply_due(D(2025, 9, 1), days=30) == D(2025, 10, 9)
    with override_settings(OPINION_REPLY_DAYS=10):
        o2 = forward(op, record(op), on=D(2025, 3, 5))
    assert o2.reply_due == clocks.opinion_reply_due(D(2025, 3, 5), days=10) == D(2025, 3, 17)  # 15th a Saturday


def test_overdue_is_a_forwarded_opinion_past_its_due_date(op):
    o = forward(op, record(op), on=D(2025, 3, 5))  # due 2025-04-07 (清明 moves it)
    assert not o.overdue_on(o.reply_due)
    assert o.overdue_on(o.reply_due + dt.timedelta(days=1))
    assert Opinion.objects.filter(selectors.overdue_q(o.reply_due + dt.timedelta(days=1))).count() == 1
    o = reply(op, o, on=D(2025, 4, 10))
    assert not o.overdue_on(D(2025, 5, 1)) and o.replied_on_time is False


@pytest.mark.parametrize("step", ["reply", "close"])
def test_a_step_in_the_wrong_state_is_refused_in_chinese_and_changes_nothing(op, step):
    o = record(op)
    with pytest.raises(ValidationError) as exc:
        reply(op, o, by=op.office) if step == "reply" else close(op, o)
    assert "当前为“已收集”" in str(exc.value)
    o.refresh_from_db()
    assert o.status == "received" and o.events.count() == 1


def test_wrong_roles_are_refused(op):
    o = record(op)
    with pytest.raises(PermissionDenied):
        forward(op, o, by=op.staff_b)
    with pytest.raises(PermissionDenied):
        record(op, by=op.staff_b)
    o = forward(op, o)
    with pytest.raises(PermissionDenied):
        reply(op, o, by=op.so_user)  # forwarded to another unit
    reply(op, o, by=op.office)  # the office on the unit's behalf


def test_a_street_office_is_a_unit_that_replies(op):
    o = reply(op, forward(op, record(op), unit=op.street_office), by=op.so_user)
    assert o.status == "replied"


def test_dates_are_checked(op):
    o = record(op)
    with pytest.raises(ValidationError) as exc:
        forward(op, o, on=D(2025, 3, 1))
    assert "不能早于收集日期" in str(exc.value)
    with pytest.raises(ValidationError):
        record(op, received_on=D(2025, 3, 9))  # not the reception's day


# --- the phone: masked, unmasked only for the street's staff, reads logged ------------------------------


def test_mask_phone():
    assert mask_phone(PHONE) == MASKED and mask_phone("") == ""


@pytest.mark.parametrize("who, unmasked", [
    ("staff_a", True), ("director_a", True), ("staff_b", False), ("office", False), ("road_user", False),
    ("zhang_user", False), ("admin", False),
])
def test_the_phone_is_masked_except_to_the_streets_staff_and_each_unmasked_read_is_logged(op, who, unmasked):
    o = forward(op, record(op))
    user = getattr(op, who)
    shown = selectors.opinion_phone_for(user=user, opinion=o, via="test")
    assert shown == (PHONE if unmasked else MASKED)
    reads = list(OpinionPhoneRead.objects.filter(opinion=o).values_list("user__username", "via"))
    assert reads == ([(user.username, "test")] if unmasked else [])


def test_the_detail_page_shows_the_phone_by_role_and_logs_the_read(op, client):
    o = forward(op, record(op))
    client.force_login(op.staff_a)
    page = client.get(f"/opinions/{o.pk}/").content.decode()
    assert PHONE in page
    assert OpinionPhoneRead.objects.filter(opinion=o, user=op.staff_a, via="detail_page").count() == 1
    for user in (op.road_user, op.office, op.zhang_user):
        client.force_login(user)
        page = client.get(f"/opinions/{o.pk}/").content.decode()
        assert MASKED in page and PHONE not in page
    assert OpinionPhoneRead.objects.count() == 1


@pytest.mark.parametrize("who", ["staff_a", "office", "road_user", "zhang_user"])
def test_the_api_never_returns_the_phone(op, who):
    o = forward(op, record(op))
    for answer in (api(getattr(op, who)).get(URL), api(getattr(op, who)).get(f"{URL}{o.pk}/")):
        assert answer.status_code == 200
        assert PHONE not in answer.content.decode() and MASKED in answer.content.decode()


def test_the_export_never_has_a_phone_column_or_number(op):
    o = forward(op, record(op))
    exporter = registry.get("opinions")(user=op.staff_a, params={}, today=D(2025, 6, 1))
    assert exporter.is_valid(), exporter.errors()
    out = io.BytesIO()
    render_xlsx(exporter, out)
    book = openpyxl.load_workbook(io.BytesIO(out.getvalue()))
    cells = [str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert o.content in cells
    assert not any(PHONE in c or MASKED in c or "电话" in c for c in cells)


# --- scope --------------------------------------------------------------------------------------------


def test_scope_a_unit_sees_only_what_was_forwarded_to_it(op):
    mine = forward(op, record(op))
    other = forward(op, record(op, content="另一条"), unit=op.street_office)
    waiting = record(op, content="尚未转办")
    b = record(op, by=op.staff_b, reception=None, street_committee=op.street_b, deputies=[op.wang], content="朝阳门")
    seen = lambda user: set(selectors.opinion_list(user=user).values_list("pk", flat=True))  # noqa: E731
    assert seen(op.road_user) == {mine.pk}
    assert seen(op.so_user) == {other.pk}
    assert seen(op.staff_a) == {mine.pk, other.pk, waiting.pk}
    assert seen(op.staff_b) == {b.pk}
    assert seen(op.office) == {mine.pk, other.pk, waiting.pk, b.pk}
    assert seen(op.zhang_user) == {mine.pk, other.pk, waiting.pk}
    assert seen(op.wang_user) == {b.pk}
    assert api(op.road_user).get(f"{URL}{other.pk}/").status_code == 404


# --- API --------------------------------------------------------------------------------------------

CONTRACT = {"received_on", "reception", "deputies", "street_committee", "content", "citizen_name", "status",
            "forwarded_to", "forwarded_on", "reply_due", "replied_on", "fed_back_on"}


def test_api_record_forward_reply_close_with_the_contracts_fields(op):
    answer = api(op.staff_a).post(URL, {"reception": op.reception.pk, "deputies": [op.zhang.pk, op.li.pk],
                                        "content": "希望增设健身器材。", "citizen_name": "钱女士",
                                        "citizen_phone": "13900001111"}, format="json")
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert CONTRACT <= set(body) and "citizen_phone" not in body and body["citizen_phone_masked"] == "139****1111"
    assert body["street_committee"] == op.street_a.pk and body["status"] == "received"
    pk = body["id"]
    answer = api(op.staff_a).post(f"{URL}{pk}/forward/", {"unit": op.road.pk, "date": "2025-03-05"}, format="json")
    # 30 days end on 2025-04-04, 清明 (a rest day to 04-06): due the next working day
    assert answer.status_code == 200 and answer.json()["reply_due"] == "2025-04-07"
    answer = api(op.road_user).post(f"{URL}{pk}/reply/", {"date": "2025-03-10", "text": "已安排。"}, format="json")
    assert answer.json()["status"] == "replied"
    answer = api(op.staff_a).post(f"{URL}{pk}/close/", {"date": "2025-03-12", "note": "已告知"}, format="json")
    assert answer.json()["status"] == "closed" and answer.json()["fed_back_on"] == "2025-03-12"


def test_api_400s_and_403s_in_chinese(op):
    o = record(op)
    bad = api(op.staff_a).post(f"{URL}{o.pk}/reply/", {"date": "2025-03-10", "text": "x"}, format="json")
    assert bad.status_code == 403
    bad = api(op.office).post(f"{URL}{o.pk}/reply/", {"date": "2025-03-10", "text": "x"}, format="json")
    assert bad.status_code == 409 and "已收集" in bad.content.decode()  # the state: a conflict (issue 17)
    bad = api(op.staff_a).post(f"{URL}{o.pk}/forward/", {"date": "2025-03-10"}, format="json")
    assert bad.status_code == 400 and "unit" in bad.json()
    bad = api(op.staff_a).post(URL, {"content": "", "street_committee": op.street_a.pk}, format="json")
    assert bad.status_code == 400
    assert api(op.staff_b).post(f"{URL}{o.pk}/forward/", {"unit": op.road.pk, "date": "2025-03-05"},
                                format="json").status_code == 404
    o.refresh_from_db()
    assert o.status == "received"


# --- statistics, 待办, reminders -------------------------------------------------------------------------


def test_statistics_per_street_and_station(op):
    close(op, reply(op, forward(op, record(op))))  # answered on time, closed
    reply(op, forward(op, record(op)), on=D(2025, 4, 30))  # answered late
    forward(op, record(op))  # forwarded, overdue on 2025-06-01
    record(op)  # taken only
    record(op, by=op.staff_b, reception=None, street_committee=op.street_b, content="朝阳门", received_on=D(2025, 5, 1))
    stats = selectors.opinion_statistics(user=op.office, today=D(2025, 6, 1), year=2025)
    streets = {name: f for name, f in stats.streets}
    a = streets["东四"]
    assert (a.taken, a.forwarded, a.replied, a.on_time, a.overdue, a.closed) == (4, 3, 2, 1, 1, 1)
    assert streets["朝阳门"].taken == 1 and stats.total.taken == 5
    stations = {(s, st): f.taken for s, st, f in stats.stations}
    assert stations == {("东四", "东四代表之家"): 4, ("朝阳门", "走访等其他途径"): 1}
    assert selectors.opinion_statistics(user=op.staff_b, today=D(2025, 6, 1), year=2025).total.taken == 1


def _todo(user, today):
    return {i.label: i.count for i in opinions_to_follow(TodoContext(user=user, scope=scope_for(user), term=None,
                                                                     today=today))}


def test_todo_lines_for_street_unit_and_office(op):
    forward(op, record(op), on=D(2025, 3, 5))  # due 2025-04-07 (清明 moves it)
    forward(op, record(op), on=D(2025, 3, 20), unit=op.street_office)  # due 2025-04-21 (19th a Saturday)
    today = D(2025, 4, 10)
    assert _todo(op.road_user, today) == {"群众意见逾期未答复": 1, "群众意见15天内到期，待答复": 0}
    assert _todo(op.so_user, today) == {"群众意见逾期未答复": 0, "群众意见15天内到期，待答复": 1}
    assert _todo(op.staff_a, today) == {"群众意见逾期未答复": 1, "群众意见15天内到期，待答复": 1}
    assert _todo(op.office, today) == {"群众意见逾期未答复（全区）": 1}
    assert _todo(op.staff_b, today) == {"群众意见逾期未答复": 0, "群众意见15天内到期，待答复": 0}


def test_reminders_go_out_once_to_the_unit_and_overdue_copies_to_street_and_office(op, django_capture_on_commit_callbacks):
    o = forward(op, record(op), on=D(2025, 3, 5))  # due 2025-04-07 (04-04 is 清明)
    assert opinion_reminders_send(today=D(2025, 3, 24)) == 1  # due soon, the unit only
    assert opinion_reminders_send(today=D(2025, 3, 24)) == 0  # once
    assert opinion_reminders_send(today=D(2025, 4, 8)) == 3  # overdue: unit + street staff + office
    assert opinion_reminders_send(today=D(2025, 4, 9)) == 0  # same week
    rows = Notification.objects.filter(object_key=f"opinion:{o.pk}")
    assert set(rows.values_list("recipient__username", flat=True)) == {"road", "staff_a", "office"}
    assert not any(PHONE in n.body for n in rows)


# --- pages -----------------------------------------------------------------------------------------------


def test_recording_several_opinions_at_a_reception(op, client):
    client.force_login(op.staff_a)
    page = client.get(f"/activities/{op.reception.pk}/")
    assert f"/opinions/receptions/{op.reception.pk}/" in page.content.decode()
    for text in ("第一条意见", "第二条意见"):
        answer = client.post(f"/opinions/receptions/{op.reception.pk}/", {
            "content": text, "deputies": [op.zhang.pk], "citizen_name": "孙先生", "citizen_phone": "13512345678"})
        assert answer.status_code == 302
    assert Opinion.objects.filter(reception=op.reception).count() == 2
    bad = client.post(f"/opinions/receptions/{op.reception.pk}/", {"content": ""})
    assert bad.status_code == 400 and Opinion.objects.count() == 2
    client.force_login(op.staff_b)
    assert client.post(f"/opinions/receptions/{op.reception.pk}/", {"content": "x"}).status_code in (403, 404)


def test_detail_page_steps(op, client):
    o = record(op)
    client.force_login(op.staff_a)
    assert client.post(f"/opinions/{o.pk}/forward/", {"unit": op.road.pk, "date": "2025-03-05"}).status_code == 302
    client.force_login(op.road_user)
    bad = client.post(f"/opinions/{o.pk}/reply/", {"date": "2025-03-04", "text": "已办"})
    assert bad.status_code == 400 and "不能早于转办日期" in bad.content.decode()
    assert client.post(f"/opinions/{o.pk}/reply/", {"date": "2025-03-06", "text": "已办"}).status_code == 302
    o.refresh_from_db()
    assert o.status == "replied"


def test_list_page_scope_filters_and_query_pin(op, client, django_assert_max_num_queries):
    for i in range(15):
        forward(op, record(op, content=f"意见{i}", deputies=[op.zhang, op.li]))
    record(op, by=op.staff_b, reception=None, street_committee=op.street_b, content="朝阳门的意见")
    client.force_login(op.road_user)
    with django_assert_max_num_queries(20):
        page = client.get("/opinions/").content.decode()
    assert "朝阳门的意见" not in page and "意见3" in page and PHONE not in page
    client.force_login(op.staff_b)
    page = client.get("/opinions/").content.decode()
    assert "朝阳门的意见" in page and "意见3" not in page
    client.force_login(op.office)
    assert "朝阳门的意见" not in client.get("/opinions/", {"status": "forwarded"}).content.decode()
    assert client.get("/opinions/statistics/").status_code == 200
    client.force_login(op.road_user)
    assert client.get("/opinions/statistics/").status_code == 403


def test_the_phone_is_not_copied_into_history(op):
    o = forward(op, record(op))
    assert not hasattr(o.history.first(), "citizen_phone")


def test_api_list_queries_do_not_grow_with_rows(op):
    forward(op, record(op, deputies=[op.zhang, op.li]))
    api(op.office).get(URL)  # the user's roles and scope are read once, then cached
    with CaptureQueriesContext(connection) as few:
        assert api(op.office).get(URL).status_code == 200
    for i in range(12):
        forward(op, record(op, content=f"意见{i}", deputies=[op.zhang, op.li]))
    with CaptureQueriesContext(connection) as many:
        assert api(op.office).get(URL).status_code == 200
    assert len(many) == len(few), [q["sql"][:120] for q in many.captured_queries]


def test_detail_pages_and_export_follow_the_scope(op, client):
    mine = forward(op, record(op, content="转给交通委的意见"))
    other = forward(op, record(op, content="转给街道办的意见"), unit=op.street_office)
    client.force_login(op.road_user)
    assert client.get(f"/opinions/{mine.pk}/").status_code == 200
    assert client.get(f"/opinions/{other.pk}/").status_code == 404
    assert client.post(f"/opinions/{other.pk}/reply/", {"date": "2025-03-06", "text": "x"}).status_code == 404
    client.force_login(op.staff_b)
    assert client.get(f"/opinions/{mine.pk}/").status_code == 404
    exporter = registry.get("opinions")(user=op.road_user, params={}, today=D(2025, 6, 1))
    assert exporter.is_valid(), exporter.errors()
    assert [o.pk for o in exporter.filtered()] == [mine.pk]
