"""The liaison office's suggestion pages (work list, bulk assignment, bulk close, handling units) and the handling
unit's 待办建议: what each user sees, what one submit does, and what a refusal leaves unchanged."""
from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from deputies.models import HandlingUnit
from dutyadmin.navigation import menu_for
from dutyadmin.scope import scope_for
from oversight.models import Suggestion
from oversight.suggestions import views_office
from oversight.suggestions.choices import SuggestionStatus as S
from tests import factories

from .suggestion_fixtures import D, assign, evaluate, reply, submit  # sw: tests/oversight/conftest.py

pytestmark = pytest.mark.django_db

TODAY = D(2024, 6, 12)


@pytest.fixture(autouse=True)
def today(monkeypatch):
    """The district's day for every page and service of these tests (set_today changes it)."""
    state = {"day": TODAY}
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: state["day"])

    def set_today(day: dt.date) -> None:
        state["day"] = day

    return set_today


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def five(sw):
    """late: zhang's, road leads (court co-unit), assigned 2024-03-07, due 2024-06-07 (overdue on TODAY);
    soon: wang's (street B), court leads, assigned 2024-03-20, due within 15 days; fresh: li's, not assigned;
    closed_period: li's, made outside a session, not assigned; quiet: zhang's, road replied 2024-05-06 and the
    feedback deadline passed without an evaluation (代表未反馈)."""
    late = assign(sw, submit(sw), co_units=[sw.court], on=D(2024, 3, 7))
    soon = assign(sw, submit(sw, by=sw.staff_b, deputy=sw.wang, title="关于学校周边交通的建议"), unit=sw.court,
                  on=D(2024, 3, 20))
    fresh = submit(sw, deputy=sw.li, title="关于老旧小区加装电梯的建议")
    closed_period = submit(sw, deputy=sw.li, title="关于社区养老服务的建议", session=None, on=D(2024, 2, 1))
    quiet = assign(sw, submit(sw, title="关于垃圾分类的建议"), on=D(2024, 3, 7))
    quiet = reply(sw, quiet, on=D(2024, 5, 6))
    return {"late": late, "soon": soon, "fresh": fresh, "closed_period": closed_period, "quiet": quiet}


def titles(response) -> list[str]:
    return [s.title for s in response.context["page"].object_list]


# --- the work list -------------------------------------------------------------------------------------------


def test_the_office_sees_every_suggestion_with_its_unit_days_late_and_status(sw, five):
    response = client_for(sw.office).get(reverse("suggestions:list"))
    assert response.status_code == 200
    assert set(titles(response)) == {s.title for s in five.values()}
    html = response.content.decode()
    assert five["late"].due_date == D(2024, 6, 7)
    assert "逾期5天" in html  # 2024-06-07 → 2024-06-12
    assert "协办：区法院" in html
    assert "代表未反馈" in html
    assert "2024年6月7日" in html
    assert "闭会期间" in html


def test_the_list_offers_the_office_bulk_assignment_and_close_with_their_counts(sw, five):
    html = client_for(sw.office).get(reverse("suggestions:list")).content.decode()
    assert "待交办 2 条" in html
    assert "代表未反馈 1 条" in html
    assert reverse("suggestions:assign_bulk") in html and reverse("suggestions:close_bulk") in html


@pytest.mark.parametrize("query, expected", [
    ({"status": "submitted"}, {"fresh", "closed_period"}),
    ({"status": "replied"}, {"quiet"}),
    ({"clock": "overdue"}, {"late"}),
    ({"clock": "due_soon"}, {"soon"}),
    ({"clock": "feedback_missing"}, {"quiet"}),
    ({"session": "closed"}, {"closed_period"}),
    ({"q": "电梯"}, {"fresh"}),
    ({"q": "王南"}, {"soon"}),
    ({"q": "李西 养老"}, {"closed_period"}),
])
def test_the_filters_and_the_search_narrow_the_list(sw, five, query, expected):
    response = client_for(sw.office).get(reverse("suggestions:list"), query)
    assert set(titles(response)) == {five[name].title for name in expected}


