"""Check-in by QR code for a meeting (自助签到): the code page, present marked, refusals, idempotence."""
from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dutyadmin.checkin import CheckinDays, make_token
from dutyadmin.roles import Role
from meetings.choices import AttendanceStatus
from meetings.models import Attendance
from meetings.services import attendance_bulk_upsert, meeting_checkin_token
from oversight.models import YearReview
from tests import factories
from tests.ui import conftest as ui

pytestmark = pytest.mark.django_db

# the UI personas and small district (东四: 张东, 李四; the deputy persona is 张东) as this module's fixtures
world, personas, login = ui.world, ui.personas, ui.login


@pytest.fixture
def today() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def meeting(world, today):
    session = factories.CongressSessionFactory(term=world["term"], number=6, name="第六次会议",
                                               start_date=today - dt.timedelta(days=1), end_date=today + dt.timedelta(days=1))
    return factories.MeetingFactory(session=session, title="第二次全体会议", date=today)


def scan_url(meeting, token=None) -> str:
    return reverse("meetings:checkin", args=[meeting.pk, token or meeting_checkin_token(meeting)])


def page(response) -> str:
    return response.content.decode()


def refused(client, url, words):
    response = client.post(url)
    assert response.status_code == 403 and words in page(response), page(response)


def test_the_secretariat_prints_the_code(login, meeting, today):
    response = login(Role.SECRETARIAT).get(reverse("meetings:checkin_code", args=[meeting.pk]))
    text = page(response)
    assert response.status_code == 200 and "<svg" in text and "第二次全体会议" in text
    assert f"{today.year}年{today.month}月{today.day}日" in text and scan_url(meeting) in text
    sheet = page(login(Role.SECRETARIAT).get(reverse("meetings:attendance_sheet", args=[meeting.pk])))
    assert reverse("meetings:checkin_code", args=[meeting.pk]) in sheet


@pytest.mark.parametrize("role", [Role.STREET_STAFF, Role.DEPUTY, Role.DELEGATION_HEAD, Role.LIAISON_OFFICE])
def test_only_those_who_record_attendance_may_print_the_code(login, meeting, role):
    assert login(role).get(reverse("meetings:checkin_code", args=[meeting.pk])).status_code == 403


def test_a_scan_records_present_marked_with_the_deputy_as_actor(login, world, personas, meeting):
    client = login(Role.DEPUTY)
    assert "确认签到" in page(client.get(scan_url(meeting)))
    assert not Attendance.objects.exists()
    response = client.post(scan_url(meeting))
    assert response.status_code == 200 and "签到成功" in page(response)
    a = Attendance.objects.get(meeting=meeting, deputy=world["zhang"])
    assert a.status == AttendanceStatus.PRESENT and a.self_checked_in and a.self_checked_in_at
    assert a.history.first().history_user == personas[Role.DEPUTY]


def test_a_deputy_recorded_absent_who_scans_is_present(login, world, meeting):
    factories.AttendanceFactory(meeting=meeting, deputy=world["zhang"], status=AttendanceStatus.ABSENT)
    login(Role.DEPUTY).post(scan_url(meeting))
    assert Attendance.objects.get(meeting=meeting, deputy=world["zhang"]).status == AttendanceStatus.PRESENT


def test_a_second_scan_is_idempotent(login, meeting):
    client = login(Role.DEPUTY)
    client.post(scan_url(meeting))
    versions = Attendance.objects.get().history.count()
    response = client.post(scan_url(meeting))
    assert response.status_code == 200 and "您已签到" in page(response)
    assert Attendance.objects.get().history.count() == versions


def test_the_attendance_sheet_shows_self_check_in_and_a_resave_keeps_it(login, world, personas, meeting):
    login(Role.DEPUTY).post(scan_url(meeting))
    url = reverse("meetings:attendance_sheet", args=[meeting.pk])
    assert "自助签到" in page(login(Role.SECRETARIAT).get(url))
    attendance_bulk_upsert(user=personas[Role.SECRETARIAT], meeting=meeting,
                           records=[{"deputy": world["zhang"].pk, "status": "absent"}])  # staff correct it
    a = Attendance.objects.get()
    assert a.status == AttendanceStatus.ABSENT and a.self_checked_in


def test_forged_other_meeting_other_kind_and_other_day_tokens_are_refused(login, meeting, today):
    client = login(Role.DEPUTY)
    token = meeting_checkin_token(meeting)
    refused(client, scan_url(meeting, token[:-2] + ("xx" if not token.endswith("xx") else "yy")), "签到码无效")
    other = factories.MeetingFactory(session=meeting.session, date=today)
    refused(client, scan_url(meeting, meeting_checkin_token(other)), "不属于这项活动或会议")
    refused(client, scan_url(meeting, make_token("activity", meeting.pk, CheckinDays(today, today))), "签到码无效")
    tomorrow = factories.MeetingFactory(session=meeting.session, date=today + dt.timedelta(days=1))
    refused(client, scan_url(tomorrow), "当天有效")
    yesterday = factories.MeetingFactory(session=meeting.session, date=today - dt.timedelta(days=1))
    refused(client, scan_url(yesterday), "当天有效")
    assert not Attendance.objects.exists()


def test_refusals_for_who_the_user_is(login, world, meeting, today):
    refused(login(Role.SECRETARIAT), scan_url(meeting), "只有代表本人可以扫码签到")
    factories.SuspensionFactory(deputy=world["zhang"], start_date=today, end_date=today)
    refused(login(Role.DEPUTY), scan_url(meeting), "暂停执行代表职务")
    world["li"].service_end = today - dt.timedelta(days=1)
    world["li"].save()
    client = Client()
    client.force_login(factories.make_user(Role.DEPUTY, deputy=world["li"]))
    refused(client, scan_url(meeting), "不在您的任职期间内")
    assert not Attendance.objects.exists()


def test_an_approved_year_is_locked(login, world, meeting, today):
    YearReview.objects.create(term=world["term"], year=today.year, street_committee=world["dongsi"], status="approved")
    refused(login(Role.DEPUTY), scan_url(meeting), "该年度已审核锁定")
    assert not Attendance.objects.exists()
