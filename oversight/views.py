"""Pages of oversight: the intervention list and the intervention form."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from deputies.scope import scope_for
from deputies.selectors import deputy_list
from dutyadmin import policy
from dutyadmin.forms import apply_errors, editable_deputies
from dutyadmin.navigation import may_enter_interventions, sees_records
from dutyadmin.services import record_save
from dutyadmin.views import page_of

from .forms import InterventionForm, InterventionSearchForm
from .models import Intervention
from .selectors import intervention_list


@login_required
def intervention_list_view(request: HttpRequest) -> HttpResponse:
    """Interventions about the deputies in scope, newest first, 50 a page."""
    scope = scope_for(request.user)
    if not sees_records(scope):
        raise PermissionDenied(_("您的角色不能查看履职处置。"))
    interventions = intervention_list(user=request.user).select_related("deputy__street_committee")
    interventions = interventions.order_by("-date", "-id")
    form = InterventionSearchForm(request.GET or None)
    notices: list[str] = []
    deputy = None
    if form.is_bound and not form.is_valid():
        labels = "、".join(str(form.fields[name].label or name) for name in form.errors)
        notices.append(_("筛选条件无效,已忽略:%(fields)s。") % {"fields": labels})
    data = form.cleaned_data if form.is_bound else {}
    if data.get("q"):
        word = data["q"]
        interventions = interventions.filter(
            Q(deputy__name__icontains=word) | Q(conducted_by__icontains=word) | Q(notes__icontains=word)
        )
    if data.get("rule"):
        interventions = interventions.filter(rule=data["rule"])
    if data.get("kind"):
        interventions = interventions.filter(kind=data["kind"])
    if data.get("deputy"):
        deputy = deputy_list(user=request.user).filter(pk=data["deputy"]).first()
        interventions = interventions.filter(deputy_id=data["deputy"])
    page = page_of(request, interventions, notices)
    context = {
        "section": "interventions",
        "form": form,
        "page": page,
        "deputy": deputy,
        "notices": notices,
        "can_create": may_enter_interventions(scope),
    }
    return render(request, "oversight/intervention_list.html", context)


def _intervention_form(request: HttpRequest, intervention: Intervention | None) -> HttpResponse:
    scope = scope_for(request.user)
    if not may_enter_interventions(scope):
        raise PermissionDenied(_("您的角色不能登记履职处置。"))
    if intervention is not None and not policy.can_edit_intervention(
        scope, deputy=intervention.deputy, rule=intervention.rule
    ):
        raise PermissionDenied(_("您无权修改这位代表的记录。"))
    deputies = editable_deputies(user=request.user, allowed=policy.can_edit_intervention)
    initial = {}
    if intervention is None and (wanted := request.GET.get("deputy", "")).isdigit():
        initial["deputy"] = deputies.filter(pk=int(wanted)).first()
    form = InterventionForm(request.POST or None, instance=intervention, deputies=deputies, initial=initial)
    if request.method == "POST" and form.is_valid():
        allowed = policy.can_edit_intervention(
            scope, deputy=form.cleaned_data["deputy"], rule=form.cleaned_data["rule"]
        )
        try:
            saved = record_save(form.instance, user=request.user, allowed=allowed)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已保存履职处置记录。"))
            return redirect("deputies:detail", pk=saved.deputy_id)
    context = {"section": "interventions", "form": form, "intervention": intervention}
    return render(request, "oversight/intervention_form.html", context)


@login_required
def intervention_create_view(request: HttpRequest) -> HttpResponse:
    return _intervention_form(request, None)


@login_required
def intervention_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    intervention = get_object_or_404(intervention_list(user=request.user), pk=pk)
    return _intervention_form(request, intervention)
