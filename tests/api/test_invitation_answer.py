"""POST /api/v1/participations/{id}/answer/ {"attend", "reason"}: the invited deputy's own answer, read back as
the participation's read-only answered_at and decline_reason (fields added, none renamed)."""
from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from activities.choices import Outcome
from dutyadmin.roles import Role
from tests import factories

from .conftest import has_chinese

pytestmark = pytest.mark.django_db
URL = "/api/v1/participations/"


@pytest.fixture
def people(db):
    term = factories.TermFactory(number=17, start_date=dt.date(2022, 1, 1), end_date=dt.date(2099, 12, 31))
    dongsi = factories.StreetCommitteeFactory(name="东四", code="DS")
    zhang = factories.DeputyFactory(term=term, name="张东", street_committee=dongsi)
    li = factories.DeputyFactory(term=term, name="李四", street_committee=dongsi)
    return {
        "term": term, "dongsi": dongsi, "zhang": zhang, "li": li,
        "deputy": factories.make_user(Role.DEPUTY, deputy=zhang),
        "other_deputy": factories.make_user(Role.DEPUTY, deputy=li),
        "staff": factories.make_user(Role.STREET_STAFF, street_committee=dongsi),
    }


def invitation(people, *, days=5, deputy="zhang", **kwargs):
    activity = factories.ActivityFactory(term=people["term"], date=timezone.localdate() + dt.timedelta(days=days),
                                         organizer_level="street_committee", street_committee=people["dongsi"])
    values = {"confirmed": False, "outcome": Outcome.PENDING, **kwargs}
    return factories.ParticipationFactory(activity=activity, deputy=people[deputy], **values)


def answer(api, user, participation, body):
    return api(user).post(f"{URL}{participation.pk}/answer/", body, format="json")


def test_the_deputy_confirms_and_reads_the_answer_back(api, people):
    p = invitation(people)
    response = answer(api, people["deputy"], p, {"attend": True})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["confirmed"] is True and body["answered_at"] and body["decline_reason"] == ""
    assert {"id", "activity", "deputy", "confirmed", "outcome"} <= set(body)  # the contract's fields are all still there
    listed = api(people["staff"]).get(f"{URL}{p.pk}/").json()
    assert listed["answered_at"] == body["answered_at"]


def test_declining_needs_a_reason_in_chinese(api, people):
    p = invitation(people)
    refused = answer(api, people["deputy"], p, {"attend": False, "reason": " "})
    assert refused.status_code == 400
    assert "reason" in refused.json() and has_chinese(refused.json()["reason"])
    ok = answer(api, people["deputy"], p, {"attend": False, "reason": "出差在外"})
    assert ok.status_code == 200 and ok.json()["decline_reason"] == "出差在外" and ok.json()["confirmed"] is False


@pytest.mark.parametrize("body", [{}, {"attend": "maybe"}, {"attend": None}, {"attend": True, "reason": "长" * 501}])
def test_a_bad_body_is_a_400_in_chinese(api, people, body):
    p = invitation(people)
    response = answer(api, people["deputy"], p, body)
    assert response.status_code == 400
    assert has_chinese(response.json())
    p.refresh_from_db()
    assert p.answered_at is None


def test_too_late_or_recorded_is_a_400(api, people):
    past = invitation(people, days=-1)
    response = answer(api, people["deputy"], past, {"attend": True})
    assert response.status_code == 400 and "活动已经举行" in str(response.json())
    recorded = invitation(people, outcome=Outcome.EXCUSED)
    response = answer(api, people["deputy"], recorded, {"attend": True})
    assert response.status_code == 400 and "组织方已登记" in str(response.json())


def test_only_the_invited_deputy_answers(api, people):
    p = invitation(people)
    assert answer(api, people["other_deputy"], p, {"attend": True}).status_code == 404  # not in their scope
    staff = answer(api, people["staff"], p, {"attend": True})
    assert staff.status_code == 403 and has_chinese(staff.json())
    assert api(None).post(f"{URL}{p.pk}/answer/", {"attend": True}, format="json").status_code in (401, 403)
    p.refresh_from_db()
    assert p.answered_at is None


def test_the_answer_fields_are_read_only(api, people):
    p = invitation(people)
    response = api(people["staff"]).patch(f"{URL}{p.pk}/", {"decline_reason": "代填", "answered_at": "2026-01-01T00:00:00Z"},
                                          format="json")
    assert response.status_code == 200
    p.refresh_from_db()
    assert p.decline_reason == "" and p.answered_at is None
