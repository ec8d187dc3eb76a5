"""The year-end review's steps (Art. 8(二)): a street submits, the liaison office returns single deputies
with a reason or approves, the street resubmits, the liaison office reopens with a reason; all kept."""
import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from activities.choices import ActivityKind
from dutyadmin.roles import Role
from oversight.choices import EntryStatus, ReviewAction, ReviewStatus
from oversight.models import YearReview
from oversight.review.deadlines import deadline_for, default_deadline
from oversight.review.lock import assert_year_open, is_year_locked
from oversight.review.services import (
    review_deadline_set,
    year_review_approve,
    year_review_open,
    year_review_reopen,
    year_review_return,
    year_review_submit,
)
from tests import factories

TODAY = dt.date(2026, 3, 1)


@pytest.fixture
def review(world):
    return year_review_open(term=world["term"], year=2024, street_committee=world["dongsi"])


def entries(review) -> dict:
    return {e.deputy.name: e for e in review.entries.select_related("deputy")}


def test_opening_a_year_lists_the_streets_deputies_in_service_that_year(world, review):
    factories.DeputyFactory(term=world["term"], name="补选代表", street_committee=world["dongsi"],
                            delegation=world["del_ds"], service_start=dt.date(2025, 2, 1))
    review = year_review_open(term=world["term"], year=2024, street_committee=world["dongsi"])
    assert review.status == ReviewStatus.DRAFT
    assert set(entries(review)) == {"张东", "李四"}
    assert set(entries(year_review_open(term=world["term"], year=2025, street_committee=world["dongsi"]))) == {
        "张东", "李四", "补选代表"}


def test_a_year_outside_the_term_cannot_be_opened(world):
    with pytest.raises(ValidationError) as error:
        year_review_open(term=world["term"], year=2030, street_committee=world["dongsi"])
    assert "任期内" in str(error.value)


def test_street_staff_submit_with_each_deputys_figures(world, personas, review):
    activity = factories.ActivityFactory(term=world["term"], kind=ActivityKind.INSPECTION, date=dt.date(2024, 5, 1))
    factories.ParticipationFactory(activity=activity, deputy=world["zhang"])
    year_review_submit(user=personas[Role.STREET_STAFF], review=review, note="全部核对", today=TODAY)
    review.refresh_from_db()
    assert review.status == ReviewStatus.SUBMITTED and review.note == "全部核对"
    assert review.submitted_by == personas[Role.STREET_STAFF] and review.submitted_at is not None
    zhang = entries(review)["张东"]
    assert zhang.status == EntryStatus.SUBMITTED
    assert zhang.snapshot["rules"]["closed_session_activities"] == [1, 3, "missed"]
    assert [(e.action, e.reason) for e in review.events.all()] == [(ReviewAction.SUBMIT, "全部核对")]


@pytest.mark.parametrize("role", [Role.LIAISON_OFFICE, Role.STREET_DIRECTOR, Role.DEPUTY, "nobody"])
def test_only_the_streets_staff_submit(world, personas, review, role):
    with pytest.raises(PermissionDenied):
        year_review_submit(user=personas[role], review=review, today=TODAY)


def test_another_streets_staff_cannot_submit(world, make_user, review):
    other = make_user(Role.STREET_STAFF, street_committee=world["chaoyang"])
    with pytest.raises(PermissionDenied):
        year_review_submit(user=other, review=review, today=TODAY)


def test_a_year_not_begun_cannot_be_submitted(world, personas):
    review = year_review_open(term=world["term"], year=2026, street_committee=world["dongsi"])
    with pytest.raises(ValidationError) as error:
        year_review_submit(user=personas[Role.STREET_STAFF], review=review, today=dt.date(2025, 12, 1))
    assert "尚未开始" in str(error.value)


def test_the_liaison_office_returns_one_deputy_with_a_reason(world, personas, review):
    year_review_submit(user=personas[Role.STREET_STAFF], review=review, today=TODAY)
    li = world["li"]
    year_review_return(user=personas[Role.LIAISON_OFFICE], review=review, reasons={li.pk: "缺少3月接待记录"})
    review.refresh_from_db()
    assert review.status == ReviewStatus.RETURNED
    by_name = entries(review)
    assert by_name["李四"].status == EntryStatus.RETURNED and by_name["李四"].return_reason == "缺少3月接待记录"
    assert by_name["张东"].status == EntryStatus.SUBMITTED
    event = review.events.get(action=ReviewAction.RETURN)
    assert event.entry.deputy == li and event.reason == "缺少3月接待记录" and event.user == personas[Role.LIAISON_OFFICE]


def test_returning_needs_a_reason_for_each_deputy(world, personas, review):
    year_review_submit(user=personas[Role.STREET_STAFF], review=review, today=TODAY)
    with pytest.raises(ValidationError) as error:
        year_review_return(user=personas[Role.LIAISON_OFFICE], review=review, reasons={world["li"].pk: "  "})
    assert error.value.message_dict == {f"reason_{world['li'].pk}": ["请填写退回理由。"]}
    with pytest.raises(ValidationError) as error:
        year_review_return(user=personas[Role.LIAISON_OFFICE], review=review, reasons={})
    assert "请至少选择一位" in str(error.value)
    with pytest.raises(ValidationError):
        year_review_return(user=personas[Role.LIAISON_OFFICE], review=review, reasons={world["wang"].pk: "不是本街道"})
    review.refresh_from_db()
    assert review.status == ReviewStatus.SUBMITTED


