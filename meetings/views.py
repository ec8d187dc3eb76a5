"""Pages of meetings: the contribution list and the contribution form."""
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
from dutyadmin.navigation import may_enter_contributions, sees_records
from dutyadmin.services import record_save
from dutyadmin.views import page_of

from .forms import ContributionForm, ContributionSearchForm
from .models import Contribution
from .selectors import contribution_list


@login_required
def contribution_list_view(request: HttpRequest) -> HttpResponse:
    """Contributions of the deputies in scope, newest first, 50 a page."""
    scope = scope_for(request.user)
    if not sees_records(scope):
        raise PermissionDenied(_("您的角色不能查看审议意见和建议。"))
    contributions = contribution_list(user=request.user).order_by("-date", "-id")
    form = ContributionSearchForm(request.GET or None)
    notices: list[str] = []
    deputy = None
    if form.is_bound and not form.is_valid():
        labels = "、".join(str(form.fields[name].label or name) for name in form.errors)
        notices.append(_("筛选条件无效,已忽略:%(fields)s。") % {"fields": labels})
    data = form.cleaned_data if form.is_bound else {}
    if data.get("q"):
        contributions = contributions.filter(Q(title__icontains=data["q"]) | Q(deputy__name__icontains=data["q"]))
    if data.get("kind"):
        contributions = contributions.filter(kind=data["kind"])
    if data.get("year"):
        contributions = contributions.filter(date__year=data["year"])
    if data.get("deputy"):
        deputy = deputy_list(user=request.user).filter(pk=data["deputy"]).first()
        contributions = contributions.filter(deputy_id=data["deputy"])
    page = page_of(request, contributions, notices)
    context = {
        "section": "contributions",
        "form": form,
        "page": page,
        "deputy": deputy,
        "notices": notices,
        "can_create": may_enter_contributions(scope),
    }
    return render(request, "meetings/contribution_list.html", context)


def _contribution_form(request: HttpRequest, contribution: Contribution | None) -> HttpResponse:
    scope = scope_for(request.user)
    if not may_enter_contributions(scope):
        raise PermissionDenied(_("您的角色不能登记审议意见和建议。"))
    if contribution is not None and not policy.can_edit_contribution(scope, deputy=contribution.deputy):
        raise PermissionDenied(_("您无权修改这位代表的记录。"))
    deputies = editable_deputies(user=request.user, allowed=policy.can_edit_contribution)
    initial = {}
    if contribution is None and (wanted := request.GET.get("deputy", "")).isdigit():
        initial["deputy"] = deputies.filter(pk=int(wanted)).first()
    form = ContributionForm(request.POST or None, instance=contribution, deputies=deputies, initial=initial)
    if request.method == "POST" and form.is_valid():
        allowed = policy.can_edit_contribution(scope, deputy=form.cleaned_data["deputy"])
        try:
            saved = record_save(form.instance, user=request.user, allowed=allowed)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已保存“%(title)s”。") % {"title": saved.title})
            return redirect("deputies:detail", pk=saved.deputy_id)
    context = {"section": "contributions", "form": form, "contribution": contribution}
    return render(request, "meetings/contribution_form.html", context)


@login_required
def contribution_create_view(request: HttpRequest) -> HttpResponse:
    return _contribution_form(request, None)


@login_required
def contribution_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    contribution = get_object_or_404(contribution_list(user=request.user), pk=pk)
    return _contribution_form(request, contribution)
