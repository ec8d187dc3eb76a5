"""/oversight/thresholds/: the liaison office reads a term's thresholds over time and changes them from a day on,
after a preview of what the change would do to today's findings."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from deputies.models import Term, ThresholdChange
from deputies.selectors import current_term, term_list, threshold_change_list
from deputies.services import threshold_change_create, threshold_change_delete
from dutyadmin.forms import apply_errors
from dutyadmin.history import record_history
from dutyadmin.permissions import allows
from oversight.rules.catalog import THRESHOLD_LABELS

from ..findings.facts import settings_load
from .forms import ThresholdChangeForm, next_new_year, value_field_name
from .selectors import change_preview, setting_rows, threshold_changes

SAVE = "save"  # the button 确认保存; any other POST (预览) only previews


def _allowed(request: HttpRequest) -> None:
    if not allows(request.user, "manage_thresholds"):
        raise PermissionDenied(_("只有代表联络机构可以调整履职阈值。"))


def _term(request: HttpRequest) -> Term | None:
    wanted = request.POST.get("term") or request.GET.get("term") or ""
    terms = term_list(user=request.user)
    if wanted.isdigit():
        return get_object_or_404(terms, pk=int(wanted))
    return current_term()


def _values_words(values: dict) -> list[str]:
    return [f"{THRESHOLD_LABELS.get(key, key)}:{value}" for key, value in values.items()]


@login_required
def thresholds_view(request: HttpRequest) -> HttpResponse:
    """A term's thresholds: in force today and since when, the changes, a form for a new one (预览, then 确认保存)."""
    _allowed(request)
    term = _term(request)
    context: dict = {"section": "thresholds", "terms": term_list(user=request.user), "term": term}
    if term is None:
        context["notices"] = [_("还没有建立任何一届。")]
        return render(request, "oversight/thresholds.html", context)
    today = timezone.localdate()
    settings = settings_load(term)
    in_force = dict(settings.on(today).values)
    # The next 1月1日 (no year already begun is judged by the new numbers), when the term still runs then.
    new_year = next_new_year(today)
    initial = {"effective_from": new_year} if term.start_date <= new_year <= term.end_date else {}
    form = ThresholdChangeForm(request.POST or None, in_force=in_force, initial=initial)
    preview = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        action = request.POST.get("action")
        if action == SAVE and request.POST.get("previewed") != _signature(data["effective_from"], form.values()):
            # Changed since the preview (or never previewed): show what this change would do before saving it.
            messages.warning(request, _("调整内容与预览时不同,请核对新的预览后再确认保存。"))
            action = None
        if action == SAVE:
            try:
                threshold_change_create(user=request.user, term=term, effective_from=data["effective_from"],
                                        values=form.values(), reason=data["reason"])
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                day = data["effective_from"]
                messages.success(request, _("已保存阈值调整,自%(day)s起施行。") % {
                    "day": f"{day.year}年{day.month}月{day.day}日"})
                return redirect(f"{reverse('oversight:thresholds')}?term={term.pk}")
        else:
            # The model's own checks (a day of the term, known keys) before anything is evaluated.
            candidate = ThresholdChange(term=term, effective_from=data["effective_from"], values=form.values(),
                                        reason=data["reason"])
            try:
                candidate.clean()
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                preview = change_preview(term=term, effective_from=data["effective_from"], values=form.values(),
                                         today=today)
    changes = threshold_changes(term=term)
    rows = setting_rows(term=term, today=today, settings=settings)
    context.update({
        "form": form,
        "value_fields": [form[value_field_name(row.key)] for row in rows],
        "rows": rows,
        "changes": [{"change": c, "values": _values_words(c.values), "in_force": c.effective_from <= today,
                     "who": _who(c.created_by)} for c in changes],
        "history": record_history(sources=[
            (_("阈值调整"), ThresholdChange.history.filter(term_id=term.pk)),
            (_("本届基础阈值"), Term.history.filter(id=term.pk)),
        ]),
        "preview": preview,
        "previewed": _signature(form.cleaned_data["effective_from"], form.values()) if preview else "",
        "today": today,
    })
    return render(request, "oversight/thresholds.html", context)


def _signature(day, values: dict) -> str:
    """What a preview was made for: the day and the values (a save of anything else previews again)."""
    return f"{day:%Y-%m-%d}|" + ",".join(f"{key}={value}" for key, value in sorted(values.items()))


def _who(user) -> str:
    if user is None:
        return "—"
    return f"{user.last_name}{user.first_name}".strip() or user.get_username()


@login_required
@require_POST
def threshold_change_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete a change that has not taken effect yet."""
    _allowed(request)
    change = get_object_or_404(threshold_change_list(user=request.user), pk=pk)
    try:
        threshold_change_delete(user=request.user, change=change, today=timezone.localdate())
    except ValidationError as exc:
        messages.error(request, ";".join(exc.messages))
    else:
        messages.success(request, _("已删除尚未施行的阈值调整。"))
    return redirect(f"{reverse('oversight:thresholds')}?term={change.term_id}")
