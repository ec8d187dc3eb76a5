"""我的日历订阅: the deputy makes, resets and turns off their feed address; staff cannot; the office can revoke."""
from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings
from django.urls import reverse

from deputies.models import CalendarFeedKey
from deputies.services import calendar_key_reset
from dutyadmin.roles import Role

PAGE = "/calendar/"
FEED_RE = re.compile(r"http://testserver/calendar/([A-Za-z0-9_-]{43})\.ics")


def test_the_page_is_at_calendar_and_in_the_deputys_menu(login):
    assert reverse("calendar:page") == PAGE
    response = login(Role.DEPUTY).get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert "我的日历订阅" in html and f'href="{PAGE}"' in html
    assert "生成订阅链接" in html and "添加已订阅的日历" in html and "通过 URL 订阅" in html
    assert "任何拿到这个链接的人都能看到您的会议和活动日程" in html
    assert not CalendarFeedKey.objects.exists()


def test_making_the_address_shows_it_once_with_copy_and_webcal(login, world):
    client = login(Role.DEPUTY)
    response = client.post(reverse("calendar:reset"))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    token = FEED_RE.search(html).group(1)
    assert f"webcal://testserver/calendar/{token}.ics" in html
    assert 'data-copy-target="calendar-feed-url"' in html and "js/calendar.js" in html
    assert client.get(reverse("calendar:feed", args=[token])).status_code == 200
    # shown once: the page does not show it again
    again = client.get(PAGE).content.decode()
    assert token not in again and "重置链接" in again and "停用链接" in again
    assert CalendarFeedKey.objects.get().deputy == world["zhang"]


def test_a_reset_on_the_page_turns_the_old_address_off(login):
    client = login(Role.DEPUTY)
    first = FEED_RE.search(client.post(reverse("calendar:reset")).content.decode()).group(1)
    response = client.post(reverse("calendar:reset"))
    assert "原链接已失效" in response.content.decode()
    second = FEED_RE.search(response.content.decode()).group(1)
    assert first != second
    assert client.get(reverse("calendar:feed", args=[first])).status_code == 404
    assert client.get(reverse("calendar:feed", args=[second])).status_code == 200


def test_turning_it_off_on_the_page(login):
    client = login(Role.DEPUTY)
    token = FEED_RE.search(client.post(reverse("calendar:reset")).content.decode()).group(1)
    response = client.post(reverse("calendar:revoke"), follow=True)
    assert "已停用订阅链接" in response.content.decode()
    assert client.get(reverse("calendar:feed", args=[token])).status_code == 404
    assert "生成订阅链接" in response.content.decode()


def test_reset_and_revoke_take_post_only(login):
    client = login(Role.DEPUTY)
    assert client.get(reverse("calendar:reset")).status_code == 405
    assert client.get(reverse("calendar:revoke")).status_code == 405
    assert not CalendarFeedKey.objects.exists()


def test_staff_get_a_clear_403_and_no_menu_entry(login):
    for role in (Role.LIAISON_OFFICE, Role.STREET_STAFF, Role.ADMIN):
        client = login(role)
        response = client.get(PAGE)
        assert response.status_code == 403
        assert "日历订阅只面向代表本人" in response.content.decode()
        assert client.post(reverse("calendar:reset")).status_code == 403
        assert f'href="{PAGE}"' not in client.get("/").content.decode()
    assert not CalendarFeedKey.objects.exists()


def test_anonymous_users_are_sent_to_log_in(client):
    response = client.get(PAGE)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_liaison_office_can_turn_a_deputys_address_off(login, personas, world):
    zhang = world["zhang"]
    token = calendar_key_reset(user=personas[Role.DEPUTY], deputy=zhang)
    office = login(Role.LIAISON_OFFICE)
    page = office.get(reverse("deputies:detail", args=[zhang.pk])).content.decode()
    assert "日历订阅链接" in page and "停用订阅链接" in page and token not in page
    # street staff see the deputy but cannot turn the address off
    assert login(Role.STREET_STAFF).post(reverse("calendar:deputy_revoke", args=[zhang.pk])).status_code == 403
    assert office.get(reverse("calendar:feed", args=[token])).status_code == 200
    response = office.post(reverse("calendar:deputy_revoke", args=[zhang.pk]), follow=True)
    assert "已停用张东代表的日历订阅链接" in response.content.decode()
    assert office.get(reverse("calendar:feed", args=[token])).status_code == 404
    assert CalendarFeedKey.objects.get().revoked_by == personas[Role.LIAISON_OFFICE]


def test_the_page_costs_a_fixed_number_of_queries(login, world, django_assert_max_num_queries):
    client = login(Role.DEPUTY)
    client.post(reverse("calendar:reset"))
    with django_assert_max_num_queries(12):
        assert client.get(PAGE).status_code == 200


def test_the_template_has_no_inline_script():
    text = (Path(settings.BASE_DIR) / "templates/oversight/calendar.html").read_text()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text)
    assert "onclick" not in text and "onsubmit" not in text


def test_the_deputys_page_says_nothing_of_a_feed_that_does_not_exist(login, world):
    page = login(Role.LIAISON_OFFICE).get(reverse("deputies:detail", args=[world["zhang"].pk])).content.decode()
    assert "停用订阅链接" not in page
