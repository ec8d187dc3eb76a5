"""Check-in by QR code through the API (POST /api/v1/check-in/): the same checks as the page the code opens;
the mark is read-only on participations/ and attendance/."""
from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.choices import OrganizerLevel, Outcome
from activities.models import Participation
from activities.services import activity_checkin_token
from dutyadmin.checkin import CheckinDays, make_token
from dutyadmin.roles import Role
from meetings.choices import AttendanceStatus
from meetings.models import Attendance
from meetings.services import meeting_checkin_token
from oversight.models import YearReview
from tests import factories

pytestmark = pytest.mark.django_db
URL = "/api/v1/check-in/"


@pytest.fixture
def today() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def activity(world, today):
    return factories.ActivityFactory(term=world["term"], title="视察老旧小区改造", date=today,
                                     organizer_level=OrganizerLevel.STREET_COMMITTEE, street_committee=world["dongsi"])


@pytest.fixture
def meeting(world, today):
    session = factories.CongressSessionFactory(term=world["term"], number=6, name="第六次会议", start_date=today,
                                               end_date=today)
    return factories.MeetingFactory(session=session, date=today, title="第一次全体会议")


def post(client, body):
    return client.post(URL, body, content_type="application/json")


def test_a_scanned_url_records_attended_and_a_repeat_changes_nothing(login, world, activity):
    client = login(Role.DEPUTY)
    url = "http://testserver" + reverse("activities:checkin", args=[activity.pk, activity_checkin_token(activity)])
    response = post(client, {"url": url})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["kind"], body["id"], body["recorded"], body["already"]) == ("activity", activity.pk, "attended", False)
    p = Participation.objects.get(activity=activity, deputy=world["zhang"])
    assert p.outcome == Outcome.ATTENDED and p.self_checked_in and body["self_checked_in_at"]
    again = post(client, {"url": url}).json()
    assert again["already"] is True and Participation.objects.filter(activity=activity).count() == 1
    # The mark reads back on participations/, and a PATCH cannot set or clear it.
    listed = client.get("/api/v1/participations/", {"activity": activity.pk}).json()["results"]
    assert [(r["deputy"], r["self_checked_in"]) for r in listed] == [(world["zhang"].pk, True)]


def test_kind_id_token_for_a_meeting_records_present(login, world, meeting):
    client = login(Role.DEPUTY)
    response = post(client, {"kind": "meeting", "id": meeting.pk, "token": meeting_checkin_token(meeting)})
    assert response.status_code == 200, response.content
    assert response.json()["recorded"] == "present"
    a = Attendance.objects.get(meeting=meeting, deputy=world["zhang"])
    assert a.status == AttendanceStatus.PRESENT and a.self_checked_in
    staff = login(Role.SECRETARIAT)
    row = staff.get("/api/v1/attendance/", {"meeting": meeting.pk}).json()["results"][0]
    assert row["self_checked_in"] is True and row["self_checked_in_at"]
    staff.patch(f"/api/v1/attendance/{a.pk}/", {"self_checked_in": False}, content_type="application/json")
    a.refresh_from_db()
    assert a.self_checked_in  # read-only: the mark is the deputy's scan


def test_check_only_records_nothing(login, world, activity):
    response = post(login(Role.DEPUTY), {"kind": "activity", "id": activity.pk,
                                         "token": activity_checkin_token(activity), "record": False})
    assert response.status_code == 200 and response.json()["recorded"] == ""
    assert not Participation.objects.filter(activity=activity).exists()


@pytest.mark.parametrize("case", ["forged", "other_activity", "meeting_token", "other_day", "locked"])
def test_bad_codes_are_400_with_the_reason_and_change_nothing(login, world, activity, meeting, today, case):
    token = activity_checkin_token(activity)
    target = activity.pk
    if case == "forged":
        token = token[:-3] + ("abc" if not token.endswith("abc") else "xyz")
    elif case == "other_activity":
        target = factories.ActivityFactory(term=world["term"], date=today).pk
    elif case == "meeting_token":
        token = meeting_checkin_token(meeting)
    elif case == "other_day":
        token = make_token("activity", activity.pk, CheckinDays(today - dt.timedelta(days=1), today - dt.timedelta(days=1)))
    elif case == "locked":
        YearReview.objects.create(term=world["term"], year=today.year, street_committee=world["dongsi"],
                                  status="approved")
    response = post(login(Role.DEPUTY), {"kind": "activity", "id": target, "token": token})
    assert response.status_code == 400, response.content
    detail = response.json()["detail"][0]
    assert detail and "签到" in detail or "锁定" in detail
    if case == "locked":
        assert response.json()["reason"] == ["该年度已审核锁定"]
    assert not Participation.objects.filter(deputy=world["zhang"]).exists()


@pytest.mark.parametrize("body", [{}, {"url": "http://testserver/deputies/"}, {"url": "/nowhere/"},
                                  {"kind": "poll", "id": 1, "token": "x"}, {"kind": "activity", "id": -1, "token": "x"},
                                  {"kind": "activity", "id": "x", "token": "x"}])
def test_malformed_bodies_are_400(login, body):
    assert post(login(Role.DEPUTY), body).status_code == 400


def test_an_unknown_object_is_404(login):
    assert post(login(Role.DEPUTY), {"kind": "meeting", "id": 999999, "token": "x"}).status_code == 404


@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.DEPUTY] + ["nobody"])
def test_an_account_that_is_not_a_deputys_is_403(login, activity, role):
    response = post(login(role), {"kind": "activity", "id": activity.pk, "token": activity_checkin_token(activity)})
    assert response.status_code == 403
    assert not Participation.objects.filter(activity=activity).exists()


def test_anonymous_is_401_or_403(client, activity):
    response = post(client, {"kind": "activity", "id": activity.pk, "token": activity_checkin_token(activity)})
    assert response.status_code in (401, 403)
