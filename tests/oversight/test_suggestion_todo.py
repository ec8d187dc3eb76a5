"""The 待办 lines of suggestions (issue 13): a unit's staff (overdue, due within 15 days, rehandling), the liaison
office (to assign, overdue in the district, 代表未反馈), a deputy (replies to evaluate, with the deadline); each
counted in one query, and its link lists what it counts."""
from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.http import QueryDict
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from deputies.selectors import current_term
from dutyadmin.scope import scope_for
from oversight import home as home_module
from oversight import todo
from oversight.rules import clocks
from oversight.suggestions import services
from oversight.suggestions.filtersets import SuggestionFilterSet
from oversight.suggestions.selectors import suggestion_list
from tests import factories

from .suggestion_fixtures import D, assign, evaluate, reply, submit  # sw: tests/oversight/conftest.py

pytestmark = pytest.mark.django_db

OURS = (todo.unit_suggestions_to_reply, todo.office_suggestions_to_handle, todo.my_suggestion_replies)


def lines(user, today: dt.date) -> dict[str, todo.TodoItem]:
    """The user's suggestion lines on `today`, by label."""
    ctx = todo.TodoContext(user=user, scope=scope_for(user), term=None, today=today)
    return {item.label: item for item in todo.todo_list(ctx, sources=OURS)}


def query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


@pytest.fixture
def desk(sw):
    """On 2024-05-27 (a Monday) for the road unit: one overdue since long (rehandling after a dissatisfied
    evaluation), one due 2024-06-07 (in 11 days), one due 2024-06-11 (in 15 days), one due 2024-06-12 (in 16
    days: not yet), one the court leads with road as co-unit (due 2024-06-07: not road's to reply), two submitted
    and not assigned, and one replied whose feedback deadline has passed."""
    S = lambda title, **kw: submit(sw, title=title, on=D(2024, 1, 11), **kw)  # noqa: E731
    rehandled = assign(sw, S("重办"), on=D(2024, 1, 15))
    reply(sw, rehandled, on=D(2024, 2, 1))
    evaluate(sw, rehandled, "dissatisfied", on=D(2024, 2, 2))  # rehandling due 2024-04-02: overdue on 05-27
    rehandled.refresh_from_db()
    return dict(
        rehandled=rehandled,
        in_11=assign(sw, S("十一天"), on=D(2024, 3, 7)),
        in_15=assign(sw, S("十五天"), on=D(2024, 3, 8)),
        in_16=assign(sw, S("十六天"), on=D(2024, 3, 12)),
        co=assign(sw, S("协办"), unit=sw.court, co_units=[sw.road], on=D(2024, 3, 7)),
        new1=S("待交办一"), new2=S("待交办二", deputy=sw.wang, by=sw.staff_b),
        unevaluated=reply(sw, assign(sw, S("未评价", deputy=sw.li), on=D(2024, 1, 15)), on=D(2024, 2, 1)),
    )


def test_the_dates_of_the_desk_are_what_the_lines_rely_on(sw, desk):
    assert desk["rehandled"].rehandling_due == D(2024, 4, 2)
    assert [desk[k].due_date for k in ("in_11", "in_15", "in_16")] == [D(2024, 6, 7), D(2024, 6, 11), D(2024, 6, 12)]
    assert desk["unevaluated"].feedback_due == D(2024, 2, 27)
    assert clocks.due_soon_until(D(2024, 5, 27)) == D(2024, 6, 11)


# --- a handling unit's staff -----------------------------------------------------------------------------------


def test_unit_staff_see_their_overdue_near_and_rehandling_suggestions(sw, desk):
    road = lines(sw.road_user, D(2024, 5, 27))
    assert set(road) == {"建议逾期未答复", "建议15天内到期，待答复", "代表不满意，建议待重新办理"}
    overdue, soon, again = road["建议逾期未答复"], road["建议15天内到期，待答复"], road["代表不满意，建议待重新办理"]
    assert (overdue.count, overdue.tone, overdue.detail) == (1, "bad", "最早的期限：2024年4月2日")
    assert (soon.count, soon.tone, soon.detail) == (2, "warn", "最近的期限：2024年6月7日")
    assert (again.count, again.newest, again.detail) == (1, D(2024, 2, 2), "最近的期限：2024年4月2日")
    unit_list = reverse("suggestions:unit_list")
    assert overdue.url == f"{unit_list}?lead_unit={sw.road.pk}&overdue=true"
    assert soon.url == f"{unit_list}?lead_unit={sw.road.pk}&due_soon=true"
    assert again.url == f"{unit_list}?lead_unit={sw.road.pk}&status=rehandling"


