"""Journey on a 390 px phone: the demo deputy (金晓明, `dongsi_deputy`) opens their progress page, which fits the
phone (no sideways scrolling, a few screens tall, not thirty thousand pixels), follows 去答复 to 我的邀请, is told
next to the field that declining needs a reason, confirms instead, and sees the invitation card (待答复 N → N-1) and
the A9.3 confirmation change. Screenshots at 1366 and 390 px land in tests/browser/screenshots/ (git-ignored)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from playwright.sync_api import expect

from activities.choices import ActivityKind, OrganizerLevel, Outcome
from activities.models import Activity, Participation
from deputies.models import Deputy
from dutyadmin import demo
from dutyadmin.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).parent / "screenshots"
PHONE = (390, 844)
WIDE = (1366, 900)
MAX_PHONE_HEIGHT = 6000

# Elements whose right edge is past the viewport (an element inside a box that scrolls sideways on purpose is not).
WIDER_THAN_VIEWPORT = """() => {
  const width = document.documentElement.clientWidth;
  return [...document.querySelectorAll('body *')].filter(e => {
    const box = e.getBoundingClientRect();
    if (box.width === 0 || box.right <= width + 1) return false;
    for (let p = e.parentElement; p; p = p.parentElement) {
      const overflow = getComputedStyle(p).overflowX;
      if (overflow === 'auto' || overflow === 'scroll' || overflow === 'hidden') return false;
    }
    return true;
  }).slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right));
}"""


def shoot(page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def assert_fits_the_phone(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE[0]
    assert page.evaluate(WIDER_THAN_VIEWPORT) == []


def count(page, name: str) -> int:
    return int(page.locator(f"#invitations .count-{name} b").inner_text())


@pytest.fixture
def demo_deputy(db):
    """The demo district, and one more invitation of its deputy to an activity three days from now."""
    for name in Role.values:  # a transactional test before this one flushed the groups the migration made
        Group.objects.get_or_create(name=name)
    demo.demo_seed()
    deputy = Deputy.objects.get(name=demo.DEMO_DEPUTY_NAME)
    activity = Activity.objects.create(
        term=deputy.term, kind=ActivityKind.INSPECTION, title="视察东四街道背街小巷整治",
        date=timezone.localdate() + dt.timedelta(days=3), organizer_level=OrganizerLevel.STREET_COMMITTEE,
        street_committee=deputy.street_committee, location="东四街道",
    )
    invitation = Participation.objects.create(activity=activity, deputy=deputy, confirmed=False,
                                              outcome=Outcome.PENDING)
    return {"deputy": deputy, "invitation": invitation,
            "user": get_user_model().objects.get(username="dongsi_deputy")}


def test_a_deputy_on_a_phone_answers_an_invitation_and_sees_the_progress_card_change(
        page_as, live_server, demo_deputy):
    deputy, invitation = demo_deputy["deputy"], demo_deputy["invitation"]
    progress_url = f"{live_server.url}/oversight/deputies/{deputy.pk}/"
    page = page_as(demo_deputy["user"], password=demo.DEMO_PASSWORD, viewport=PHONE)

    # The progress page fits the phone: no sideways scrolling, a few screens tall.
    page.goto(progress_url)
    expect(page.locator("h1")).to_have_text("我的履职评估")
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < MAX_PHONE_HEIGHT, height
    assert_fits_the_phone(page)
    # A rule's record titles get a line of their own: wider than a few characters.
    first_title = page.locator("#rule-closed_session_activities ul.records li .title").first
    assert first_title.bounding_box()["width"] > 200
    shoot(page, "progress-390")
    waiting, confirmed = count(page, "unanswered"), count(page, "confirmed")
    assert waiting >= 1

    # 去答复 → 我的邀请.
    page.locator("#invitations").get_by_role("link", name="去答复").click()
    expect(page.locator("h1")).to_have_text("我的邀请")
    assert_fits_the_phone(page)
    card = page.locator(f"#invitation-{invitation.pk}")
    expect(card).to_contain_text("视察东四街道背街小巷整治")
    expect(card.locator(".answer-state")).to_contain_text("未答复")

    # Declining without a reason: refused next to the reason field, nothing changed.
    card.get_by_role("button", name="不能参加").click()
    card = page.locator(f"#invitation-{invitation.pk}")
    expect(card.locator(".field.has-error")).to_contain_text("请填写不能参加的原因")
    invitation.refresh_from_db()
    assert invitation.answered_at is None

    # Confirming: the card says so, with what A9.3 makes of it.
    card.get_by_role("button", name="确定参加").click()
    expect(page.locator(".alert-success")).to_contain_text("已答复:确定参加")
    card = page.locator(f"#invitation-{invitation.pk}")
    expect(card.locator(".answer-state")).to_contain_text("确定参加")
    expect(card.locator(".a93")).to_contain_text("第九条第三项")
    expect(page.locator(".invitation-counts .count-unanswered b")).to_have_text(str(waiting - 1))
    shoot(page, "invitations-390")

    # Back on the progress page the invitations card has one fewer to answer.
    page.goto(progress_url)
    assert count(page, "unanswered") == waiting - 1
    assert count(page, "confirmed") == confirmed + 1
    invitation.refresh_from_db()
    assert invitation.confirmed and invitation.answered_at is not None

    page.goto(f"{live_server.url}/activities/")  # a deputy's activities: their own
    expect(page.locator("h1")).to_have_text("我的活动")
    assert_fits_the_phone(page)
    shoot(page, "my-activities-390")

    wide = page_as(demo_deputy["user"], password=demo.DEMO_PASSWORD, viewport=WIDE)
    for name, path in (("progress", f"/oversight/deputies/{deputy.pk}/"), ("invitations", "/activities/invitations/"),
                       ("my-activities", "/activities/mine/")):
        wide.goto(f"{live_server.url}{path}")
        assert wide.evaluate("document.documentElement.scrollWidth") <= WIDE[0]
        shoot(wide, f"{name}-1366")