def test_the_session_and_lead_unit_filters(sw, five):
    other = factories.CongressSessionFactory(term=sw.term, number=4, start_date=D(2024, 5, 1), end_date=D(2024, 5, 3))
    client = client_for(sw.office)
    by_session = client.get(reverse("suggestions:list"), {"session": sw.session.pk})
    assert set(titles(by_session)) == {five[n].title for n in ("late", "soon", "fresh", "quiet")}
    assert titles(client.get(reverse("suggestions:list"), {"session": other.pk})) == []
    by_unit = client.get(reverse("suggestions:list"), {"lead_unit": sw.court.pk})
    assert titles(by_unit) == [five["soon"].title]  # the lead unit only: court co-handles "late"


def test_a_bad_filter_value_is_named_and_ignored_not_a_500(sw, five):
    response = client_for(sw.office).get(reverse("suggestions:list"), {"clock": "someday", "status": "replied"})
    assert response.status_code == 200
    assert "办理期限" in " ".join(response.context["notices"])
    assert titles(response) == [five["quiet"].title]


def test_the_list_is_paginated(sw, five, monkeypatch):
    monkeypatch.setattr(views_office.SuggestionListView, "per_page", 2)
    client = client_for(sw.office)
    first = client.get(reverse("suggestions:list"))
    last = client.get(reverse("suggestions:list"), {"page": 3})
    assert len(titles(first)) == 2 and len(titles(last)) == 1
    assert set(titles(first)) | set(titles(client.get(reverse("suggestions:list"), {"page": 2}))) | set(titles(last)) \
        == {s.title for s in five.values()}
    assert "第 1 / 3 页" in first.content.decode()


def test_street_staff_see_only_their_streets_deputies_suggestions(sw, five):
    response = client_for(sw.staff_b).get(reverse("suggestions:list"))
    assert titles(response) == [five["soon"].title]
    assert "批量交办" not in response.content.decode()  # assigning is the office's


@pytest.mark.parametrize("name", ["suggestions:list", "suggestions:assign_bulk", "suggestions:close_bulk",
                                  "suggestions:units"])
def test_a_deputy_is_refused_the_office_pages(sw, five, name):
    response = client_for(sw.zhang_user).get(reverse(name))
    assert response.status_code == 403


@pytest.mark.parametrize("name", ["suggestions:assign_bulk", "suggestions:close_bulk", "suggestions:units"])
def test_street_staff_and_units_are_refused_the_office_actions(sw, name):
    assert client_for(sw.staff_a).get(reverse(name)).status_code == 403
    assert client_for(sw.road_user).get(reverse(name)).status_code == 403


def test_a_units_staff_opening_the_work_list_are_sent_to_their_own_list(sw):
    response = client_for(sw.road_user).get(reverse("suggestions:list"))
    assert response.status_code == 302 and response.url == reverse("suggestions:unit_list")


def _make_many(sw, n: int) -> None:
    for i in range(n):
        assign(sw, submit(sw, title=f"建议{i}", cosigners=[sw.li]), co_units=[sw.court, sw.office_unit])


def _count_queries(client, url, django_assert_num_queries, expected, **query):
    with django_assert_num_queries(expected):
        assert client.get(url, query).status_code == 200


LIST_QUERIES = 15


@pytest.mark.parametrize("extra", [0, 12])
def test_the_work_list_costs_a_fixed_number_of_queries(sw, five, extra, django_assert_num_queries):
    _make_many(sw, extra)
    client = client_for(sw.office)
    _count_queries(client, reverse("suggestions:list"), django_assert_num_queries, LIST_QUERIES)


# --- the handling unit's list --------------------------------------------------------------------------------


def test_a_unit_sees_only_what_is_assigned_to_it_lead_or_co_unit_marked(sw, five):
    response = client_for(sw.court_user).get(reverse("suggestions:unit_list"))
    assert response.status_code == 200
    assert titles(response) == [five["late"].title, five["soon"].title]  # overdue first, then the soonest due
    rows = {s.title: s.as_lead for s in response.context["page"].object_list}
    assert rows == {five["late"].title: False, five["soon"].title: True}
    html = response.content.decode()
    assert "主办：区交通委" in html and "逾期5天" in html and "还剩8天" in html
    road = client_for(sw.road_user).get(reverse("suggestions:unit_list"))
    assert titles(road) == [five["late"].title]  # its reply is awaited; the replied one waits for the deputy
    assert set(titles(client_for(sw.road_user).get(reverse("suggestions:unit_list"), {"show": "all"}))) == {
        five["late"].title, five["quiet"].title}


