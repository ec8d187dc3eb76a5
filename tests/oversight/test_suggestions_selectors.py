"""Who sees which suggestion, and the overdue and due-soon lists (the clocks' overdue, in SQL)."""
from __future__ import annotations

import datetime as dt

import pytest

from oversight.models import Suggestion
from oversight.suggestions import selectors
from oversight.suggestions.selectors import overdue_q, suggestions_due_soon, suggestions_overdue, suggestions_visible_to

from .suggestion_fixtures import D, assign, evaluate, reply, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def three(sw):
    """road leads zhang's (court co-unit); court leads wang's; li's is not assigned yet."""
    zhang_s = assign(sw, submit(sw), co_units=[sw.court])
    wang_s = assign(sw, submit(sw, by=sw.staff_b, deputy=sw.wang, title="关于学校周边交通的建议"), unit=sw.court)
    li_s = submit(sw, deputy=sw.li, title="关于老旧小区加装电梯的建议", cosigners=[sw.zhang])
    return zhang_s, wang_s, li_s


def seen(user):
    return set(suggestions_visible_to(user).values_list("title", flat=True))


def test_a_unit_sees_only_what_is_assigned_to_it_as_lead_or_co_unit(sw, three):
    zhang_s, wang_s, _ = three
    assert seen(sw.road_user) == {zhang_s.title}
    assert seen(sw.court_user) == {zhang_s.title, wang_s.title}


def test_a_unit_user_without_a_unit_sees_nothing(sw, three, make_user):
    assert seen(make_user("handling_unit")) == set()


def test_deputies_see_what_they_lead_or_cosign_and_street_staff_their_streets(sw, three):
    zhang_s, wang_s, li_s = three
    assert seen(sw.zhang_user) == {zhang_s.title, li_s.title}
    assert seen(sw.li_user) == {li_s.title}
    assert seen(sw.staff_a) == {zhang_s.title, li_s.title}
    assert seen(sw.staff_b) == {wang_s.title}
    assert seen(sw.office) == seen(sw.secretariat) == {zhang_s.title, wang_s.title, li_s.title}


def test_the_list_reads_in_a_fixed_number_of_queries(sw, three, django_assert_max_num_queries):
    for n in range(5):
        assign(sw, submit(sw, title=f"建议{n}", cosigners=[sw.li]), co_units=[sw.court])
    with django_assert_max_num_queries(5):
        rows = list(suggestions_visible_to(sw.office))
        assert len(rows) == 8
        assert [(s.lead_unit and s.lead_unit.name, s.lead_deputy.name, len(s.co_units.all()), len(s.cosigners.all()))
                for s in rows]


def test_overdue_is_a_reply_awaited_past_its_due_date_and_sql_agrees_with_the_model(sw):
    late = assign(sw, submit(sw), on=D(2024, 3, 7))  # due 2024-06-07
    rehandled = evaluate(sw, reply(sw, assign(sw, submit(sw, title="二")), on=D(2024, 6, 3)), "dissatisfied",
                         on=D(2024, 6, 20))  # rehandling due 2024-08-20
    replied = reply(sw, assign(sw, submit(sw, title="三")), on=D(2024, 6, 11))  # replied late: no longer awaited
    pending = submit(sw, title="四")
    for today in (D(2024, 6, 7), D(2024, 6, 8), D(2024, 8, 20), D(2024, 8, 21)):
        by_sql = set(Suggestion.objects.filter(overdue_q(today)).values_list("pk", flat=True))
        by_model = {s.pk for s in Suggestion.objects.all() if s.overdue_on(today)}
        assert by_sql == by_model, today
    assert [s.pk for s in suggestions_overdue(sw.office, D(2024, 6, 8))] == [late.pk]
    assert {s.pk for s in suggestions_overdue(sw.office, D(2024, 8, 21))} == {late.pk, rehandled.pk}
    assert replied.pk not in {s.pk for s in suggestions_overdue(sw.office, D(2024, 12, 1))}
    assert pending.pk not in {s.pk for s in suggestions_overdue(sw.office, D(2024, 12, 1))}
    assert suggestions_overdue(sw.court_user, D(2024, 8, 21)).count() == 0  # scoped


def test_due_soon_is_the_next_fifteen_days_including_the_due_day(sw):
    suggestion = assign(sw, submit(sw), on=D(2024, 3, 7))  # due 2024-06-07
    assert not suggestions_due_soon(sw.road_user, D(2024, 5, 22)).exists()  # 16 days before
    assert list(suggestions_due_soon(sw.road_user, D(2024, 5, 23))) == [suggestion]  # 15 days before
    assert list(suggestions_due_soon(sw.road_user, D(2024, 6, 7))) == [suggestion]  # the due day
    assert not suggestions_due_soon(sw.road_user, D(2024, 6, 8)).exists()  # overdue now
    assert list(suggestions_due_soon(sw.road_user, D(2024, 6, 1), days=7)) == [suggestion]
    assert not suggestions_due_soon(sw.court_user, D(2024, 6, 1)).exists()


def test_feedback_missing_lists_replies_past_their_feedback_deadline(sw):
    suggestion = reply(sw, assign(sw, submit(sw)), on=D(2024, 6, 3))  # feedback due 2024-06-25
    assert not selectors.suggestions_feedback_missing(sw.office, D(2024, 6, 25)).exists()
    assert list(selectors.suggestions_feedback_missing(sw.office, D(2024, 6, 26))) == [suggestion]
    assert suggestion.feedback_missing_on(D(2024, 6, 26)) and not suggestion.feedback_missing_on(D(2024, 6, 25))


def test_handling_units_are_read_by_staff_only(sw):
    assert selectors.handling_unit_list(user=sw.road_user).count() == 3
    assert selectors.handling_unit_list(user=sw.staff_a).count() == 3
    assert selectors.handling_unit_list(user=sw.zhang_user).count() == 0


def test_overdue_property_reads_today(sw, monkeypatch):
    suggestion = assign(sw, submit(sw), on=D(2024, 3, 7))
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: dt.date(2024, 6, 8))
    assert suggestion.overdue is True
