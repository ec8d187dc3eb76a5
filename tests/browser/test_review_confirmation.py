"""Journey (issue 11): the liaison office cannot approve a review without seeing an open 资格终止. The street's
page shows the termination set off in 2025 on the 2026 review; approving goes through a confirmation page that
lists it and, while 2026 runs, needs a second, explicit confirmation. Screenshots of both pages at 1366 and 390 px
go to tests/browser/screenshots/ (git-ignored)."""
import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from dutyadmin.roles import Role
from oversight.choices import ReviewStatus
from oversight.models import YearReview
from oversight.review.services import year_review_open, year_review_submit
from tests import factories
from tests.oversight.records import attend, session_with_meetings

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).parent / "screenshots"
TODAY = dt.date(2026, 12, 2)


def shoot(page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_the_liaison_office_cannot_approve_a_review_without_seeing_an_open_termination(
        page_for_role, live_server, world, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)
    term, li = world["term"], world["li"]
    for number, start in ((4, dt.date(2025, 1, 8)), (5, dt.date(2025, 3, 3))):
        _session, meetings = session_with_meetings(term, start, start + dt.timedelta(days=2), number=number)
        attend(li, meetings, "absent")  # two sessions missed without leave: 资格终止, set off in 2025
        attend(world["zhang"], meetings, "present")
    staff = factories.make_user(Role.STREET_STAFF, street_committee=world["dongsi"])
    review = year_review_open(term=term, year=2026, street_committee=world["dongsi"])
    year_review_submit(user=staff, review=review, today=TODAY)
    street_url = f"{live_server.url}/oversight/reviews/{term.pk}/2026/{world['dongsi'].pk}/"

    for width, height in ((1366, 900), (390, 844)):
        liaison = page_for_role(Role.LIAISON_OFFICE, viewport=(width, height))
        liaison.goto(f"{live_server.url}/oversight/reviews/?year=2026")
        expect(liaison.locator("table.review-board tr", has_text="东四").locator("a.badge-bad")).to_be_visible()
        shoot(liaison, f"review-board-{width}")
        liaison.goto(street_url)
        row = liaison.locator(f"#deputy-{li.pk}")
        expect(row).to_contain_text("资格终止")
        expect(row).to_contain_text("2025年")
        expect(row).not_to_contain_text("无未达标或待处置事项")
        expect(liaison.locator("nav a.active")).to_have_count(1)
        shoot(liaison, f"review-street-{width}")

        liaison.get_by_role("link", name="审核通过…").click()
        expect(liaison.locator("h1")).to_contain_text("确认审核通过")
        expect(liaison.locator("#open-actions")).to_contain_text("李四")
        expect(liaison.locator("#open-actions")).to_contain_text("资格终止")
        expect(liaison.locator("#year-not-over")).to_contain_text("2026年度尚未结束")
        shoot(liaison, f"review-confirm-{width}")

    # Without the confirmations nothing is locked.
    liaison.get_by_role("button", name="确认审核通过并锁定").click()
    expect(liaison.locator("#approve-form")).to_contain_text("请先核对上述事项并勾选确认")
    liaison.get_by_label("我已核对上述待处置事项", exact=False).check()
    liaison.get_by_role("button", name="确认审核通过并锁定").click()
    expect(liaison.locator("#approve-form")).to_contain_text("我已知晓本年度尚未结束")
    expect(liaison.locator(".has-error")).to_have_count(1)
    assert YearReview.objects.get(pk=review.pk).status == ReviewStatus.SUBMITTED

    # With both, the year is approved and locked.
    liaison.get_by_label("我已核对上述待处置事项", exact=False).check()
    liaison.get_by_label("我已知晓本年度尚未结束", exact=False).check()
    liaison.get_by_role("button", name="确认审核通过并锁定").click()
    expect(liaison.locator("#review-status")).to_have_text("已审核通过")
    assert YearReview.objects.get(pk=review.pk).status == ReviewStatus.APPROVED