def test_a_rehandled_suggestion_is_marked_and_sorted_by_its_new_due_date(sw, five, today):
    evaluate(sw, five["quiet"], "dissatisfied", on=D(2024, 6, 11))
    response = client_for(sw.road_user).get(reverse("suggestions:unit_list"))
    assert titles(response) == [five["late"].title, five["quiet"].title]
    assert "重新办理" in response.content.decode()


def test_the_units_list_searches_and_is_refused_to_others(sw, five):
    response = client_for(sw.court_user).get(reverse("suggestions:unit_list"), {"q": "学校"})
    assert titles(response) == [five["soon"].title]
    assert client_for(sw.office).get(reverse("suggestions:unit_list")).status_code == 403
    assert client_for(sw.zhang_user).get(reverse("suggestions:unit_list")).status_code == 403


@pytest.mark.parametrize("extra", [0, 12])
def test_the_unit_list_costs_a_fixed_number_of_queries(sw, five, extra, django_assert_num_queries):
    _make_many(sw, extra)
    _count_queries(client_for(sw.court_user), reverse("suggestions:unit_list"), django_assert_num_queries, 7,
                   show="all")


# --- bulk assignment -------------------------------------------------------------------------------------------


def _assign_post(rows: list[tuple[Suggestion, HandlingUnit | None, list[HandlingUnit]]], date: str) -> dict:
    data = {"a-TOTAL_FORMS": str(len(rows)), "a-INITIAL_FORMS": str(len(rows)), "a-MIN_NUM_FORMS": "0",
            "a-MAX_NUM_FORMS": "1000", "date": date}
    for i, (suggestion, lead, co) in enumerate(rows):
        data[f"a-{i}-suggestion"] = str(suggestion.pk)
        data[f"a-{i}-lead_unit"] = str(lead.pk) if lead else ""
        data[f"a-{i}-co_units"] = [str(u.pk) for u in co]
    return data


def test_the_page_lists_the_submitted_suggestions_of_the_chosen_session(sw, five):
    client = client_for(sw.office)
    response = client.get(reverse("suggestions:assign_bulk"))
    assert [s.title for _, s in response.context["rows"]] == [five["fresh"].title, five["closed_period"].title]
    by_session = client.get(reverse("suggestions:assign_bulk"), {"session": sw.session.pk})
    assert [s.title for _, s in by_session.context["rows"]] == [five["fresh"].title]
    html = response.content.decode()
    assert 'value="2024-06-12"' in html  # one date, today by default


def test_one_submit_assigns_every_row_with_a_lead_unit_and_leaves_the_others(sw, five):
    fresh, later = five["fresh"], five["closed_period"]
    client = client_for(sw.office)
    response = client.post(
        reverse("suggestions:assign_bulk"),
        _assign_post([(fresh, sw.court, [sw.road, sw.office_unit]), (later, None, [])], "2024-06-11"),
    )
    assert response.status_code == 302
    fresh.refresh_from_db()
    later.refresh_from_db()
    assert (fresh.status, fresh.lead_unit, fresh.assigned_on) == (S.ASSIGNED, sw.court, D(2024, 6, 11))
    assert set(fresh.co_units.all()) == {sw.road, sw.office_unit}
    assert fresh.due_date == D(2024, 9, 11)
    assert later.status == S.SUBMITTED
    page = client.get(response.url)
    assert "已交办 1 条建议，交办日期2024年6月11日，答复期限2024年9月11日。" in page.content.decode()


