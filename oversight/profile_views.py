"""One deputy's page (/deputies/<id>/) and change history (/deputies/<id>/history/): they read the
deputy's records in every app (oversight/profile.py), so they live here; deputies/urls.py wires them."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from deputies.selectors import contact_assignment_list, deputy_list
from deputies.services import calendar_key_active
from dutyadmin.scope import scope_for
from dutyadmin.permissions import allows

from .profile import deputy_history, deputy_records_summary

HISTORY_ON_PAGE = 10


@login_required
def deputy_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Profile, records in summary and the latest changes of one deputy in scope."""
    deputy = get_object_or_404(deputy_list(user=request.user), pk=pk)
    scope = scope_for(request.user)
    history = deputy_history(deputy=deputy)
    context = {
        "section": "deputies",
        "deputy": deputy,
        "summary": deputy_records_summary(user=request.user, deputy=deputy),
        "contacts": list(contact_assignment_list(user=request.user).filter(deputy=deputy)),
        "history": history[:HISTORY_ON_PAGE],
        "history_total": len(history),
        "can_edit": allows(scope, "manage_roster"),
        "can_add_contribution": allows(scope, "enter_contribution", deputy),
        "can_add_intervention": allows(scope, "record_intervention", deputy),
        # 暂时停止执行代表职务 (代表法 Art. 61): span and reason; the liaison office enters them here.
        "suspensions": list(deputy.suspensions.order_by("-start_date", "-id")),
        "can_manage_suspensions": allows(scope, "manage_suspensions", deputy),
    }
    # --- calendar: the liaison office can turn the deputy's calendar feed off (the deputy has 我的日历订阅)
    if allows(scope, "revoke_calendar", deputy) and not allows(scope, "subscribe_calendar", deputy):
        context["can_revoke_calendar"] = True
        context["calendar_key"] = calendar_key_active(deputy=deputy)
    return render(request, "deputies/deputy_detail.html", context)


@login_required
def deputy_history_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Every change to the deputy and their records: who, when, before → after."""
    deputy = get_object_or_404(deputy_list(user=request.user), pk=pk)
    context = {"section": "deputies", "deputy": deputy, "history": deputy_history(deputy=deputy)}
    return render(request, "deputies/deputy_history.html", context)
