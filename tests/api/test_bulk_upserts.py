"""Bulk roll calls and participation lists: all rows or none, every bad row reported."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from activities.models import Participation
from meetings.models import Attendance
from tests import factories

from .conftest import has_chinese


@pytest.fixture
def world(db, make_user):
    term = factories.TermFactory()
    ds = factories.StreetCommitteeFactory(name="东四", code="DS")
    cy = factories.StreetCommitteeFactory(name="朝阳门", code="CY")
    delegation = factories.DelegationFactory(term=term)
    deputies = factories.DeputyFactory.create_batch(4, term=term, street_committee=ds, delegation=delegation)
    outsider = factories.DeputyFactory(term=term, street_committee=cy, delegation=delegation)
    old_term = factories.TermFactory(number=16, start_date="2017-01-01", end_date="2021-12-31")
    old_deputy = factories.DeputyFactory(term=old_term, service_start="2017-01-01")
    meeting = factories.MeetingFactory(session=factories.CongressSessionFactory(term=term))
    activity = factories.ActivityFactory(term=term, organizer_level="street_committee", street_committee=ds)
    return {
        "term": term, "ds": ds, "deputies": deputies, "outsider": outsider, "old_deputy": old_deputy,
        "meeting": meeting, "activity": activity,
        "secretariat": make_user("secretariat"),
        "street_staff": make_user("street_staff", street_committee=ds),
        "liaison": make_user("liaison_office"),
    }


def roll_call(api, world, records, user="secretariat"):
    return api(world[user]).post(f"/api/v1/meetings/{world['meeting'].pk}/attendance/", {"records": records},
                                 format="json")


def register(api, world, records, user="street_staff", activity=None):
    activity = activity or world["activity"]
    return api(world[user]).post(f"/api/v1/activities/{activity.pk}/participations/", {"records": records},
                                 format="json")


def attendance_state(meeting) -> dict:
    return dict(Attendance.objects.filter(meeting=meeting).values_list("deputy_id", "status"))


# --- attendance -----------------------------------------------------------------------------------


def test_a_roll_call_creates_then_updates_attendance_with_history(api, world):
    d = world["deputies"]
    records = [{"deputy": d[0].pk, "status": "present"}, {"deputy": d[1].pk, "status": "absent"},
               {"deputy": d[2].pk, "status": "present"}]
    response = roll_call(api, world, records)
    assert response.status_code == 200, response.content.decode()
    assert response.json() == {"created": 3, "updated": 0, "unchanged": 0}

    records = [{"deputy": d[0].pk, "status": "present"}, {"deputy": d[1].pk, "status": "present"},
               {"deputy": d[3].pk, "status": "absent"}]
    assert roll_call(api, world, records).json() == {"created": 1, "updated": 1, "unchanged": 1}
    assert attendance_state(world["meeting"]) == {d[0].pk: "present", d[1].pk: "present", d[2].pk: "present",
                                                  d[3].pk: "absent"}
    changed = Attendance.objects.get(meeting=world["meeting"], deputy=d[1])
    history = list(changed.history.order_by("history_date").values_list("status", "history_type", "history_user"))
    user = world["secretariat"].pk
    assert history == [("absent", "+", user), ("present", "~", user)]


def test_a_roll_call_with_bad_rows_saves_nothing_and_names_every_bad_row(api, world):
    d = world["deputies"]
    factories.AttendanceFactory(meeting=world["meeting"], deputy=d[0], status="present")
    before = attendance_state(world["meeting"])
    records = [
        {"deputy": d[0].pk, "status": "absent"},  # fine: would update
        {"deputy": 999999, "status": "present"},  # unknown deputy
        {"deputy": world["old_deputy"].pk, "status": "present"},  # another term
        {"deputy": d[1].pk, "status": "late"},  # bad enum
        {"deputy": d[0].pk, "status": "present"},  # repeated deputy
        {"deputy": "x", "status": "present"},  # malformed id
        {"status": "present"},  # no deputy
        "present",  # not an object
        {"deputy": d[2].pk, "status": "present", "note": "迟到"},  # unknown field
        {"deputy": d[3].pk, "status": "present"},  # fine: would create
    ]
    response = roll_call(api, world, records)
    assert response.status_code == 400
    body = response.json()
    bad = {(row["index"], row["field"]) for row in body["records"]}
    assert bad == {(1, "deputy"), (2, "deputy"), (3, "status"), (4, "deputy"), (5, "deputy"), (6, "deputy"),
                   (7, "record"), (8, "note")}
    assert all(has_chinese(row["message"]) for row in body["records"])
    assert has_chinese(body["detail"])
    assert attendance_state(world["meeting"]) == before


@pytest.mark.parametrize("body", [{}, {"records": "all"}, {"records": []}, {"records": {"deputy": 1}}, [1]])
def test_a_roll_call_body_without_a_list_of_records_is_a_400(api, world, body):
    response = api(world["secretariat"]).post(f"/api/v1/meetings/{world['meeting'].pk}/attendance/", body,
                                              format="json")
    assert response.status_code == 400
    assert not Attendance.objects.exists()


@pytest.mark.parametrize("role", ["street_staff", "liaison"])
def test_only_the_secretariat_records_a_roll_call(api, world, role):
    response = roll_call(api, world, [{"deputy": world["deputies"][0].pk, "status": "present"}], user=role)
    assert response.status_code == 403
    assert not Attendance.objects.exists()


def test_a_roll_call_for_an_unknown_meeting_is_a_404(api, world):
    response = api(world["secretariat"]).post("/api/v1/meetings/999999/attendance/",
                                              {"records": [{"deputy": world["deputies"][0].pk, "status": "present"}]},
                                              format="json")
    assert response.status_code == 404


def test_a_roll_call_takes_a_fixed_number_of_queries(api, world):
    term, ds = world["term"], world["ds"]
    many = factories.DeputyFactory.create_batch(60, term=term, street_committee=ds,
                                                delegation=world["deputies"][0].delegation)
    client = api(world["secretariat"])
    client.get("/api/v1/deputies/")  # the user's scope is read once, then cached
    url = f"/api/v1/meetings/{world['meeting'].pk}/attendance/"

    def run(deputies, status):
        with CaptureQueriesContext(connection) as queries:
            response = client.post(url, {"records": [{"deputy": d.pk, "status": status} for d in deputies]},
                                   format="json")
        assert response.status_code == 200
        return len(queries)

    small_create, large_create = run(many[:3], "present"), run(many[3:], "present")
    small_update, large_update = run(many[:3], "absent"), run(many[3:], "absent")
    assert small_create == large_create
    assert small_update == large_update
    assert large_update <= 15


# --- participations ---------------------------------------------------------------------------------


def test_street_staff_register_their_deputies_participation(api, world):
    d = world["deputies"]
    records = [{"deputy": d[0].pk, "confirmed": True, "outcome": "attended"},
               {"deputy": d[1].pk, "confirmed": True}, {"deputy": d[2].pk}]
    response = register(api, world, records)
    assert response.status_code == 200, response.content.decode()
    assert response.json() == {"created": 3, "updated": 0, "unchanged": 0}
    rows = {p.deputy_id: (p.confirmed, p.outcome) for p in Participation.objects.all()}
    assert rows == {d[0].pk: (True, "attended"), d[1].pk: (True, "pending"), d[2].pk: (False, "pending")}

    # Only what a row names changes; the rest keeps its value.
    records = [{"deputy": d[1].pk, "outcome": "absent"}, {"deputy": d[0].pk, "confirmed": True}]
    assert register(api, world, records).json() == {"created": 0, "updated": 1, "unchanged": 1}
    assert Participation.objects.get(deputy=d[1]).confirmed is True
    assert Participation.objects.get(deputy=d[1]).outcome == "absent"
    history = Participation.objects.get(deputy=d[1]).history.order_by("history_date")
    assert [h.history_user_id for h in history] == [world["street_staff"].pk] * 2


def test_a_participation_list_with_bad_rows_saves_nothing(api, world):
    d = world["deputies"]
    factories.ParticipationFactory(activity=world["activity"], deputy=d[0], outcome="pending")
    records = [
        {"deputy": d[0].pk, "outcome": "attended"},  # fine
        {"deputy": world["outsider"].pk, "confirmed": True},  # another street: out of scope
        {"deputy": d[1].pk, "outcome": "maybe"},  # bad enum
        {"deputy": d[2].pk, "confirmed": "yes"},  # not a boolean
        {"deputy": d[1].pk},  # repeated deputy
        {"deputy": world["old_deputy"].pk},  # not visible to the street (and of another term)
        {"deputy": True},  # a boolean is not an id
    ]
    response = register(api, world, records)
    assert response.status_code == 400
    bad = {(row["index"], row["field"]) for row in response.json()["records"]}
    assert bad == {(1, "deputy"), (2, "outcome"), (3, "confirmed"), (4, "deputy"), (5, "deputy"), (6, "deputy")}
    assert list(Participation.objects.values_list("deputy_id", "outcome")) == [(d[0].pk, "pending")]


def test_a_deputy_of_another_term_is_reported_by_the_liaison_office(api, world):
    response = register(api, world, [{"deputy": world["old_deputy"].pk}], user="liaison")
    assert response.status_code == 400
    assert "同一届" in response.json()["records"][0]["message"]


def test_street_staff_cannot_register_at_another_streets_activity(api, world, make_user):
    other = factories.ActivityFactory(term=world["term"], organizer_level="standing_committee")
    factories.ParticipationFactory(activity=other, deputy=world["deputies"][0])  # so the staff can see it
    response = register(api, world, [{"deputy": world["deputies"][1].pk}], activity=other)
    assert response.status_code == 403
    assert Participation.objects.filter(activity=other).count() == 1


def test_an_activity_the_user_cannot_see_is_a_404(api, world):
    hidden = factories.ActivityFactory(term=world["term"], organizer_level="standing_committee")
    response = register(api, world, [{"deputy": world["deputies"][0].pk}], activity=hidden)
    assert response.status_code == 404


def test_a_participation_list_takes_a_fixed_number_of_queries(api, world):
    many = factories.DeputyFactory.create_batch(60, term=world["term"], street_committee=world["ds"],
                                                delegation=world["deputies"][0].delegation)
    client = api(world["street_staff"])
    client.get("/api/v1/deputies/")  # the user's scope is read once, then cached
    url = f"/api/v1/activities/{world['activity'].pk}/participations/"

    def run(deputies, outcome):
        with CaptureQueriesContext(connection) as queries:
            response = client.post(url, {"records": [{"deputy": d.pk, "outcome": outcome} for d in deputies]},
                                   format="json")
        assert response.status_code == 200
        return len(queries)

    assert run(many[:3], "pending") == run(many[3:], "pending")
    assert run(many[:3], "attended") == run(many[3:], "attended")
