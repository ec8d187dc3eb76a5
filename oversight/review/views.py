"""Pages of the year-end review (Art. 8(二)): the board of every street's state for a year, and one street's
submission, where its staff submit and the liaison office returns deputies, approves or reopens.
"""
from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from deputies.models import StreetCommittee, Term
from deputies.selectors import current_term
from dutyadmin.forms import DateInput
from dutyadmin.scope import scope_for
from dutyadmin.permissions import allows
from dutyadmin.services import Conflict

from ..choices import EntryStatus, ReviewStatus
from ..findings.forms import IdChoiceField
from ..findings.selectors import term_findings
from ..handbook.build import (
    YearField,
    YearFigures,
    YearReviewReading,
    default_year,
    year_as_of,
    year_review_reading,
)
from ..labels import DATA_CHECK_LABELS, RULE_ARTICLES, RULE_LABELS, action_label
from ..models import YearReview, YearReviewEntry
from ..rules.catalog import ACTION_REQUIRED, BEHIND, MISSED, THRESHOLD_RULES
from .deadlines import deadline_for, year_not_over
from .services import (
    SUBMITTABLE,
    review_deadline_set,
    review_deputies,
    year_review_approve,
    year_review_open,
    year_review_reopen,
    year_review_return,
    year_review_submit,
)

STATUS_TONES = {
    ReviewStatus.DRAFT: "", ReviewStatus.SUBMITTED: "warn", ReviewStatus.RETURNED: "bad",
    ReviewStatus.APPROVED: "ok", ReviewStatus.REOPENED: "warn",
    EntryStatus.SUBMITTED: "warn",
}
ENTRY_TONES = {EntryStatus.DRAFT: "", EntryStatus.SUBMITTED: "warn", EntryStatus.RETURNED: "bad",
               EntryStatus.APPROVED: "ok"}


class BoardForm(forms.Form):
    """?term=&year= of the board: bad values are errors next to the fields, the defaults are used."""

    term = IdChoiceField(label=_("届"), queryset=Term.objects.all(), required=False,
                         error_messages={"invalid_choice": "届“%(value)s”不存在。"})
    year = YearField(label=_("年度"), required=False)


class DeadlineForm(forms.Form):
    due_date = forms.DateField(label=_("报送截止日期"), widget=DateInput(), input_formats=["%Y-%m-%d"],
                               error_messages={"required": "请填写日期。", "invalid": "日期格式应为 YYYY-MM-DD。"})


def _term_and_year(request: HttpRequest, today: dt.date) -> tuple[Term | None, int | None, BoardForm]:
    form = BoardForm(request.GET or None)
    valid = form.is_valid() if form.is_bound else True
    data = form.cleaned_data if form.is_bound and valid else (form.cleaned_data if form.is_bound else {})
    term = data.get("term") or current_term()
    if term is None:
        return None, None, form
    year = data.get("year")
    if year is not None and not term.start_date.year <= year <= term.end_date.year:
        form.add_error("year", f"年度必须在{term.name}的任期内({term.start_date.year}–{term.end_date.year})。")
        year = None
    return term, year or default_year(term, today), form


