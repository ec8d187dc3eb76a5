"""A deputy's calendar feed (/calendar/<token>.ics): what a calendar app receives, parsed back with icalendar."""
from __future__ import annotations

import datetime as dt
import hashlib
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from activities.choices import Outcome
from activities.models import ActivityMaterial
from deputies.models import CalendarFeedKey
from deputies.services import calendar_key_reset, calendar_key_revoke
from meetings.choices import HalfDay, LeaveRoute, LeaveStatus, MeetingKind
from tests import factories

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def term(db, today):
    return factories.TermFactory(number=30, name="第三十届", start_date=today - dt.timedelta(days=500),
                                 end_date=today + dt.timedelta(days=700))


@pytest.fixture
def session(term, today):
    start = today + dt.timedelta(days=10)
    return factories.CongressSessionFactory(term=term, number=1, name="第一次会议", start_date=start,
                                            end_date=start + dt.timedelta(days=3))


@pytest.fixture
def deputy(term):
    return factories.DeputyFactory(term=term, name="金晓明")


@pytest.fixture
def user(deputy):
    return factories.make_user("deputy", deputy=deputy)


@pytest.fixture
def token(user, deputy):
    return calendar_key_reset(user=user, deputy=deputy)


def feed(client, token):
    return client.get(reverse("calendar:feed", args=[token]))


def events_of(response) -> dict[str, object]:
    cal = Calendar.from_ical(response.content)
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def test_the_feed_is_an_icalendar_with_the_headers_a_calendar_app_needs(client, token):
    response = feed(client, token)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "private, max-age=300"
    cal = Calendar.from_ical(response.content)
    assert str(cal["VERSION"]) == "2.0"
    assert "金晓明" in str(cal["X-WR-CALNAME"])
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT1H" in response.content


def test_meetings_come_at_their_half_day_in_shanghai_time(client, token, session):
    am = factories.MeetingFactory(session=session, title="预备会议", kind=MeetingKind.PREPARATORY,
                                  date=session.start_date, half_day=HalfDay.AM)
    pm = factories.MeetingFactory(session=session, title="第一次全体会议", date=session.start_date,
                                  half_day=HalfDay.PM)
    full = factories.MeetingFactory(session=session, title="分团审议", kind=MeetingKind.DELEGATION,
                                    date=session.start_date + dt.timedelta(days=1), half_day=HalfDay.FULL)
    response = feed(client, token)
    events = events_of(response)
    day = session.start_date
    event = events[f"meeting-{am.pk}@dutyadmin"]
    assert event.decoded("DTSTART") == dt.datetime.combine(day, dt.time(8, 30), SHANGHAI)
    assert event.decoded("DTEND") == dt.datetime.combine(day, dt.time(12, 0), SHANGHAI)
    assert str(event["DTSTART"].params["TZID"]) == "Asia/Shanghai"
    event = events[f"meeting-{pm.pk}@dutyadmin"]
    assert event.decoded("DTSTART").time() == dt.time(14, 0) and event.decoded("DTEND").time() == dt.time(17, 30)
    event = events[f"meeting-{full.pk}@dutyadmin"]
    assert event.decoded("DTSTART").time() == dt.time(8, 30) and event.decoded("DTEND").time() == dt.time(17, 30)
    assert str(event["SUMMARY"]) == "第一次会议分团审议"
    assert "请准时出席" in str(event["DESCRIPTION"])
    assert "DTSTAMP" in event and "LAST-MODIFIED" in event and "SEQUENCE" in event
    # the zone is described in the feed itself
    assert b"BEGIN:VTIMEZONE" in response.content and b"TZID:Asia/Shanghai" in response.content


def test_a_presidium_meeting_is_there_only_for_its_members(client, token, session, deputy):
    presidium = factories.MeetingFactory(session=session, title="主席团第一次会议", kind=MeetingKind.PRESIDIUM,
                                         date=session.start_date)
    assert f"meeting-{presidium.pk}@dutyadmin" not in events_of(feed(client, token))
    past = factories.CongressSessionFactory(term=deputy.term, number=2, start_date=timezone.localdate() - dt.timedelta(days=30),
                                            end_date=timezone.localdate() - dt.timedelta(days=28))
    member = factories.MeetingFactory(session=past, title="主席团会议", kind=MeetingKind.PRESIDIUM,
                                      date=past.start_date)
    factories.AttendanceFactory(meeting=member, deputy=deputy)
    assert f"meeting-{member.pk}@dutyadmin" in events_of(feed(client, token))


