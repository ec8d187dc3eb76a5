"""Public duty page in a browser, without signing in: a deputy with records in an approved year (2023) and an
unapproved one (2024), an absence pattern that is a finding in 2024, an unpublished intervention and a phone.
Only 2023's counts appear; on a 390 px phone the page does not scroll sideways."""
from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from meetings.choices import AttendanceStatus
from oversight.choices import ReviewStatus
from oversight.models import PublicDutySettings, YearReview
from tests.factories import (
    ActivityFactory, AttendanceFactory, CongressSessionFactory, DeputyFactory, InterventionFactory, MeetingFactory,
    ParticipationFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_public_page_shows_only_the_approved_year(browser, live_server):
    cache.clear()
    PublicDutySettings.objects.create(pk=1, enabled=True)
    d = DeputyFactory(name="赵公开", phone="13800009999")
    YearReview.objects.create(term=d.term, year=2023, street_committee=d.street_committee,
                              status=ReviewStatus.APPROVED)
    ParticipationFactory(deputy=d, activity=ActivityFactory(term=d.term, date=dt.date(2023, 5, 1)))
    for day in (dt.date(2024, 5, 1), dt.date(2024, 6, 1), dt.date(2024, 7, 1), dt.date(2024, 8, 1)):
        ParticipationFactory(deputy=d, activity=ActivityFactory(term=d.term, date=day))
    s24 = CongressSessionFactory(term=d.term, start_date=dt.date(2024, 1, 10), end_date=dt.date(2024, 1, 12))
    for _ in range(3):  # absences in 2024: a finding, not approved, not public
        AttendanceFactory(deputy=d, meeting=MeetingFactory(session=s24), status=AttendanceStatus.ABSENT)
    InterventionFactory(deputy=d, date=dt.date(2023, 2, 1), published=False)

    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/public/")
        page.get_by_label("查找代表").fill("赵公")
        page.get_by_role("button", name="查找").click()
        page.get_by_role("link", name="赵公开").click()
        expect(page.get_by_role("heading", name="赵公开")).to_be_visible()
        expect(page.get_by_role("heading", name="2023年度履职情况")).to_be_visible()
        year = page.locator("section.year")
        expect(year).to_have_count(1)
        expect(year).to_contain_text("1次")
        body = page.locator("body")
        expect(body).not_to_contain_text("2024")
        expect(body).not_to_contain_text("4次")
        expect(body).not_to_contain_text("缺席")
        expect(body).not_to_contain_text("13800009999")
        expect(body).not_to_contain_text("履职处置")
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 391
    finally:
        context.close()