@login_required
def review_board_view(request: HttpRequest) -> HttpResponse:
    """Every street committee's submission of a year: state, progress of the review, deadline."""
    scope = scope_for(request.user)
    today = timezone.localdate()
    if not allows(scope, "see_review_board"):
        if scope.street_committee_id and allows(scope, "see_street_review", scope.street_committee_id):
            term = current_term()
            if term is None:
                raise Http404(_("还没有建立任何一届。"))
            year = default_year(term, today)
            raw = request.GET.get("year", "")
            if raw.isdigit() and term.start_date.year <= int(raw) <= term.end_date.year:
                year = int(raw)
            return redirect("oversight:review_street", term=term.pk, year=year, street=scope.street_committee_id)
        raise PermissionDenied(_("您的角色不能查看年度审核。"))
    term, year, form = _term_and_year(request, today)
    context = {"section": "year_reviews", "form": form, "term": term, "year": year, "terms": Term.objects.all()}
    if term is None:
        return render(request, "oversight/review_board.html", context)

    deadline, deadline_set = deadline_for(term, year)
    deadline_form = DeadlineForm(initial={"due_date": deadline})
    if request.method == "POST":
        if not allows(scope, "review_year"):
            raise PermissionDenied(_("只有代表联络机构可以设定报送截止日期。"))
        deadline_form = DeadlineForm(request.POST)
        if deadline_form.is_valid():
            try:
                review_deadline_set(user=request.user, term=term, year=year, due_date=deadline_form.cleaned_data["due_date"])
            except ValidationError as exc:
                deadline_form.add_error("due_date", exc.messages)
            else:
                messages.success(request, _("已设定报送截止日期。"))
                return redirect(f"{reverse('oversight:review_board')}?term={term.pk}&year={year}")

    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    in_year = Q(service_start__lte=last) & (Q(service_end__isnull=True) | Q(service_end__gte=first))
    deputies = dict(
        term.deputies.filter(in_year).order_by().values_list("street_committee_id").annotate(n=Count("id"))
    )
    reviews = {r.street_committee_id: r for r in YearReview.objects.filter(term=term, year=year)
               .select_related("submitted_by", "reviewed_by")}
    tallies: dict[int, dict[str, int]] = {}
    for review_id, status, n in (YearReviewEntry.objects.filter(review__in=reviews.values()).order_by()
                                 .values_list("review_id", "status").annotate(n=Count("id"))):
        tallies.setdefault(review_id, {})[status] = n
    # Every action finding still open, whatever year set it off, by street: one reading of the term's findings.
    open_by_street: dict[int, int] = {}
    streets_of = dict(term.deputies.order_by().values_list("id", "street_committee_id"))
    for finding in term_findings(term=term, as_of=year_as_of(year, today)):
        if finding.status == ACTION_REQUIRED and finding.deputy in streets_of:
            street_id = streets_of[finding.deputy]
            open_by_street[street_id] = open_by_street.get(street_id, 0) + 1
    rows = []
    counts = {status: 0 for status in ReviewStatus.values}
    for street in StreetCommittee.objects.all():
        review = reviews.get(street.pk)
        status = review.status if review else ReviewStatus.DRAFT
        counts[status] += 1
        tally = tallies.get(review.pk, {}) if review else {}
        rows.append({
            "street": street, "review": review, "status": status, "status_label": ReviewStatus(status).label,
            "tone": STATUS_TONES.get(status, ""), "deputies": deputies.get(street.pk, 0), "tally": tally,
            "returned": tally.get(EntryStatus.RETURNED, 0), "open_actions": open_by_street.get(street.pk, 0),
            "overdue": status in SUBMITTABLE and today > deadline,
            "url": reverse("oversight:review_street", kwargs={"term": term.pk, "year": year, "street": street.pk}),
        })
    context.update({
        "rows": rows, "deadline": deadline, "deadline_set": deadline_set, "deadline_form": deadline_form,
        "can_review": allows(scope, "review_year"),
        "years": list(range(term.start_date.year, term.end_date.year + 1)),
        "counts": [{"status": s, "label": ReviewStatus(s).label, "tone": STATUS_TONES.get(s, ""), "count": n}
                   for s, n in counts.items()],
        "today": today,
    })
    return render(request, "oversight/review_board.html", context,
                  status=400 if form.errors or deadline_form.errors else 200)


THRESHOLD_IDS = frozenset(rule.id for rule in THRESHOLD_RULES)
UNMET = frozenset({BEHIND, MISSED})


