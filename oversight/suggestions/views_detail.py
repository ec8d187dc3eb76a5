"""One suggestion's page for everyone who may see it (建议详情): what it asks, who handles it, the clocks, the
replies with their files, the steps so far, and the forms of the next steps the user may take.

Each form posts to its own view, which calls the step's service: a refusal (wrong state, a date, a missing
reason) re-renders the page with the message next to the field (400), a role the service refuses is a 403,
a suggestion out of the user's view a 404. Nothing here decides a rule: the services, the state machine's
transitions and oversight.rules.clocks do."""
from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_fsm import can_proceed

from dutyadmin.dates import chinese_date
from dutyadmin.forms import apply_errors
from dutyadmin.permissions import allows
from dutyadmin.scope import scope_for
from oversight.rules import clocks

from . import services
from .choices import AWAITING_REPLY, Satisfaction, SuggestionStatus
from .forms import AssignForm, ChaseForm, CloseForm, EvaluateForm, ExtendForm, ReplyForm, WithdrawForm
from .models import Suggestion, SuggestionReplyAttachment
from .selectors import handling_unit_list, suggestion_attachment, suggestion_detail

S = SuggestionStatus


def _visible(request: HttpRequest, pk: int) -> Suggestion:
    try:
        return suggestion_detail(user=request.user, pk=pk)
    except Suggestion.DoesNotExist as exc:
        raise Http404(_("这条建议不存在，或不在您的工作范围内。")) from exc


def allowed_steps(user, suggestion: Suggestion, today) -> dict[str, bool]:
    """Which step forms the page shows: the user's predicate and the state machine both say yes."""
    return {
        "assign": allows(user, "assign_suggestion", suggestion) and can_proceed(suggestion.assign),
        "extend": allows(user, "extend_suggestion", suggestion) and can_proceed(suggestion.extend),
        "reply": allows(user, "reply_suggestion", suggestion) and can_proceed(suggestion.reply),
        "evaluate": allows(user, "evaluate_suggestion", suggestion) and can_proceed(suggestion.evaluate),
        # Closing is for a reply left without feedback past its deadline (代表未反馈).
        "close": allows(user, "close_suggestion", suggestion) and suggestion.feedback_missing_on(today),
        "withdraw": allows(user, "withdraw_suggestion", suggestion) and can_proceed(suggestion.withdraw),
        "chase": allows(user, "chase_suggestion", suggestion) and suggestion.status in AWAITING_REPLY,
    }


def clock_text(due, today) -> dict:
    """How a due date reads today: 还剩N天, 今天到期, 逾期N天 (clocks.days_left; overdue as clocks.is_overdue)."""
    if due is None:
        return {}
    left = clocks.days_left(due, today)
    if clocks.is_overdue(due, None, today):
        return {"due": due, "left": left, "tone": "bad", "text": _("逾期%(n)s天") % {"n": -left}}
    if left == 0:
        return {"due": due, "left": left, "tone": "warn", "text": _("今天到期")}
    return {"due": due, "left": left, "tone": "warn" if left <= 15 else "ok", "text": _("还剩%(n)s天") % {"n": left}}


def _fresh_forms(request: HttpRequest, suggestion: Suggestion, today) -> dict[str, forms.Form]:
    units = handling_unit_list(user=request.user)
    return {
        "assign": AssignForm(units=units, initial={"date": today}, prefix="assign"),
        "extend": ExtendForm(prefix="extend"),
        "reply": ReplyForm(initial={"date": today}, prefix="reply"),
        "evaluate": EvaluateForm(prefix="evaluate"),
        "close": CloseForm(initial={"date": today}, prefix="close"),
        "withdraw": WithdrawForm(prefix="withdraw"),
        "chase": ChaseForm(prefix="chase"),
    }


def _detail_page(request: HttpRequest, suggestion: Suggestion, *, failed: tuple[str, forms.Form] | None = None,
                 status: int = 200) -> HttpResponse:
    today = timezone.localdate()
    step_forms = _fresh_forms(request, suggestion, today)
    can = allowed_steps(request.user, suggestion, today)
    failed_errors: list[str] = []
    if failed is not None:
        name, form = failed
        step_forms[name] = form
        if not can[name]:  # the state moved on: the form is gone, its message stays on top
            failed_errors = [str(e) for e in form.non_field_errors()] or [
                str(e) for errors in form.errors.values() for e in errors]
    replies = list(suggestion.replies.all())
    feedback = {}
    if suggestion.status == S.REPLIED and suggestion.feedback_due:
        feedback = clock_text(suggestion.feedback_due, today)
        feedback["missing"] = suggestion.feedback_missing_on(today)
    context = {
        "section": "suggestions",
        "s": suggestion,
        "today": today,
        "cosigners": list(suggestion.cosigners.all()),
        "co_units": list(suggestion.co_units.all()),
        "replies": replies,
        "events": list(suggestion.events.all()),
        "reply_clock": clock_text(suggestion.reply_due, today),
        "feedback": feedback,
        "can": can,
        "can_any": any(can.values()),
        "forms": step_forms,
        "failed_errors": failed_errors,
        "failed_name": failed[0] if failed else "",
        # A deputy's own (led or cosigned): the way back is 我的建议.
        "is_own": allows(request.user, "act_as_deputy") and (
            allows(request.user, "evaluate_suggestion", suggestion)
            or any(d.pk == scope_for(request.user).deputy_id for d in suggestion.cosigners.all())),
    }
    return render(request, "oversight/suggestions/detail.html", context, status=status)


