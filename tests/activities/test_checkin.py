"""Check-in by QR code for an activity (自助签到): the code page, the token, each refusal, idempotence."""
from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from activities.choices import OrganizerLevel, Outcome
from activities.models import Participation
from activities.services import activity_checkin_token, participation_save
from dutyadmin.checkin import CheckinDays, make_token
from dutyadmin.roles import Role
from oversight.models import YearReview
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def today() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def activity(world, today):
    return factories.ActivityFactory(term=world["term"], title="视察老旧小区改造", date=today, location="东四街道办事处",
                                     organizer_level=OrganizerLevel.STREET_COMMITTEE, street_committee=world["dongsi"])


def scan_url(activity, token=None) -> str:
    return reverse("activities:checkin", args=[activity.pk, token or activity_checkin_token(activity)])


def page(response) -> str:
    return response.content.decode()


# --- the printable code page and who may open it ---


def test_the_code_page_shows_the_qr_code_title_day_place_and_url(login, activity, today):
    response = login(Role.STREET_STAFF).get(reverse("activities:checkin_code", args=[activity.pk]))
    assert response.status_code == 200
    text = page(response)
    assert "<svg" in text and "视察老旧小区改造" in text and "东四街道办事处" in text
    assert f"{today.year}年{today.month}月{today.day}日" in text
    assert "http://testserver" + scan_url(activity) in text
    assert "@page" in text  # printable on A4


@pytest.mark.parametrize("role", [Role.DEPUTY, Role.DELEGATION_HEAD, Role.SECRETARIAT, "nobody"])
def test_only_staff_who_enter_the_activity_may_print_its_code(login, activity, role):
    assert login(role).get(reverse("activities:checkin_code", args=[activity.pk])).status_code == 403


def test_another_streets_staff_may_not_print_the_code(world, activity):
    client = Client()
    client.force_login(factories.make_user(Role.STREET_STAFF, street_committee=world["chaoyang"]))
    assert client.get(reverse("activities:checkin_code", args=[activity.pk])).status_code == 403


def test_the_detail_page_links_the_code_for_its_staff_only(login, activity):
    detail = reverse("activities:detail", args=[activity.pk])
    code = reverse("activities:checkin_code", args=[activity.pk])
    assert code in page(login(Role.STREET_STAFF).get(detail))
    assert code not in page(login(Role.DEPUTY).get(detail))


# --- a deputy's scan ---


def test_a_scan_asks_to_confirm_then_records_attended_marked_self_checked_in(login, world, personas, activity):
    factories.ParticipationFactory(activity=activity, deputy=world["zhang"], outcome=Outcome.PENDING)
    client = login(Role.DEPUTY)
    response = client.get(scan_url(activity))
    assert response.status_code == 200 and "确认签到" in page(response)
    assert not Participation.objects.get(deputy=world["zhang"]).self_checked_in  # a GET changes nothing
    response = client.post(scan_url(activity))
    assert response.status_code == 200 and "签到成功" in page(response)
    p = Participation.objects.get(activity=activity, deputy=world["zhang"])
    assert p.outcome == Outcome.ATTENDED and p.self_checked_in and p.self_checked_in_at is not None
    assert p.history.first().history_user == personas[Role.DEPUTY]  # the deputy is the actor


def test_a_deputy_not_invited_is_added_marked(login, world, activity):
    login(Role.DEPUTY).post(scan_url(activity))
    p = Participation.objects.get(activity=activity, deputy=world["zhang"])
    assert p.outcome == Outcome.ATTENDED and p.self_checked_in


def test_a_second_scan_says_already_checked_in_and_changes_nothing(login, world, activity):
    client = login(Role.DEPUTY)
    client.post(scan_url(activity))
    p = Participation.objects.get(activity=activity, deputy=world["zhang"])
    versions, at = p.history.count(), p.self_checked_in_at
    for response in (client.get(scan_url(activity)), client.post(scan_url(activity))):
        assert response.status_code == 200 and "您已签到" in page(response)
    p.refresh_from_db()
    assert p.history.count() == versions and p.self_checked_in_at == at
    assert Participation.objects.filter(activity=activity).count() == 1


def test_logging_in_brings_the_deputy_back_to_the_scan(activity):
    url = scan_url(activity)
    response = Client().get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert "next=" in response["Location"] and str(activity.pk) in response["Location"]


# --- refusals: nothing is recorded, a clear Chinese page ---


def refused(client, url, words: str):
    response = client.post(url)
    assert response.status_code == 403, response.status_code
    assert words in page(response), page(response)
    return response