def _entry_rows(review: YearReview | None, deputies: list, reading: YearReviewReading, term: Term) -> list[dict]:
    """One row per deputy: the year's unmet thresholds (as submitted, or as they stand), every action finding
    still open whatever year set it off, and the data checks, each linking to the deputy's page that says why."""
    entries = {e.deputy_id: e for e in review.entries.all()} if review else {}
    rows = []
    for deputy in deputies:
        entry = entries.get(deputy.pk)
        figures = (YearFigures.from_snapshot(entry.snapshot) if entry and entry.snapshot
                   else reading.figures.get(deputy.pk, YearFigures.of(())))
        why = reverse("oversight:deputy_findings", args=[deputy.pk])
        thresholds = [{"rule": r, "label": RULE_LABELS[r], "article": RULE_ARTICLES[r], "figures": figures.rules[r],
                       "url": f"{why}#rule-{r}"}
                      for r in figures.shortfalls() if r in THRESHOLD_IDS and figures.rules[r].status in UNMET]
        actions = [{"rule": f.rule, "label": RULE_LABELS.get(f.rule, f.rule), "article": f.article,
                    "action": action_label(f.action), "trigger_date": f.trigger_date, "url": f"{why}#rule-{f.rule}"}
                   for f in reading.open_actions.get(deputy.pk, ())]
        checks_url = f"{reverse('oversight:data_check_list')}?term={term.pk}&deputy={deputy.pk}"
        checks = [{"check": c.check, "label": DATA_CHECK_LABELS.get(c.check, c.check), "date": c.date,
                   "detail": c.detail, "url": checks_url}
                  for c in reading.data_checks.get(deputy.pk, ())]
        rows.append({
            "deputy": deputy, "entry": entry,
            "status": entry.status if entry else EntryStatus.DRAFT,
            "status_label": entry.get_status_display() if entry else EntryStatus.DRAFT.label,
            "tone": ENTRY_TONES.get(entry.status if entry else EntryStatus.DRAFT, ""),
            "thresholds": thresholds, "open_actions": actions, "checks": checks,
            "clean": not (thresholds or actions or checks),
            "from_snapshot": bool(entry and entry.snapshot),
        })
    return rows


def _summary(rows: list[dict]) -> dict:
    """What the approval would lock in spite of: counts and the deputies' names, for the confirmation."""
    def names(key: str) -> list[dict]:
        return [{"deputy": row["deputy"], "items": row[key]} for row in rows if row[key]]

    return {
        "open_actions": names("open_actions"), "thresholds": names("thresholds"), "checks": names("checks"),
        "open_action_count": sum(len(row["open_actions"]) for row in rows),
        "threshold_count": sum(len(row["thresholds"]) for row in rows),
        "check_count": sum(len(row["checks"]) for row in rows),
    }


