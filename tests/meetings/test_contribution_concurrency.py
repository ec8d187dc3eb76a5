"""Issue 17: ten staff confirming one deputy's entry at once (a double click, two tabs, two colleagues): exactly one
confirms it, the others are conflicts (409) with the current state; one history row of the confirmation."""
import datetime as dt
import threading

import pytest
from django.db import connection, connections
from rest_framework.test import APIClient

from dutyadmin.roles import Role
from meetings.models import Contribution
from meetings.services import contribution_save
from tests import factories

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs DATABASE_URL=postgres://… (row locks)"),
]


@pytest.mark.django_db(transaction=True)
def test_ten_concurrent_confirmations_of_one_entry_confirm_it_once(make_user):
    term = factories.TermFactory()
    dongsi = factories.StreetCommitteeFactory(name="东四", code="DS")
    deputy = factories.DeputyFactory(term=term, street_committee=dongsi)
    own = make_user(Role.DEPUTY, deputy=deputy)
    entry = contribution_save(user=own, data={"deputy": deputy, "session": None, "kind": "suggestion",
                                              "date": dt.date(2024, 3, 2), "title": "关于增设养老驿站的建议"})
    staff = [make_user(Role.STREET_STAFF, street_committee=dongsi) for _ in range(10)]
    barrier = threading.Barrier(10)
    answers = []

    def confirm(user):
        client = APIClient()
        client.force_authenticate(user)
        try:
            barrier.wait()
            response = client.post(f"/api/v1/contributions/{entry.pk}/confirm/")
            answers.append((response.status_code, response.json()))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=confirm, args=(user,)) for user in staff]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)

    assert sorted(code for code, _ in answers) == [200] + [409] * 9
    confirmed = Contribution.objects.get(pk=entry.pk)
    winner = next(body for code, body in answers if code == 200)
    assert winner["confirmed_by"] == confirmed.confirmed_by_id
    for code, body in answers:
        if code == 409:
            assert body["current"]["confirmed"] is True and body["current"]["confirmed_by"] == confirmed.confirmed_by_id
            assert "无需再确认" in body["detail"] and body["confirmed"]
    assert confirmed.history.filter(confirmed=True).count() == 1
