"""POST /api/v1/leave-requests/backfill/: a leave decided on paper, with its signed steps."""
import datetime as dt

import pytest
from django.utils import timezone

from meetings.models import LeaveRequest
from tests import factories

from .conftest import has_chinese

URL = "/api/v1/leave-requests/backfill/"


@pytest.fixture
def paper(db, make_user):
    today = timezone.localdate()
    term = factories.TermFactory(start_date=dt.date(today.year - 3, 1, 1), end_date=dt.date(today.year + 2, 12, 31))
    street = factories.StreetCommitteeFactory(name="东四", code="DS")
    other = factories.StreetCommitteeFactory(name="朝阳门", code="CY")
    deputy = factories.DeputyFactory(term=term, street_committee=street)
    stranger = factories.DeputyFactory(term=term, street_committee=other)
    held = factories.CongressSessionFactory(term=term, start_date=today - dt.timedelta(days=30),
                                            end_date=today - dt.timedelta(days=28))
    coming = factories.CongressSessionFactory(term=term, start_date=today + dt.timedelta(days=30),
                                              end_date=today + dt.timedelta(days=32))
    return {
        "deputy": deputy, "stranger": stranger, "held": held, "coming": coming,
        "group": factories.MeetingFactory(session=held, kind="delegation", date=held.start_date),
        "secretariat": make_user("secretariat"), "staff": make_user("street_staff", street_committee=street),
        "deputy_user": make_user("deputy", deputy=deputy),
    }


def body(paper, **changes) -> dict:
    day = paper["held"].start_date - dt.timedelta(days=2)
    data = {
        "deputy": paper["deputy"].pk, "session": paper["held"].pk, "route": "delegation_meeting",
        "meetings": [paper["group"].pk], "reason": "出差", "status": "approved",
        "steps": [
            {"acted_by_name": "团长李某", "acted_at": day.isoformat(), "comment": "同意"},
            {"acted_by_name": "秘书处王某", "acted_at": (day + dt.timedelta(days=1)).isoformat()},
        ],
    }
    data.update(changes)
    return data


def test_staff_backfill_an_approved_leave_and_read_it_back(api, paper):
    response = api(paper["staff"]).post(URL, body(paper), format="json")
    assert response.status_code == 201, response.content.decode()
    leave = response.json()
    assert (leave["status"], leave["backfilled"], leave["route"]) == ("approved", True, "delegation_meeting")
    assert [(s["status"], s["acted_by"], s["acted_by_name"], s["acted_by_display"]) for s in leave["steps"]] == [
        ("done", None, "团长李某", "团长李某"), ("done", None, "秘书处王某", "秘书处王某")]
    assert leave["steps"][0]["acted_at"].startswith((paper["held"].start_date - dt.timedelta(days=2)).isoformat())
    assert api(paper["staff"]).get(f"/api/v1/leave-requests/{leave['id']}/").json() == leave


def test_a_rejected_backfill_ends_at_the_refusing_step(api, paper):
    steps = [{"acted_by_name": "团长李某", "acted_at": paper["held"].start_date.isoformat(), "comment": "不同意,会议重要"}]
    response = api(paper["secretariat"]).post(URL, body(paper, status="rejected", steps=steps), format="json")
    assert response.status_code == 201
    assert [s["status"] for s in response.json()["steps"]] == ["rejected", "cancelled"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"status": "pending"}, "status"),
        ({"steps": "两步"}, "steps"),
        ({"steps": [{"acted_by_name": "", "acted_at": "2020-01-01"}]}, "steps"),
        ({"steps": [{"acted_by_name": "甲", "acted_at": "昨天"}, {"acted_by_name": "乙", "acted_at": "2020-01-02"}]},
         "steps"),
        ({"session": "coming"}, "session"),
        ({"meetings": []}, "meetings"),
        ({"deputy": "stranger"}, "deputy"),
        ({"deputy": 99999999999999999999999}, "deputy"),
    ],
)
def test_bad_bodies_are_400s_in_chinese_and_save_nothing(api, paper, changes, field):
    changes = {k: paper[v].pk if isinstance(v, str) and v in paper else v for k, v in changes.items()}
    response = api(paper["staff"]).post(URL, body(paper, **changes), format="json")
    assert response.status_code == 400, response.content.decode()
    assert has_chinese(response.json()[field])
    assert not LeaveRequest.objects.exists()


def test_a_step_error_names_its_step(api, paper):
    steps = [{"acted_by_name": "团长李某", "acted_at": "2020-01-01"}, {"acted_by_name": "", "acted_at": "2020-01-02"}]
    response = api(paper["secretariat"]).post(URL, body(paper, steps=steps), format="json")
    assert response.status_code == 400
    assert "第 2 步" in response.json()["steps"][0]


@pytest.mark.parametrize("who", ["deputy_user"])
def test_a_deputy_cannot_backfill_even_their_own(api, paper, who):
    response = api(paper[who]).post(URL, body(paper), format="json")
    assert response.status_code == 403
    assert has_chinese(response.json()["detail"])
    assert not LeaveRequest.objects.exists()


def test_without_credentials_it_is_a_401(api, paper):
    assert api().post(URL, body(paper), format="json").status_code == 401