class ApproveForm(forms.Form):
    """The confirmation of an approval: the reviewer has seen what stays open, and, while the year runs,
    knows that its remaining days are locked too (the service asks the latter again)."""

    confirm_reviewed = forms.BooleanField(
        label=_("我已核对上述待处置事项、未达标项目和数据检查,确认审核通过并锁定本年度记录"),
        error_messages={"required": "请先核对上述事项并勾选确认。"})
    confirm_year_not_over = forms.BooleanField(label=_("我已知晓本年度尚未结束"), required=False)
    note = forms.CharField(label=_("审核意见(可选)"), required=False, max_length=1000,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, year: int, year_running: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.year, self.year_running = year, year_running
        if not year_running:
            del self.fields["confirm_year_not_over"]


def _street_page(request: HttpRequest, term: int, year: int, street: int):
    """The term, street and review of a street's page, or 404 (unknown, out of scope or out of the term)."""
    scope = scope_for(request.user)
    term_obj = get_object_or_404(Term, pk=term)
    street_obj = get_object_or_404(StreetCommittee, pk=street)
    if not allows(scope, "see_street_review", street_obj.pk):
        raise Http404(_("不在您的工作范围内。"))
    if not term_obj.start_date.year <= year <= term_obj.end_date.year:
        raise Http404(_("该年度不在本届任期内。"))
    return scope, term_obj, street_obj


def _review_rows(review: YearReview | None, term: Term, year: int, street: StreetCommittee, today: dt.date):
    deputies = list(review_deputies(term=term, year=year, street_committee=street).select_related("delegation"))
    if review is not None:
        extra = review.entries.exclude(deputy__in=deputies).select_related("deputy__delegation")
        deputies += [entry.deputy for entry in extra]  # a deputy who moved street after submission
    reading = year_review_reading(term=term, year=year, today=today, deputies=[d.pk for d in deputies])
    return _entry_rows(review, deputies, reading, term), reading


@login_required
def review_approve_view(request: HttpRequest, term: int, year: int, street: int) -> HttpResponse:
    """The liaison office's confirmation before approving (and so locking) a street's year: what stays open,
    what is unmet, what the data checks say, and, while the year runs, that its last days are locked too."""
    scope, term_obj, street_obj = _street_page(request, term, year, street)
    if not allows(scope, "review_year"):
        raise PermissionDenied(_("只有代表联络机构可以审核。"))
    review = get_object_or_404(YearReview.objects.select_related("submitted_by"), term=term_obj, year=year,
                               street_committee=street_obj)
    street_url = reverse("oversight:review_street", kwargs={"term": term_obj.pk, "year": year, "street": street_obj.pk})
    if review.status != ReviewStatus.SUBMITTED:
        messages.error(request, _("当前状态为“%(status)s”,只有已报送待审核的才能审核通过。")
                       % {"status": review.get_status_display()})
        return redirect(street_url)
    today = timezone.localdate()
    running = year_not_over(year, today)
    form = ApproveForm(request.POST if request.method == "POST" else None, year=year, year_running=running)
    if request.method == "POST" and form.is_valid():
        try:
            year_review_approve(user=request.user, review=review, note=form.cleaned_data["note"],
                                confirm_year_not_over=form.cleaned_data.get("confirm_year_not_over", False),
                                today=today)
        except Conflict as exc:  # another reviewer first (issue 17): the street's page shows its state now
            messages.warning(request, exc.message)
            return redirect(street_url)
        except ValidationError as exc:
            for field, errors in (exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}).items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("已审核通过。该街工委本年度的履职记录已锁定。"))
            return redirect(street_url)
    rows, reading = _review_rows(review, term_obj, year, street_obj, today)
    context = {
        "section": "year_reviews", "term": term_obj, "year": year, "street": street_obj, "review": review,
        "form": form, "rows": rows, "summary": _summary(rows), "as_of": reading.as_of, "year_running": running,
        "street_url": street_url,
    }
    return render(request, "oversight/review_approve.html", context, status=400 if form.errors else 200)