def test_a_bad_row_assigns_nothing_and_every_bad_row_says_why(sw, five):
    fresh, later, late = five["fresh"], five["closed_period"], five["late"]
    response = client_for(sw.office).post(
        reverse("suggestions:assign_bulk"),
        _assign_post([(fresh, sw.court, []), (later, sw.road, [sw.road]), (late, sw.court, [])], "2024-06-11"),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "交办未完成，没有一条建议被交办" in html
    assert "主办单位不能同时是协办单位。" in html
    assert "这条建议当前为“已交办，办理中”，不能交办。" in html
    assert f"“{later.title}”：主办单位不能同时是协办单位。" in html
    forms = {s.pk: form for form, s in response.context["rows"]}
    assert forms[later.pk].errors["co_units"] and forms[late.pk].non_field_errors()
    assert not forms[fresh.pk].errors
    fresh.refresh_from_db()
    assert fresh.status == S.SUBMITTED and fresh.lead_unit is None  # all or nothing
    assert 'selected' in html  # the office's choices are kept on the page


def test_co_units_without_a_lead_unit_is_the_rows_error(sw, five):
    response = client_for(sw.office).post(
        reverse("suggestions:assign_bulk"), _assign_post([(five["fresh"], None, [sw.road])], "2024-06-11"),
    )
    assert response.status_code == 400
    forms = [form for form, _ in response.context["rows"]]
    assert forms[0].errors["lead_unit"] == ["请选择主办单位。"]


def test_nothing_chosen_is_said_and_changes_nothing(sw, five):
    response = client_for(sw.office).post(
        reverse("suggestions:assign_bulk"), _assign_post([(five["fresh"], None, [])], "2024-06-11"),
    )
    assert response.status_code == 400
    assert "请至少为一条建议选择主办单位。" in response.content.decode()


def test_a_year_the_calendar_does_not_know_is_the_dates_error(sw, five, today):
    today(D(2026, 11, 2))  # three months later is 2027, beyond chinesecalendar 1.11's data
    client = client_for(sw.office)
    notice = client.get(reverse("suggestions:assign_bulk"))
    assert "法定节假日日历只覆盖" in " ".join(notice.context["notices"])
    response = client.post(reverse("suggestions:assign_bulk"),
                           _assign_post([(five["fresh"], sw.road, [])], "2026-11-02"))
    assert response.status_code == 400
    assert "法定节假日日历只覆盖" in response.context["date_form"].errors["date"][0]
    five["fresh"].refresh_from_db()
    assert five["fresh"].status == S.SUBMITTED


def test_a_future_date_is_refused_next_to_the_date(sw, five):
    response = client_for(sw.office).post(reverse("suggestions:assign_bulk"),
                                          _assign_post([(five["fresh"], sw.road, [])], "2024-06-13"))
    assert response.status_code == 400
    assert "晚于今天" in response.context["date_form"].errors["date"][0]


def test_a_row_that_is_gone_refuses_the_whole_submit(sw, five):
    data = _assign_post([(five["fresh"], sw.road, []), (five["closed_period"], sw.road, [])], "2024-06-11")
    data["a-1-suggestion"] = "999999"
    response = client_for(sw.office).post(reverse("suggestions:assign_bulk"), data)
    assert response.status_code == 400
    assert "这条建议已不存在或不在您的范围内" in response.content.decode()
    five["fresh"].refresh_from_db()
    assert five["fresh"].status == S.SUBMITTED


def _make_waiting(sw, n: int) -> None:
    for i in range(n):
        submit(sw, title=f"待交办建议{i}", cosigners=[sw.li])


@pytest.mark.parametrize("extra", [0, 12])
def test_the_assignment_page_costs_a_fixed_number_of_queries(sw, five, extra, django_assert_num_queries):
    _make_waiting(sw, extra)
    _count_queries(client_for(sw.office), reverse("suggestions:assign_bulk"), django_assert_num_queries, ASSIGN_QUERIES)


ASSIGN_QUERIES = 13  # with the holiday schedules the office entered (current_calendar)


# --- bulk close of 代表未反馈 -----------------------------------------------------------------------------------


def test_the_office_closes_replies_left_without_feedback_with_a_note(sw, five):
    quiet = five["quiet"]
    client = client_for(sw.office)
    page = client.get(reverse("suggestions:close_bulk"))
    assert [s.title for s in page.context["rows"]] == [quiet.title]
    response = client.post(reverse("suggestions:close_bulk"),
                           {"date": "2024-06-12", "note": "电话联系未果，按未反馈办结。", "suggestions": [quiet.pk]})
    assert response.status_code == 302
    quiet.refresh_from_db()
    assert (quiet.status, quiet.closed_on, quiet.close_note) == (S.CLOSED, TODAY, "电话联系未果，按未反馈办结。")
    assert quiet.events.last().note == "电话联系未果，按未反馈办结。"


def test_a_close_dated_before_the_deadline_ended_closes_none(sw, five):
    quiet = five["quiet"]
    other = reply(sw, assign(sw, submit(sw, title="关于停车的建议"), on=D(2024, 3, 7)), on=D(2024, 4, 8))
    response = client_for(sw.office).post(
        reverse("suggestions:close_bulk"),
        {"date": quiet.feedback_due.isoformat(), "note": "未反馈", "suggestions": [other.pk, quiet.pk]},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "办结未完成，没有一条建议被办结" in html
    assert f"“{quiet.title}”：代表的反馈期限到" in html
    other.refresh_from_db()
    assert other.status == S.REPLIED  # rolled back with the refused one


def test_closing_needs_a_choice_and_a_note(sw, five):
    response = client_for(sw.office).post(reverse("suggestions:close_bulk"), {"date": "2024-06-12", "note": ""})
    assert response.status_code == 400
    assert response.context["form"].errors.keys() == {"note", "suggestions"}
    five["quiet"].refresh_from_db()
    assert five["quiet"].status == S.REPLIED


# --- handling units ------------------------------------------------------------------------------------------


def test_the_office_adds_a_unit(sw):
    client = client_for(sw.office)
    response = client.post(reverse("suggestions:units"), {"name": "区教委", "code": "G02", "kind": "government_department"})
    assert response.status_code == 302
    assert HandlingUnit.objects.get(code="G02").name == "区教委"
    assert "已保存承办单位“区教委”。" in client.get(reverse("suggestions:units")).content.decode()


def test_a_taken_code_or_an_empty_name_is_said_next_to_the_field(sw):
    response = client_for(sw.office).post(reverse("suggestions:units"), {"name": "", "code": "G01", "kind": "court"})
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors.keys() == {"name", "code"}
    assert 'class="field has-error"' in response.content.decode()
    assert HandlingUnit.objects.count() == 3


def test_the_office_renames_a_unit_and_a_refused_change_keeps_the_old_name(sw):
    client = client_for(sw.office)
    url = reverse("suggestions:unit_edit", args=[sw.road.pk])
    assert client.get(url).context["editing_name"] == "区交通委"
    refused = client.post(url, {"name": "区法院", "code": "G01", "kind": "government_department"})
    assert refused.status_code == 400 and "name" in refused.context["form"].errors
    assert "修改“区交通委”" in refused.content.decode()
    assert client.post(url, {"name": "区交通委员会", "code": "G01", "kind": "government_department"}).status_code == 302
    sw.road.refresh_from_db()
    assert sw.road.name == "区交通委员会"
    assert sw.road.history.first().history_user == sw.office


def test_a_unit_in_use_is_not_deleted_and_the_office_is_told_why(sw, five):
    client = client_for(sw.office)
    page = client.get(reverse("suggestions:units")).content.decode()
    assert reverse("suggestions:unit_delete", args=[sw.office_unit.pk]) in page
    assert reverse("suggestions:unit_delete", args=[sw.court.pk]) not in page  # in use: no button
    response = client.post(reverse("suggestions:unit_delete", args=[sw.court.pk]), follow=True)
    assert "不能删除“区法院”" in response.content.decode()
    assert HandlingUnit.objects.filter(pk=sw.court.pk).exists()
    client.post(reverse("suggestions:unit_delete", args=[sw.office_unit.pk]))
    assert not HandlingUnit.objects.filter(pk=sw.office_unit.pk).exists()


def test_the_units_page_shows_how_many_each_handles(sw, five, django_assert_max_num_queries):
    client = client_for(sw.office)
    with django_assert_max_num_queries(9):
        response = client.get(reverse("suggestions:units"))
    counts = {u.name: (u.led, u.cohandled) for u in response.context["page"].object_list}
    assert counts == {"区交通委": (2, 0), "区法院": (1, 1), "东四街道办事处": (0, 0)}


def test_deleting_is_a_post(sw):
    assert client_for(sw.office).get(reverse("suggestions:unit_delete", args=[sw.road.pk])).status_code == 405


# --- the menu ----------------------------------------------------------------------------------------------------


def _menu(user) -> set[str]:
    return {entry.label for entry in menu_for(scope_for(user))}


def test_each_role_finds_its_suggestion_pages_in_the_menu(sw):
    office = _menu(sw.office)
    assert {"代表建议", "承办单位"} <= office and "待办建议" not in office
    unit = _menu(sw.road_user)
    assert "待办建议" in unit and not {"代表建议", "承办单位"} & unit
    deputy = _menu(sw.zhang_user)
    assert not {"代表建议", "承办单位", "待办建议"} & deputy
    staff = _menu(sw.staff_a)
    assert "代表建议" in staff and "承办单位" not in staff