def test_the_near_line_moves_with_the_days(sw, desk):
    assert lines(sw.road_user, D(2024, 5, 28))["建议15天内到期，待答复"].count == 3  # the 16-day one enters
    on_due = lines(sw.road_user, D(2024, 6, 7))
    assert on_due["建议15天内到期，待答复"].count == 3  # due today is still near, not overdue
    after = lines(sw.road_user, D(2024, 6, 8))
    assert after["建议逾期未答复"].count == 2 and after["建议15天内到期，待答复"].count == 2


def test_a_co_unit_and_another_unit_have_no_lines_for_suggestions_they_do_not_lead(sw, desk):
    court = lines(sw.court_user, D(2024, 5, 27))
    assert set(court) == {"建议15天内到期，待答复"} and court["建议15天内到期，待答复"].count == 1
    idle = factories.make_user("handling_unit", username="idle",
                               handling_unit=factories.HandlingUnitFactory(name="区园林局", code="G09"))
    assert lines(idle, D(2024, 5, 27)) == {}


def test_a_unit_user_without_a_unit_has_no_line_and_asks_nothing(sw, desk):
    orphan = factories.make_user("handling_unit", username="orphan")
    ctx = todo.TodoContext(user=orphan, scope=scope_for(orphan), term=None, today=D(2024, 5, 27))
    with CaptureQueriesContext(connection) as queries:
        assert todo.unit_suggestions_to_reply(ctx) == []
    assert len(queries) == 0


# --- the liaison office ----------------------------------------------------------------------------------------


def test_the_office_sees_what_to_assign_what_is_overdue_in_the_district_and_what_may_be_closed(sw, desk):
    office = lines(sw.office, D(2024, 6, 8))
    assign_line = office["代表建议待交办"]
    assert (assign_line.count, assign_line.tone, assign_line.newest) == (2, "warn", D(2024, 1, 11))
    assert assign_line.url == reverse("suggestions:list") + "?status=submitted"
    overdue = office["建议逾期未答复（全区）"]
    assert (overdue.count, overdue.tone) == (3, "bad")  # rehandled, due 06-07 and the court's: every unit's
    assert overdue.url == reverse("suggestions:list") + "?overdue=true"
    missing = office["代表未在期限内评价答复，可办结"]
    assert (missing.count, missing.newest) == (1, D(2024, 2, 27))
    assert missing.url == reverse("suggestions:list") + "?feedback_missing=true"
    # On the feedback deadline itself the deputy may still answer: nothing to close yet.
    assert "代表未在期限内评价答复，可办结" not in lines(sw.office, D(2024, 2, 27))
    assert lines(sw.office, D(2024, 2, 28))["代表未在期限内评价答复，可办结"].count == 1


def test_the_office_s_lines_leave_with_their_cause(sw, desk):
    assign(sw, desk["new1"], on=D(2024, 5, 27))
    assign(sw, desk["new2"], on=D(2024, 5, 27))
    services.suggestion_close(user=sw.office, suggestion=desk["unevaluated"], date=D(2024, 5, 27))
    office = lines(sw.office, D(2024, 5, 27))
    assert "代表建议待交办" not in office and "代表未在期限内评价答复，可办结" not in office


def test_street_staff_secretariat_and_deputies_have_no_office_lines(sw, desk):
    for user in (sw.staff_a, sw.secretariat, sw.zhang_user):
        assert not {"代表建议待交办", "建议逾期未答复（全区）"} & set(lines(user, D(2024, 6, 8)))


# --- a deputy --------------------------------------------------------------------------------------------------


def test_a_deputy_sees_the_replies_waiting_for_their_evaluation_with_the_deadline(sw, desk):
    li = lines(sw.li_user, D(2024, 2, 5))
    line = li["建议已答复，待您评价"]
    assert (line.count, line.detail, line.newest, line.tone) == (1, "请于2024年2月27日前评价", D(2024, 2, 1), "warn")
    assert line.url == reverse("suggestions:mine")
    assert lines(sw.zhang_user, D(2024, 2, 5)) == {}  # zhang's reply was evaluated (dissatisfied)
    assert lines(sw.wang_user, D(2024, 2, 5)) == {}


