"""A deputy's suggestion pages: 我的建议 (led or cosigned, each with its unit, due date, progress, reply and what
to do next) and submitting one; staff use the same form to enter suggestions from a session's paper forms."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.forms import HiddenInput
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from deputies.choices import DeputyStatus
from deputies.models import Deputy
from deputies.selectors import current_term, deputy_list, editable_deputies
from dutyadmin.dates import chinese_date
from dutyadmin.forms import apply_errors
from dutyadmin.list_views import page_of
from dutyadmin.permissions import allows
from dutyadmin.scope import scope_for
from meetings.models import CongressSession

from . import services
from .choices import SuggestionStatus
from .forms import SuggestionSubmitForm
from .models import Suggestion
from .selectors import suggestions_of_deputy
from .views_detail import clock_text

S = SuggestionStatus


def next_step(suggestion: Suggestion, *, deputy_id: int, today) -> dict:
    """What the deputy reads under 下一步: their evaluation and its deadline, or what the others are doing."""
    lead = suggestion.lead_deputy_id == deputy_id
    if suggestion.status == S.SUBMITTED:
        return {"text": _("等待代表联络机构交办承办单位。"), "tone": ""}
    if suggestion.status in (S.ASSIGNED, S.REHANDLING):
        who = _("承办单位重新办理中") if suggestion.status == S.REHANDLING else _("承办单位办理中")
        return {"text": _("%(who)s，应在%(due)s前答复。") % {"who": who, "due": chinese_date(suggestion.reply_due)},
                "tone": "bad" if suggestion.overdue_on(today) else ""}
    if suggestion.status == S.REPLIED:
        if suggestion.feedback_missing_on(today):
            return {"text": _("反馈期限（%(due)s）已过，代表未反馈。") % {"due": chinese_date(suggestion.feedback_due)},
                    "tone": "bad", "act": lead}
        if lead:
            return {"text": _("请在%(due)s前评价。") % {"due": chinese_date(suggestion.feedback_due)},
                    "tone": "warn", "act": True}
        return {"text": _("等待领衔代表评价（%(due)s前）。") % {"due": chinese_date(suggestion.feedback_due)}, "tone": ""}
    if suggestion.status == S.CLOSED:
        return {"text": _("已办结。"), "tone": "ok"}
    return {"text": _("已撤回。"), "tone": ""}


@login_required
def my_suggestions_view(request: HttpRequest) -> HttpResponse:
    """我的建议: each suggestion the deputy leads or cosigned, newest first."""
    scope = scope_for(request.user)
    if not allows(scope, "act_as_deputy"):
        raise PermissionDenied(_("“我的建议”是代表本人的页面。"))
    today = timezone.localdate()
    mine = suggestions_of_deputy(user=request.user, deputy_id=scope.deputy_id)
    notices: list[str] = []
    page = page_of(request, mine, notices)
    rows = []
    for s in page.object_list:
        rows.append({
            "s": s,
            "lead": s.lead_deputy_id == scope.deputy_id,
            "clock": clock_text(s.reply_due, today),
            "next": next_step(s, deputy_id=scope.deputy_id, today=today),
        })
    to_evaluate = mine.filter(status=S.REPLIED, lead_deputy_id=scope.deputy_id, feedback_due__gte=today).count()
    context = {
        "section": "suggestions_mine",
        "page": page,
        "rows": rows,
        "notices": notices,
        "to_evaluate": to_evaluate,
        "can_submit": allows(scope, "submit_suggestion"),
    }
    return render(request, "oversight/suggestions/mine.html", context)


def _sessions(term) -> QuerySet[CongressSession]:
    if term is None:
        return CongressSession.objects.none()
    return CongressSession.objects.filter(term=term).select_related("term").order_by("-start_date", "-id")


@login_required
def suggestion_submit_view(request: HttpRequest) -> HttpResponse:
    """提出建议: a deputy their own (today, named in the head); staff with the predicate for a deputy of their
    scope from the session's paper forms (any day of the term up to today)."""
    scope = scope_for(request.user)
    if not allows(scope, "submit_suggestion"):
        raise PermissionDenied(_("您的角色不能提交代表建议。"))
    today = timezone.localdate()
    term = current_term()
    own = allows(scope, "act_as_deputy") and not allows(scope, "enter_contribution")
    if own:
        deputies = deputy_list(user=request.user).filter(pk=scope.deputy_id)
        term = deputies.first().term if deputies.exists() else term
    else:
        deputies = editable_deputies(user=request.user, act="submit_suggestion")
        deputies = deputies.filter(term=term) if term else deputies.none()
    deputies = deputies.select_related("street_committee").order_by("street_committee__code", "name", "id")
    sessions = _sessions(term)
    cosigners = Deputy.objects.filter(term=term, status=DeputyStatus.ACTIVE).select_related("street_committee")
    if own:
        cosigners = cosigners.exclude(pk=scope.deputy_id)
    cosigners = cosigners.order_by("street_committee__code", "name", "id")
    # A deputy now: the session in progress, if any; staff copying paper forms: the latest session begun.
    begun = [s for s in sessions if s.start_date <= today]
    running = next((s for s in begun if today <= s.end_date), None)
    initial = {"submitted_on": today, "session": running if own else (begun[0] if begun else None)}
    if own:
        initial["lead_deputy"] = scope.deputy_id
    elif (wanted := request.GET.get("deputy", "")).isdigit() and len(wanted) < 19:
        initial["lead_deputy"] = deputies.filter(pk=int(wanted)).first()
    form = SuggestionSubmitForm(request.POST or None, initial=initial, deputies=deputies, sessions=sessions,
                                cosigners=cosigners)
    if own:  # themself, today: named in the head
        form.fields["lead_deputy"].widget = HiddenInput()
        form.fields["submitted_on"].widget = HiddenInput()
    else:
        form.order_fields(SuggestionSubmitForm.PAPER_ORDER)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                saved = services.suggestion_submit(
                    user=request.user, lead_deputy=data["lead_deputy"], title=data["title"], content=data["content"],
                    session=data["session"], cosigners=list(data["cosigners"]),
                    submitted_on=today if own else data["submitted_on"],
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                if own:
                    messages.success(request, _("已提交“%(title)s”，代表联络机构将交办承办单位，交办后三个月内答复。") % {
                        "title": saved.title})
                else:
                    messages.success(request, _("已登记%(name)s领衔的建议“%(title)s”。") % {
                        "name": saved.lead_deputy.name, "title": saved.title})
                return redirect("suggestions:detail", pk=saved.pk)
    context = {
        "section": "suggestion_submit",
        "form": form,
        "own": own,
        "self_deputy": deputies.first() if own else None,
        "no_deputies": not own and not deputies.exists(),
    }
    return render(request, "oversight/suggestions/submit.html", context, status=400 if form.errors else 200)

