"""Issue 17: a repeated or raced step of the year-end review (submit, return, approve, reopen) is a Conflict —
409 with the review's current state — and does nothing twice (no second event, no second history row)."""
import datetime as dt

import pytest

from dutyadmin.roles import Role
from dutyadmin.services import Conflict
from oversight.choices import ReviewStatus
from oversight.models import YearReview, YearReviewEvent
from oversight.review.services import (
    year_review_approve,
    year_review_open,
    year_review_reopen,
    year_review_return,
    year_review_submit,
)

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 3, 1)


@pytest.fixture
def review(world):
    return year_review_open(term=world["term"], year=2024, street_committee=world["dongsi"])


def street_url(world) -> str:
    return f"/oversight/reviews/{world['term'].pk}/2024/{world['dongsi'].pk}/"


def _counts(review) -> tuple[int, int]:
    return YearReviewEvent.objects.filter(review=review).count(), YearReview.history.filter(id=review.pk).count()


def test_each_repeated_step_is_a_conflict_with_the_current_state(world, personas, review):
    staff, liaison = personas[Role.STREET_STAFF], personas[Role.LIAISON_OFFICE]
    year_review_submit(user=staff, review=review, today=TODAY)
    before = _counts(review)
    with pytest.raises(Conflict) as caught:
        year_review_submit(user=staff, review=review, today=TODAY)
    assert caught.value.current["status"] == ReviewStatus.SUBMITTED and "已报送" in caught.value.message
    assert _counts(review) == before

    year_review_approve(user=liaison, review=review, today=TODAY)
    before = _counts(review)
    for again in (lambda: year_review_approve(user=liaison, review=review, today=TODAY),
                  lambda: year_review_return(user=liaison, review=review, reasons={world["zhang"].pk: "补材料"}),
                  lambda: year_review_submit(user=staff, review=review, today=TODAY)):
        with pytest.raises(Conflict) as caught:
            again()
        assert caught.value.current["status"] == ReviewStatus.APPROVED
        assert caught.value.current["reviewed_by"] == liaison.pk
    assert _counts(review) == before

    year_review_reopen(user=liaison, review=review, reason="补录")
    before = _counts(review)
    with pytest.raises(Conflict) as caught:
        year_review_reopen(user=liaison, review=review, reason="补录")
    assert caught.value.current["status"] == ReviewStatus.REOPENED and "只有已审核通过的才能重新开放" in caught.value.message
    assert _counts(review) == before


def test_a_repeated_step_on_the_page_is_a_409_with_the_message(login, world):
    login(Role.STREET_STAFF).post(street_url(world), {"action": "submit"})
    staff = login(Role.STREET_STAFF)
    response = staff.post(street_url(world), {"action": "submit"})
    assert response.status_code == 409
    page = response.content.decode()
    assert "当前状态为“已报送" in page and "请查看最新状态" in page
    liaison = login(Role.LIAISON_OFFICE)
    assert liaison.post(street_url(world), {"action": "approve", "confirm_reviewed": "on"}).status_code == 302
    response = liaison.post(street_url(world), {"action": "reopen", "reason": "补录"})
    assert response.status_code == 302
    response = liaison.post(street_url(world), {"action": "reopen", "reason": "补录"})
    assert response.status_code == 409 and "只有已审核通过的才能重新开放" in response.content.decode()