@login_required
def suggestion_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail_page(request, _visible(request, pk))


# --- the steps: one view each, a form in, a service called -----------------------------------------------


def _step(request: HttpRequest, pk: int, name: str, form: forms.Form,
          call: Callable[[Suggestion, dict], Suggestion], done: Callable[[Suggestion], str]) -> HttpResponse:
    suggestion = _visible(request, pk)
    if form.is_valid():
        try:
            acted = call(suggestion, form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, done(acted))
            return redirect("suggestions:detail", pk=acted.pk)
    # The page as it is now (another user may have moved it on), with this form and its errors.
    return _detail_page(request, _visible(request, pk), failed=(name, form), status=400)


@login_required
@require_POST
def suggestion_assign_view(request: HttpRequest, pk: int) -> HttpResponse:
    form = AssignForm(request.POST, units=handling_unit_list(user=request.user), prefix="assign")
    return _step(
        request, pk, "assign", form,
        lambda s, d: services.suggestion_assign(user=request.user, suggestion=s, lead_unit=d["lead_unit"],
                                                co_units=list(d["co_units"]), date=d["date"]),
        lambda s: _("已交办%(unit)s主办，答复期限为%(due)s。") % {"unit": s.lead_unit.name, "due": chinese_date(s.due_date)},
    )


@login_required
@require_POST
def suggestion_extend_view(request: HttpRequest, pk: int) -> HttpResponse:
    form = ExtendForm(request.POST, prefix="extend")
    return _step(
        request, pk, "extend", form,
        lambda s, d: services.suggestion_extend(user=request.user, suggestion=s, reason=d["reason"]),
        lambda s: _("已同意延期，答复期限改为%(due)s。") % {"due": chinese_date(s.due_date)},
    )


@login_required
@require_POST
def suggestion_reply_view(request: HttpRequest, pk: int) -> HttpResponse:
    form = ReplyForm(request.POST, request.FILES, prefix="reply")
    return _step(
        request, pk, "reply", form,
        lambda s, d: services.suggestion_reply(user=request.user, suggestion=s, date=d["date"], text=d["text"],
                                               resolution=d["resolution"], files=d["files"]),
        lambda s: _("已登记答复，代表应在%(due)s前反馈评价。") % {"due": chinese_date(s.feedback_due)},
    )


def _evaluated_message(s: Suggestion) -> str:
    if s.status == S.REHANDLING:
        return _("已评价为“不满意”，这条建议重新办理，承办单位应在%(due)s前再次答复。") % {
            "due": chinese_date(s.rehandling_due)}
    return _("已评价为“%(label)s”，这条建议已办结。") % {"label": Satisfaction(s.satisfaction).label}


@login_required
@require_POST
def suggestion_evaluate_view(request: HttpRequest, pk: int) -> HttpResponse:
    form = EvaluateForm(request.POST, prefix="evaluate")
    return _step(
        request, pk, "evaluate", form,
        lambda s, d: services.suggestion_evaluate(user=request.user, suggestion=s, satisfaction=d["satisfaction"],
                                                  comment=d["comment"]),
        _evaluated_message,
    )


@login_required
@require_POST
def suggestion_close_view(request: HttpRequest, pk: int) -> HttpResponse:
    form = CloseForm(request.POST, prefix="close")
    return _step(
        request, pk, "close", form,
        lambda s, d: services.suggestion_close(user=request.user, suggestion=s, date=d["date"], note=d["note"]),
        lambda s: _("已办结（代表未在反馈期限内评价）。"),
    )


@login_required
@require_POST
def suggestion_withdraw_view(request: HttpRequest, pk: int) -> HttpResponse:
    form = WithdrawForm(request.POST, prefix="withdraw")
    return _step(
        request, pk, "withdraw", form,
        lambda s, d: services.suggestion_withdraw(user=request.user, suggestion=s),
        lambda s: _("已撤回这条建议，它不再计入履职记录。"),
    )


@login_required
@require_POST
def suggestion_chase_view(request: HttpRequest, pk: int) -> HttpResponse:
    form = ChaseForm(request.POST, prefix="chase")
    return _step(
        request, pk, "chase", form,
        lambda s, d: services.suggestion_chase(user=request.user, suggestion=s, note=d["note"]).suggestion,
        lambda s: _("已催办，主办单位的工作人员会收到消息。"),
    )


@login_required
def suggestion_attachment_view(request: HttpRequest, pk: int, attachment: int) -> FileResponse:
    """A reply's file, to whoever may see the suggestion (never served from /media/)."""
    try:
        found = suggestion_attachment(user=request.user, suggestion_pk=pk, pk=attachment)
    except SuggestionReplyAttachment.DoesNotExist as exc:
        raise Http404(_("附件不存在，或不在您的工作范围内。")) from exc
    try:
        handle = found.file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404(_("附件文件已丢失。")) from exc
    response = FileResponse(handle, as_attachment=True, filename=found.name)
    response["X-Content-Type-Options"] = "nosniff"
    return response