def test_a_meeting_covered_by_approved_leave_is_marked_and_free(client, token, session, deputy):
    meeting = factories.MeetingFactory(session=session, date=session.start_date)
    factories.LeaveRequestFactory(deputy=deputy, session=session, route=LeaveRoute.WHOLE_SESSION,
                                  status=LeaveStatus.APPROVED)
    event = events_of(feed(client, token))[f"meeting-{meeting.pk}@dutyadmin"]
    assert str(event["SUMMARY"]).startswith("【已准假】")
    assert str(event["TRANSP"]) == "TRANSPARENT"


def test_pending_leave_changes_nothing(client, token, session, deputy):
    meeting = factories.MeetingFactory(session=session, date=session.start_date)
    factories.LeaveRequestFactory(deputy=deputy, session=session, status=LeaveStatus.PENDING)
    event = events_of(feed(client, token))[f"meeting-{meeting.pk}@dutyadmin"]
    assert "已准假" not in str(event["SUMMARY"]) and str(event["TRANSP"]) == "OPAQUE"


def test_invited_activities_are_all_day_events_with_notice_and_materials(client, token, deputy, today):
    activity = factories.ActivityFactory(term=deputy.term, title="背街小巷环境整治视察", location="东四街道办事处",
                                         description="请着便装,8:30在街道门口集合。",
                                         date=today + dt.timedelta(days=5), end_date=today + dt.timedelta(days=6))
    factories.ParticipationFactory(activity=activity, deputy=deputy, confirmed=True, outcome=Outcome.PENDING)
    material = ActivityMaterial.objects.create(activity=activity, file="activity-materials/x.pdf", name="视察方案.pdf",
                                               file_type="pdf", size=10)
    event = events_of(feed(client, token))[f"activity-{activity.pk}@dutyadmin"]
    assert event.decoded("DTSTART") == activity.date
    assert event.decoded("DTEND") == activity.end_date + dt.timedelta(days=1)  # exclusive end (RFC 5545)
    assert str(event["LOCATION"]) == "东四街道办事处"
    description = str(event["DESCRIPTION"])
    assert "请着便装" in description and "视察方案.pdf" in description
    assert "http://testserver" + reverse("activities:material_download", args=[material.pk]) in description
    assert str(event["URL"]) == "http://testserver" + reverse("activities:detail", args=[activity.pk])
    assert str(event["STATUS"]) == "CONFIRMED"


def test_an_unanswered_invitation_is_tentative(client, token, deputy, today):
    activity = factories.ActivityFactory(term=deputy.term, date=today + dt.timedelta(days=3))
    factories.ParticipationFactory(activity=activity, deputy=deputy, confirmed=False, outcome=Outcome.PENDING)
    event = events_of(feed(client, token))[f"activity-{activity.pk}@dutyadmin"]
    assert str(event["STATUS"]) == "TENTATIVE"
    assert "尚未答复" in str(event["DESCRIPTION"])


def test_declined_and_excused_invitations_are_left_out(client, token, deputy, today):
    declined = factories.ActivityFactory(term=deputy.term, title="不能参加的活动", date=today + dt.timedelta(days=3))
    factories.ParticipationFactory(activity=declined, deputy=deputy, confirmed=False, outcome=Outcome.PENDING,
                                   answered_at=timezone.now(), decline_reason="出差")
    excused = factories.ActivityFactory(term=deputy.term, title="已请假的活动", date=today - dt.timedelta(days=3))
    factories.ParticipationFactory(activity=excused, deputy=deputy, confirmed=True, outcome=Outcome.EXCUSED)
    attended = factories.ActivityFactory(term=deputy.term, title="参加了的活动", date=today - dt.timedelta(days=3))
    factories.ParticipationFactory(activity=attended, deputy=deputy, outcome=Outcome.ATTENDED)
    uids = set(events_of(feed(client, token)))
    assert f"activity-{declined.pk}@dutyadmin" not in uids
    assert f"activity-{excused.pk}@dutyadmin" not in uids
    assert f"activity-{attended.pk}@dutyadmin" in uids