def test_a_deputy_with_several_replies_reads_the_nearest_deadline(sw, desk):
    later = reply(sw, desk["in_11"], on=D(2024, 5, 6))
    assert later.feedback_due == D(2024, 5, 24)
    line = lines(sw.zhang_user, D(2024, 5, 6))["建议已答复，待您评价"]
    assert (line.count, line.detail) == (1, "请于2024年5月24日前评价")
    reply(sw, desk["in_15"], on=D(2024, 5, 7))
    line = lines(sw.zhang_user, D(2024, 5, 7))["建议已答复，待您评价"]
    assert (line.count, line.detail, line.newest) == (2, "请于2024年5月24日前评价", D(2024, 5, 7))


def test_a_cosigner_does_not_evaluate_so_has_no_line(sw):
    suggestion = assign(sw, submit(sw, cosigners=[sw.li]))
    reply(sw, suggestion, on=D(2024, 6, 3))
    assert lines(sw.li_user, D(2024, 6, 4)) == {}
    assert lines(sw.zhang_user, D(2024, 6, 4))["建议已答复，待您评价"].count == 1


# --- the links list what the lines count ---------------------------------------------------------------------


def test_each_line_s_query_filters_the_list_to_its_count(sw, desk):
    today = timezone.localdate()
    for user in (sw.road_user, sw.court_user, sw.office):
        for item in lines(user, today).values():
            params = query(item.url)
            listed = SuggestionFilterSet(QueryDict(urlsplit(item.url).query), queryset=suggestion_list(user=user))
            assert listed.is_valid(), params
            assert listed.qs.count() == item.count, (user, item.label)


# --- the home page: one query per role for the suggestion lines ------------------------------------------------


def _home_queries(user, *, without_ours: bool, monkeypatch) -> int:
    real = todo.todo_list
    if without_ours:
        monkeypatch.setattr(home_module, "todo_list",
                            lambda ctx: real(ctx, sources=[s for s in todo.SOURCES if s not in OURS]))
    else:
        monkeypatch.setattr(home_module, "todo_list", real)
    client = Client()
    client.force_login(user)
    client.get(reverse("home"))  # warm the session
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("home")).status_code == 200
    return len(queries)


def test_the_home_page_shows_the_lines_and_they_cost_one_query_per_role(sw, desk, monkeypatch):
    term = sw.term
    term.end_date = timezone.localdate() + dt.timedelta(days=400)
    term.save()
    assert current_term() == term
    for user, label in ((sw.road_user, "建议逾期未答复"), (sw.office, "代表建议待交办"),
                        (sw.li_user, "建议已答复，待您评价")):
        client = Client()
        client.force_login(user)
        page = client.get(reverse("home"))
        assert label in {item.label for item in page.context["todo"]}
        assert label in page.content.decode()
    added = {}
    for name in ("road_user", "office", "li_user", "staff_a", "secretariat"):
        user = getattr(sw, name)
        added[name] = (_home_queries(user, without_ours=False, monkeypatch=monkeypatch)
                       - _home_queries(user, without_ours=True, monkeypatch=monkeypatch))
    assert added == {"road_user": 1, "office": 1, "li_user": 1, "staff_a": 0, "secretariat": 0}


def test_the_home_page_s_queries_do_not_grow_with_the_suggestions(sw, desk, monkeypatch):
    before = {u: _home_queries(u, without_ours=False, monkeypatch=monkeypatch)
              for u in (sw.road_user, sw.office, sw.li_user)}
    for i in range(5):
        s = assign(sw, submit(sw, title=f"更多{i}", deputy=sw.li), on=D(2024, 3, 7))
        reply(sw, s, on=D(2024, 4, 1))
        submit(sw, title=f"待交办{i}")
        assign(sw, submit(sw, title=f"重办{i}"), on=D(2024, 3, 7))
    after = {u: _home_queries(u, without_ours=False, monkeypatch=monkeypatch) for u in before}
    assert after == before
    assert lines(sw.li_user, timezone.localdate())["建议已答复，待您评价"].count == 6
