"""A double click, or two officers at once: one transition happens, the other is refused (row lock on PostgreSQL)."""
from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from oversight.models import Suggestion, SuggestionEvent
from oversight.suggestions import services

from .suggestion_fixtures import D, assign, reply, submit

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs DATABASE_URL=postgres://… (row locks)"),
    pytest.mark.django_db(transaction=True),
]


def at_once(*calls):
    """Run the calls in threads released together; each outcome is "done" or "refused"."""
    barrier = threading.Barrier(len(calls))
    outcomes = []

    def run(call):
        try:
            barrier.wait()
            call()
            outcomes.append("done")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return sorted(outcomes)


def test_two_assignments_at_once_assign_it_once(sw):
    suggestion = submit(sw)
    outcomes = at_once(
        lambda: services.suggestion_assign(user=sw.office, suggestion=suggestion, lead_unit=sw.road, date=D(2024, 3, 7)),
        lambda: services.suggestion_assign(user=sw.office, suggestion=suggestion, lead_unit=sw.court, date=D(2024, 3, 8)),
    )
    assert outcomes == ["done", "refused"]
    assert SuggestionEvent.objects.filter(suggestion=suggestion, action="assign").count() == 1
    assert Suggestion.objects.get(pk=suggestion.pk).status == "assigned"


def test_a_double_click_on_evaluate_evaluates_once(sw):
    suggestion = reply(sw, assign(sw, submit(sw)))

    def click():
        services.suggestion_evaluate(user=sw.zhang_user, suggestion=suggestion, satisfaction="dissatisfied",
                                     date=D(2024, 6, 20))

    assert at_once(click, click) == ["done", "refused"]
    stored = Suggestion.objects.get(pk=suggestion.pk)
    assert stored.status == "rehandling"  # not closed by a second "dissatisfied"
    assert SuggestionEvent.objects.filter(suggestion=suggestion, action="evaluate").count() == 1