def test_other_deputies_invitations_are_absent(client, token, deputy, today):
    other = factories.DeputyFactory(term=deputy.term, name="别人")
    activity = factories.ActivityFactory(term=deputy.term, title="别人的活动", date=today + dt.timedelta(days=3))
    factories.ParticipationFactory(activity=activity, deputy=other, outcome=Outcome.PENDING)
    response = feed(client, token)
    assert f"activity-{activity.pk}@dutyadmin" not in events_of(response)
    assert "别人的活动".encode() not in response.content


def test_old_records_and_other_terms_stay_out(client, token, deputy, today):
    old = factories.ActivityFactory(term=deputy.term, date=today - dt.timedelta(days=400))
    factories.ParticipationFactory(activity=old, deputy=deputy)
    assert f"activity-{old.pk}@dutyadmin" not in events_of(feed(client, token))


def test_nothing_on_suspended_days(client, token, deputy, session, today):
    factories.SuspensionFactory(deputy=deputy, start_date=today - dt.timedelta(days=1), end_date=None)
    meeting = factories.MeetingFactory(session=session, date=session.start_date)
    activity = factories.ActivityFactory(term=deputy.term, date=today + dt.timedelta(days=2))
    factories.ParticipationFactory(activity=activity, deputy=deputy, outcome=Outcome.PENDING)
    assert events_of(feed(client, token)) == {}
    assert meeting.pk and activity.pk


def test_an_unknown_and_a_revoked_address_get_the_same_404(client, user, deputy, token):
    unknown = feed(client, "x" * 43)
    calendar_key_revoke(user=user, deputy=deputy)
    revoked = feed(client, token)
    assert unknown.status_code == revoked.status_code == 404
    assert unknown.content == revoked.content


def test_a_reset_invalidates_the_old_address(client, user, deputy, token):
    new = calendar_key_reset(user=user, deputy=deputy)
    assert new != token
    assert feed(client, token).status_code == 404
    assert feed(client, new).status_code == 200
    assert CalendarFeedKey.objects.filter(deputy=deputy, revoked_at__isnull=True).count() == 1


def test_the_token_is_stored_only_as_its_hash(client, deputy, token):
    key = CalendarFeedKey.objects.get(deputy=deputy, revoked_at__isnull=True)
    assert key.token_hash == hashlib.sha256(token.encode()).hexdigest()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {CalendarFeedKey._meta.db_table}")
        rows = cursor.fetchall()
    assert token not in repr(rows)


def test_using_the_address_is_noted(client, deputy, token):
    assert CalendarFeedKey.objects.get(deputy=deputy).last_used_at is None
    feed(client, token)
    assert CalendarFeedKey.objects.get(deputy=deputy).last_used_at is not None


def test_the_feed_costs_the_same_queries_however_many_events(client, token, deputy, session, today,
                                                            django_assert_max_num_queries):
    def add(n: int) -> None:
        for i in range(n):
            meeting = factories.MeetingFactory(session=session, date=session.start_date)
            factories.LeaveRequestFactory(deputy=deputy, session=session, route=LeaveRoute.DELEGATION_MEETING,
                                          status=LeaveStatus.APPROVED).meetings.add(meeting)
            activity = factories.ActivityFactory(term=deputy.term, date=today + dt.timedelta(days=i + 1))
            factories.ParticipationFactory(activity=activity, deputy=deputy, outcome=Outcome.PENDING)
            ActivityMaterial.objects.create(activity=activity, file=f"activity-materials/{i}.pdf", name=f"{i}.pdf",
                                            file_type="pdf", size=1)

    add(1)
    with django_assert_max_num_queries(8):
        assert len(events_of(feed(client, token))) == 2
    add(6)
    with django_assert_max_num_queries(8):
        assert len(events_of(feed(client, token))) == 14


def test_calendar_apps_may_ask_with_head_but_not_post(client, token):
    url = reverse("calendar:feed", args=[token])
    assert client.head(url).status_code == 200
    assert client.post(url).status_code == 405
