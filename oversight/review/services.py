"""Writes of the year-end review (Art. 8(二)): a street committee submits its deputies' handbooks of a
year, the liaison office returns single deputies with a reason or approves (which locks the year's
records, oversight.review.lock), and may reopen with a reason. Every step is kept: the models' history and
one YearReviewEvent per step (who, when, why).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from deputies.models import Deputy, StreetCommittee, Term
from dutyadmin.scope import scope_for
from dutyadmin.permissions import allows
from dutyadmin.services import Conflict

from ..choices import EntryStatus, ReviewAction, ReviewStatus
from ..handbook.build import YearFigures, year_figures
from ..models import ReviewDeadline, YearReview, YearReviewEntry, YearReviewEvent
from .deadlines import YEAR_NOT_OVER_MESSAGE, year_not_over

SUBMITTABLE = (ReviewStatus.DRAFT, ReviewStatus.RETURNED, ReviewStatus.REOPENED)
REASON_MAX = 1000


def _history_user(user):
    return user if user is not None and user.is_authenticated else None


def _check_year(term: Term, year: int) -> None:
    if not term.start_date.year <= year <= term.end_date.year:
        raise ValidationError({"year": f"年度必须在{term.name}的任期内({term.start_date.year}–{term.end_date.year})。"})


def review_deputies(*, term: Term, year: int, street_committee: StreetCommittee | int):
    """The deputies whose handbooks a street submits for a year: the term's deputies of the street in
    service at some day of that year."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    return (
        Deputy.objects.filter(term=term, street_committee=street_committee, service_start__lte=last)
        .filter(Q(service_end__isnull=True) | Q(service_end__gte=first))
        .order_by("name", "id")
    )


def year_review_open(*, term: Term, year: int, street_committee: StreetCommittee) -> YearReview:
    """The street's review of the year, created (待报送) on first use, with one entry per deputy it covers.

    While it can still be submitted, entries follow the street's deputies (a by-election adds one, a move
    to another street removes an entry that was not yet submitted).
    """
    _check_year(term, year)
    review, _ = YearReview.objects.get_or_create(term=term, year=year, street_committee=street_committee)
    if review.status in SUBMITTABLE:
        _sync_entries(review)
    return review


def _sync_entries(review: YearReview) -> None:
    wanted = set(review_deputies(term=review.term, year=review.year, street_committee=review.street_committee_id)
                 .values_list("pk", flat=True))
    have = dict(review.entries.values_list("deputy_id", "status"))
    missing = [YearReviewEntry(review=review, deputy_id=pk) for pk in wanted - set(have)]
    if missing:
        YearReviewEntry.objects.bulk_create(missing, ignore_conflicts=True)
    gone = [pk for pk, status in have.items() if pk not in wanted and status == EntryStatus.DRAFT]
    if gone:
        review.entries.filter(deputy_id__in=gone).delete()


def _locked(review: YearReview) -> YearReview:
    """The review row locked for this transaction: two reviewers cannot act on one state twice."""
    rows = YearReview.objects.select_for_update(of=("self",)).select_related("term", "street_committee")
    return rows.get(pk=review.pk)


def review_state(review: YearReview) -> dict:
    """The current state a Conflict (409) answers with: a repeat (a double click) or another user first."""
    return {"status": review.status, "status_label": review.get_status_display(),
            "submitted_at": review.submitted_at.isoformat() if review.submitted_at else None,
            "reviewed_at": review.reviewed_at.isoformat() if review.reviewed_at else None,
            "reviewed_by": review.reviewed_by_id}


def _state_conflict(review: YearReview, wanted: str) -> Conflict:
    """The review is no longer in the state the action needs (issue 17): nothing is done twice."""
    return Conflict(f"当前状态为“{review.get_status_display()}”，{wanted}；请查看最新状态。",
                    current=review_state(review), field="__all__")


def _event(review: YearReview, action: str, user, reason: str = "", entry: YearReviewEntry | None = None) -> None:
    YearReviewEvent.objects.create(review=review, entry=entry, action=action, reason=reason,
                                   user=_history_user(user), at=timezone.now())


def _save(obj, user, reason: str, fields: list[str] | None = None) -> None:
    obj._history_user = _history_user(user)
    obj._change_reason = reason[:100]
    obj.save(update_fields=fields)


def year_review_submit(*, user, review: YearReview, note: str = "", today: dt.date | None = None) -> YearReview:
    """The street's staff submit the year's handbooks: every entry not yet approved goes to the liaison
    office, with the year's figures as they stand (a snapshot); a returned deputy is resubmitted."""
    scope = scope_for(user)
    if not allows(scope, "submit_handbooks", review.street_committee_id):
        raise PermissionDenied("只有本街工委的工作人员可以报送本街道的履职手册。")
    today = today or timezone.localdate()
    note = (note or "").strip()
    if len(note) > REASON_MAX:
        raise ValidationError({"note": f"报送说明不能超过 {REASON_MAX} 字。"})
    if review.year > today.year:
        raise ValidationError({"__all__": f"{review.year}年度尚未开始,不能报送。"})
    with transaction.atomic():
        review = _locked(review)
        if review.status not in SUBMITTABLE:
            raise _state_conflict(review, "不能报送（已报送或已审核）")
        _sync_entries(review)
        entries = list(review.entries.exclude(status=EntryStatus.APPROVED).select_related("deputy"))
        if not entries:
            raise ValidationError({"__all__": "该街工委本年度没有需要报送的代表。"})
        _, figures = year_figures(term=review.term, year=review.year, today=today,
                                  deputies=[entry.deputy_id for entry in entries])
        for entry in entries:
            resubmitted = entry.status == EntryStatus.RETURNED
            entry.status = EntryStatus.SUBMITTED
            entry.snapshot = figures.get(entry.deputy_id, YearFigures.of(())).snapshot()
            _save(entry, user, "重新报送" if resubmitted else "报送", ["status", "snapshot"])
        resubmission = review.status != ReviewStatus.DRAFT
        review.status = ReviewStatus.SUBMITTED
        review.note = note
        review.submitted_at, review.submitted_by = timezone.now(), _history_user(user)
        _save(review, user, "重新报送" if resubmission else "报送")
        _event(review, ReviewAction.SUBMIT, user, note)
    return review


