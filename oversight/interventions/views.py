"""Pages of interventions: the list, and recording or changing one (约谈、通报、资格终止、劝辞)."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from deputies.selectors import deputy_list, editable_deputies
from dutyadmin.forms import apply_errors
from dutyadmin.scope import scope_for
from dutyadmin.list_views import RecordListView
from dutyadmin.permissions import allows
from dutyadmin.year_lock import year_lock_notice
from oversight.rules.catalog import ACTION_RULES_BY_ID

from ..models import Intervention
from ..public.selectors import can_publish
from .filtersets import InterventionFilterSet
from .forms import InterventionForm
from .selectors import intervention_list, intervention_unmet_trigger
from .services import early_message, intervention_record, intervention_update


class InterventionListView(RecordListView):
    """Interventions about the deputies in scope, newest first, 50 a page.

    The API's FilterSet, so a query string filters the page and /api/v1/interventions/ alike.
    """

    filterset_class = InterventionFilterSet
    template_name = "oversight/intervention_list.html"
    section = "interventions"
    deputies = deputy_list
    denied_message = gettext_lazy("您的角色不能查看履职处置。")

    @staticmethod
    def selector(*, user):
        return intervention_list(user=user).select_related("deputy__street_committee")

    def get_extra_context(self, *, scope, filterset, page) -> dict:
        return {"can_create": allows(scope, "record_intervention"), "can_publish": can_publish(scope)}


intervention_list_view = InterventionListView.as_view()


def _intervention_initial(request: HttpRequest, deputies) -> dict:
    """Prefill from an action finding's link: ?deputy=&rule= (the kind follows the rule)."""
    initial: dict = {}
    if (wanted := request.GET.get("deputy", "")).isdigit():
        initial["deputy"] = deputies.filter(pk=int(wanted)).first()
    rule = ACTION_RULES_BY_ID.get(request.GET.get("rule", ""))
    if rule is not None:
        initial["rule"], initial["kind"] = rule.id, rule.kind
    initial["date"] = timezone.localdate()
    return initial


def _safe_next(request: HttpRequest) -> str:
    """Where to go after saving: the page the form was opened from, if it is one of ours."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return ""


def _intervention_form(request: HttpRequest, intervention: Intervention | None) -> HttpResponse:
    scope = scope_for(request.user)
    if not allows(scope, "record_intervention"):
        raise PermissionDenied(_("您的角色不能登记履职处置。"))
    if intervention is not None and not allows(scope, "record_intervention", intervention):
        raise PermissionDenied(_("您无权修改这位代表的记录。"))
    deputies = editable_deputies(user=request.user, act="record_intervention")
    initial = _intervention_initial(request, deputies) if intervention is None else {}
    form = InterventionForm(request.POST or None, instance=intervention, deputies=deputies, initial=initial)
    next_url = _safe_next(request)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "confirm_early"}
        # Whether the date resolves the finding is the rules' to say (oversight.rules.resolution).
        trigger = intervention_unmet_trigger(deputy=data["deputy"], rule=data["rule"], date=data["date"],
                                             intervention=intervention)
        if trigger is not None and not form.cleaned_data["confirm_early"]:
            form.warn_early(early_message(trigger))
            context = {"section": "interventions", "form": form, "intervention": intervention, "next": next_url}
            return render(request, "oversight/intervention_form.html", context)
        try:
            if intervention is None:
                saved = intervention_record(
                    user=request.user, deputy=data["deputy"], rule=data["rule"], kind=data["kind"],
                    date=data["date"], conducted_by=data["conducted_by"], notes=data["notes"],
                )
            else:
                saved = intervention_update(user=request.user, intervention=intervention, data=data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if trigger is not None:
                messages.warning(request, _("已保存履职处置记录;该提示仍为“待处置”(处置日期早于触发日期)。"))
            else:
                messages.success(request, _("已保存履职处置记录。"))
            return redirect(next_url or reverse("deputies:detail", args=[saved.deputy_id]))
    context = {"section": "interventions", "form": form, "intervention": intervention, "next": next_url,
               "year_lock_notices": year_lock_notice(user=request.user), "can_publish": can_publish(scope)}
    return render(request, "oversight/intervention_form.html", context)


@login_required
def intervention_create_view(request: HttpRequest) -> HttpResponse:
    return _intervention_form(request, None)


@login_required
def intervention_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    intervention = get_object_or_404(intervention_list(user=request.user), pk=pk)
    return _intervention_form(request, intervention)