def test_a_forged_token_is_refused(login, activity):
    token = activity_checkin_token(activity)
    forged = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    refused(login(Role.DEPUTY), scan_url(activity, forged), "签到码无效")
    refused(login(Role.DEPUTY), scan_url(activity, "not-a-token"), "签到码无效")
    assert not Participation.objects.exists()


def test_another_activitys_token_is_refused(login, world, activity, today):
    other = factories.ActivityFactory(term=world["term"], date=today, organizer_level=OrganizerLevel.STREET_COMMITTEE,
                                      street_committee=world["dongsi"])
    refused(login(Role.DEPUTY), scan_url(activity, activity_checkin_token(other)), "不属于这项活动或会议")
    assert not Participation.objects.exists()


def test_a_meetings_token_does_not_open_an_activity(login, activity, today):
    token = make_token("meeting", activity.pk, CheckinDays(today, today))  # same id and day, other kind
    refused(login(Role.DEPUTY), scan_url(activity, token), "签到码无效")


def test_a_code_made_for_other_days_is_refused(login, activity, today):
    token = make_token("activity", activity.pk, CheckinDays(today - dt.timedelta(days=1), today - dt.timedelta(days=1)))
    refused(login(Role.DEPUTY), scan_url(activity, token), "签到码已失效")


def test_the_code_is_valid_only_on_the_activitys_days(login, world, today):
    yesterday = factories.ActivityFactory(term=world["term"], date=today - dt.timedelta(days=3),
                                          end_date=today - dt.timedelta(days=1))
    refused(login(Role.DEPUTY), scan_url(yesterday), "不能签到")
    tomorrow = factories.ActivityFactory(term=world["term"], date=today + dt.timedelta(days=1))
    refused(login(Role.DEPUTY), scan_url(tomorrow), "当天有效")
    assert not Participation.objects.exists()


def test_a_several_day_activity_takes_check_ins_on_each_of_its_days(login, world, today):
    running = factories.ActivityFactory(term=world["term"], date=today - dt.timedelta(days=1),
                                        end_date=today + dt.timedelta(days=1))
    assert login(Role.DEPUTY).post(scan_url(running)).status_code == 200
    assert Participation.objects.get(activity=running).self_checked_in


def test_moving_the_activity_voids_its_old_code(login, activity, today):
    token = activity_checkin_token(activity)
    activity.end_date = today + dt.timedelta(days=1)
    activity.save()
    refused(login(Role.DEPUTY), scan_url(activity, token), "签到码已失效")


def test_a_user_who_is_not_a_deputy_is_refused(login, activity):
    refused(login(Role.STREET_STAFF), scan_url(activity), "只有代表本人可以扫码签到")
    assert not Participation.objects.exists()


def test_a_deputy_of_another_term_is_refused(activity):
    term18 = factories.TermFactory(number=18, start_date=dt.date(2027, 1, 1), end_date=dt.date(2031, 12, 31))
    deputy = factories.DeputyFactory(term=term18, service_start=dt.date(2020, 1, 1))
    client = Client()
    client.force_login(factories.make_user(Role.DEPUTY, deputy=deputy))
    refused(client, scan_url(activity), "不是本届代表")


def test_a_deputy_out_of_service_that_day_is_refused(login, world, activity, today):
    world["zhang"].service_end = today - dt.timedelta(days=1)
    world["zhang"].save()
    refused(login(Role.DEPUTY), scan_url(activity), "不在您的任职期间内")


def test_a_suspended_deputy_is_refused(login, world, activity, today):
    factories.SuspensionFactory(deputy=world["zhang"], start_date=today - dt.timedelta(days=5), end_date=None)
    refused(login(Role.DEPUTY), scan_url(activity), "暂停执行代表职务")
    assert not Participation.objects.exists()


def test_an_approved_year_is_locked(login, world, activity, today):
    YearReview.objects.create(term=world["term"], year=today.year, street_committee=world["dongsi"], status="approved")
    response = refused(login(Role.DEPUTY), scan_url(activity), "该年度已审核锁定")
    assert "锁定" in page(response)
    assert not Participation.objects.exists()


# --- staff see it and can correct it ---


def test_staff_pages_show_self_check_in_and_staff_can_correct_the_outcome(login, world, activity):
    login(Role.DEPUTY).post(scan_url(activity))
    staff = login(Role.STREET_STAFF)
    assert "自助签到" in page(staff.get(reverse("activities:detail", args=[activity.pk])))
    assert "自助签到" in page(staff.get(reverse("activities:participations", args=[activity.pk])))
    p = Participation.objects.get(activity=activity)

    participation_save(user=factories.User.objects.get(username="staff"), participation=p,
                       data={"outcome": Outcome.ABSENT})
    p.refresh_from_db()
    assert p.outcome == Outcome.ABSENT and p.self_checked_in  # corrected, still shows how it came in