def test_street_staff_cannot_review(world, personas, review):
    year_review_submit(user=personas[Role.STREET_STAFF], review=review, today=TODAY)
    with pytest.raises(PermissionDenied):
        year_review_approve(user=personas[Role.STREET_STAFF], review=review)
    with pytest.raises(PermissionDenied):
        year_review_return(user=personas[Role.STREET_STAFF], review=review, reasons={world["li"].pk: "x"})


def test_resubmission_then_approval_locks_the_year(world, personas, review):
    staff, liaison = personas[Role.STREET_STAFF], personas[Role.LIAISON_OFFICE]
    year_review_submit(user=staff, review=review, today=TODAY)
    year_review_return(user=liaison, review=review, reasons={world["li"].pk: "补录接待"})
    with pytest.raises(ValidationError):
        year_review_approve(user=liaison, review=review)  # returned: the street must resubmit first
    year_review_submit(user=staff, review=review, today=TODAY)
    review.refresh_from_db()
    assert review.status == ReviewStatus.SUBMITTED and entries(review)["李四"].status == EntryStatus.SUBMITTED
    year_review_approve(user=liaison, review=review)
    review.refresh_from_db()
    assert review.status == ReviewStatus.APPROVED and review.reviewed_by == liaison
    assert {e.status for e in review.entries.all()} == {EntryStatus.APPROVED}
    assert is_year_locked(street_committee=world["dongsi"], term=world["term"], year=2024)
    assert [e.action for e in review.events.all()] == ["submit", "return", "submit", "approve"]
    assert review.history.count() >= 4 and review.history.first().history_user == liaison


def test_reopening_needs_a_reason_and_keeps_it(world, personas, review):
    staff, liaison = personas[Role.STREET_STAFF], personas[Role.LIAISON_OFFICE]
    year_review_submit(user=staff, review=review, today=TODAY)
    year_review_approve(user=liaison, review=review)
    with pytest.raises(ValidationError) as error:
        year_review_reopen(user=liaison, review=review, reason="")
    assert error.value.message_dict == {"reason": ["请填写重新开放的理由。"]}
    with pytest.raises(PermissionDenied):
        year_review_reopen(user=staff, review=review, reason="想改")
    year_review_reopen(user=liaison, review=review, reason="法院来函更正一次旁听记录")
    review.refresh_from_db()
    assert review.status == ReviewStatus.REOPENED
    assert not is_year_locked(street_committee=world["dongsi"], term=world["term"], year=2024)
    assert review.events.last().reason == "法院来函更正一次旁听记录"
    year_review_submit(user=staff, review=review, today=TODAY)  # the street submits again
    review.refresh_from_db()
    assert review.status == ReviewStatus.SUBMITTED


def test_approval_locks_only_that_street_and_year(world, personas, review):
    year_review_submit(user=personas[Role.STREET_STAFF], review=review, today=TODAY)
    year_review_approve(user=personas[Role.LIAISON_OFFICE], review=review)
    with pytest.raises(ValidationError) as error:
        assert_year_open(deputies=[world["zhang"]], dates=[dt.date(2024, 6, 1)])
    assert error.value.messages == [
        "东四2024年度的履职记录已由代表联络机构审核通过并锁定,不能再新增、修改或删除。如确需更正,请联系代表联络机构重新开放该年度。"]
    with pytest.raises(ValidationError):
        assert_year_open(deputies=[world["li"].pk], dates=[dt.date(2025, 1, 2), dt.date(2024, 12, 31)])
    assert_year_open(deputies=[world["zhang"]], dates=[dt.date(2025, 1, 1)])
    assert_year_open(deputies=[world["wang"]], dates=[dt.date(2024, 6, 1)])
    assert_year_open(deputies=[], dates=[dt.date(2024, 6, 1)])
    assert_year_open(deputies=[world["zhang"]], dates=[None])


def test_the_deadline_is_the_years_end_unless_set(world, personas):
    assert deadline_for(world["term"], 2024) == (dt.date(2024, 12, 31), False) == (default_deadline(2024), False)
    review_deadline_set(user=personas[Role.LIAISON_OFFICE], term=world["term"], year=2024, due_date=dt.date(2025, 1, 15))
    assert deadline_for(world["term"], 2024) == (dt.date(2025, 1, 15), True)
    with pytest.raises(PermissionDenied):
        review_deadline_set(user=personas[Role.STREET_STAFF], term=world["term"], year=2024, due_date=dt.date(2025, 1, 5))
    with pytest.raises(ValidationError) as error:
        review_deadline_set(user=personas[Role.LIAISON_OFFICE], term=world["term"], year=2024,
                            due_date=dt.date(2023, 1, 15))
    assert "due_date" in error.value.message_dict


def test_one_review_per_street_and_year(world, review):
    assert year_review_open(term=world["term"], year=2024, street_committee=world["dongsi"]).pk == review.pk
    assert YearReview.objects.count() == 1