@login_required
def review_street_view(request: HttpRequest, term: int, year: int, street: int) -> HttpResponse:
    """One street committee's handbooks of a year: its deputies, their figures, the review's steps."""
    scope, term_obj, street_obj = _street_page(request, term, year, street)
    today = timezone.localdate()
    may_submit, may_review = allows(scope, "submit_handbooks", street_obj.pk), allows(scope, "review_year")
    review = YearReview.objects.filter(term=term_obj, year=year, street_committee=street_obj).first()
    if may_submit and (review is None or review.status in SUBMITTABLE):
        review = year_review_open(term=term_obj, year=year, street_committee=street_obj)

    errors: dict[str, list[str]] = {}
    conflict = False
    posted_reasons: dict[str, str] = {}
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if review is None:
                raise ValidationError({"__all__": "该街工委尚未开始编制本年度的履职手册。"})
            if action == "submit":
                if not may_submit:
                    raise PermissionDenied(_("只有本街工委的工作人员可以报送。"))
                year_review_submit(user=request.user, review=review, note=request.POST.get("note", ""), today=today)
                messages.success(request, _("已报送代表联络机构审核。"))
            elif action == "return":
                if not may_review:
                    raise PermissionDenied(_("只有代表联络机构可以审核。"))
                chosen = [value for value in request.POST.getlist("return") if value.isdigit()]
                posted_reasons = {f"reason_{pk}": request.POST.get(f"reason_{pk}", "") for pk in chosen}
                year_review_return(user=request.user, review=review,
                                   reasons={int(pk): posted_reasons[f"reason_{pk}"] for pk in chosen})
                messages.success(request, _("已退回所选代表的履职手册,等待街工委修改后重新报送。"))
            elif action == "approve":
                if not may_review:
                    raise PermissionDenied(_("只有代表联络机构可以审核。"))
                approve = ApproveForm(request.POST, year=review.year, year_running=year_not_over(review.year, today))
                if not approve.is_valid():  # the confirmation page asks for it: nothing is locked without it
                    raise ValidationError({"__all__": "请在确认页核对待处置事项、未达标项目和数据检查,勾选确认后再审核通过。"})
                year_review_approve(user=request.user, review=review, note=approve.cleaned_data["note"],
                                    confirm_year_not_over=approve.cleaned_data.get("confirm_year_not_over", False),
                                    today=today)
                messages.success(request, _("已审核通过。该街工委本年度的履职记录已锁定。"))
            elif action == "reopen":
                if not may_review:
                    raise PermissionDenied(_("只有代表联络机构可以重新开放。"))
                year_review_reopen(user=request.user, review=review, reason=request.POST.get("reason", ""))
                messages.success(request, _("已重新开放,街工委可以更正记录后重新报送。"))
            else:
                raise ValidationError({"__all__": "未知的操作。"})
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
            # a repeat or a race (issue 17): 409, the message above the review's current state
            conflict = isinstance(exc, Conflict)
        else:
            return redirect(request.path)

    if review is not None:
        review = YearReview.objects.select_related("submitted_by", "reviewed_by").get(pk=review.pk)
    rows, reading = _review_rows(review, term_obj, year, street_obj, today)
    for row in rows:
        key = f"reason_{row['deputy'].pk}"
        row["reason_key"], row["reason_errors"] = key, errors.get(key, [])
        row["reason_value"] = posted_reasons.get(key, "")
        row["checked"] = key in posted_reasons
    status = review.status if review else ReviewStatus.DRAFT
    deadline, _set = deadline_for(term_obj, year)
    context = {
        "section": "year_reviews", "term": term_obj, "year": year, "street": street_obj, "review": review,
        "status": status, "status_label": ReviewStatus(status).label, "tone": STATUS_TONES.get(status, ""),
        "rows": rows, "errors": errors, "general_errors": (errors.get("__all__", []) + errors.get("entries", [])
                           + errors.get("confirm_year_not_over", [])),
        "reason_errors": errors.get("reason", []), "note_errors": errors.get("note", []),
        "can_submit": may_submit and status in SUBMITTABLE,
        "can_return": may_review and status == ReviewStatus.SUBMITTED,
        "can_approve": may_review and status == ReviewStatus.SUBMITTED,
        "approve_url": reverse("oversight:review_approve", kwargs={"term": term_obj.pk, "year": year,
                                                                   "street": street_obj.pk}),
        "summary": _summary(rows), "as_of": reading.as_of,
        "can_reopen": may_review and status == ReviewStatus.APPROVED,
        "sees_board": allows(scope, "see_review_board"),
        "events": list(review.events.select_related("user", "entry__deputy")) if review else [],
        "deadline": deadline, "overdue": status in SUBMITTABLE and today > deadline,
        "returned": sum(1 for row in rows if row["status"] == EntryStatus.RETURNED),
        "years": list(range(term_obj.start_date.year, term_obj.end_date.year + 1)),
    }
    return render(request, "oversight/review_street.html", context, status=409 if conflict else 400 if errors else 200)