def year_review_return(*, user, review: YearReview, reasons: Mapping[int, str]) -> YearReview:
    """The liaison office returns single deputies' handbooks, each with a reason; the others wait."""
    if not allows(scope_for(user), "review_year"):
        raise PermissionDenied("只有代表联络机构可以审核年度履职手册。")
    if not reasons:
        raise ValidationError({"entries": "请至少选择一位需要退回的代表,并填写退回理由。"})
    errors = {}
    cleaned: dict[int, str] = {}
    for deputy_id, reason in reasons.items():
        reason = (reason or "").strip()
        if not reason:
            errors[f"reason_{deputy_id}"] = "请填写退回理由。"
        elif len(reason) > REASON_MAX:
            errors[f"reason_{deputy_id}"] = f"退回理由不能超过 {REASON_MAX} 字。"
        cleaned[int(deputy_id)] = reason
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        review = _locked(review)
        if review.status != ReviewStatus.SUBMITTED:
            raise _state_conflict(review, "只有已报送待审核的才能退回")
        entries = {e.deputy_id: e for e in review.entries.filter(deputy_id__in=cleaned).select_related("deputy")}
        unknown = [pk for pk in cleaned if pk not in entries or entries[pk].status != EntryStatus.SUBMITTED]
        if unknown:
            raise Conflict("所选代表不在本次报送的待审核名单中，请刷新后重试。", current=review_state(review),
                           field="entries")
        for deputy_id, reason in cleaned.items():
            entry = entries[deputy_id]
            entry.status, entry.return_reason = EntryStatus.RETURNED, reason
            _save(entry, user, "退回", ["status", "return_reason"])
            _event(review, ReviewAction.RETURN, user, reason, entry=entry)
        review.status = ReviewStatus.RETURNED
        review.reviewed_at, review.reviewed_by = timezone.now(), _history_user(user)
        _save(review, user, "退回部分代表")
    return review


def year_review_approve(*, user, review: YearReview, note: str = "", confirm_year_not_over: bool = False,
                        today: dt.date | None = None) -> YearReview:
    """The liaison office approves the street's year: every entry approved, the year's records locked.

    While the year is not over (deadlines.year_not_over) the approval would lock the days still to come, so
    it needs confirm_year_not_over: without it, a ValidationError on that field and nothing changes."""
    if not allows(scope_for(user), "review_year"):
        raise PermissionDenied("只有代表联络机构可以审核年度履职手册。")
    today = today or timezone.localdate()
    if year_not_over(review.year, today) and not confirm_year_not_over:
        raise ValidationError({"confirm_year_not_over": YEAR_NOT_OVER_MESSAGE.format(year=review.year)},
                              code="year_not_over")
    note = (note or "").strip()[:REASON_MAX]
    with transaction.atomic():
        review = _locked(review)
        if review.status != ReviewStatus.SUBMITTED:
            raise _state_conflict(review, "只有已报送待审核的才能审核通过")
        for entry in review.entries.exclude(status=EntryStatus.APPROVED):
            entry.status, entry.return_reason = EntryStatus.APPROVED, ""
            _save(entry, user, "审核通过", ["status", "return_reason"])
        review.status = ReviewStatus.APPROVED
        review.reviewed_at, review.reviewed_by = timezone.now(), _history_user(user)
        _save(review, user, "审核通过")
        _event(review, ReviewAction.APPROVE, user, note)
    return review


def year_review_reopen(*, user, review: YearReview, reason: str) -> YearReview:
    """The liaison office reopens an approved year (the records can be corrected again); the reason is kept."""
    if not allows(scope_for(user), "review_year"):
        raise PermissionDenied("只有代表联络机构可以重新开放已审核的年度。")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写重新开放的理由。"})
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": f"理由不能超过 {REASON_MAX} 字。"})
    with transaction.atomic():
        review = _locked(review)
        if review.status != ReviewStatus.APPROVED:
            raise _state_conflict(review, "只有已审核通过的才能重新开放")
        for entry in review.entries.all():
            entry.status = EntryStatus.DRAFT
            _save(entry, user, "重新开放", ["status"])
        review.status = ReviewStatus.REOPENED
        _save(review, user, "重新开放")
        _event(review, ReviewAction.REOPEN, user, reason)
    return review


def review_deadline_set(*, user, term: Term, year: int, due_date: dt.date) -> ReviewDeadline:
    """The liaison office sets a term's submission deadline for a year."""
    if not allows(scope_for(user), "review_year"):
        raise PermissionDenied("只有代表联络机构可以设定报送截止日期。")
    deadline = ReviewDeadline.objects.filter(term=term, year=year).first() or ReviewDeadline(term=term, year=year)
    deadline.due_date = due_date
    deadline.full_clean()
    deadline._history_user = _history_user(user)
    deadline.save()
    return deadline
