"""Check-in by QR code for an activity (自助签到): the printable code page for its staff and the page a
deputy reaches by scanning it. The token is dutyadmin.checkin's; the write is services'."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dutyadmin.checkin import CheckinRefused, day_span, qr_svg
from dutyadmin.permissions import allows
from dutyadmin.scope import scope_for

from . import services
from .models import Activity


def checkin_url(request: HttpRequest, activity: Activity) -> str:
    token = services.activity_checkin_token(activity)
    return request.build_absolute_uri(reverse("activities:checkin", args=[activity.pk, token]))


@login_required
def activity_checkin_code_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The printable check-in code (A4), for staff who may enter this activity's participations."""
    activity = get_object_or_404(Activity.objects.select_related("term"), pk=pk)
    if not allows(scope_for(request.user), "enter_activity", activity):
        raise PermissionDenied(_("您无权打印这项活动的签到码。"))
    url = checkin_url(request, activity)
    context = {
        "section": "activities", "title": activity.title, "location": activity.location,
        "day_text": day_span(services.activity_checkin_days(activity)), "checkin_url": url, "qr_svg": qr_svg(url),
        "back_url": reverse("activities:detail", args=[activity.pk]), "back_label": activity.title,
    }
    return render(request, "checkin/code.html", context)


@login_required
def activity_checkin_view(request: HttpRequest, pk: int, token: str) -> HttpResponse:
    """A deputy's scan: GET checks and asks to confirm; POST records 出席, marked 自助签到."""
    activity = get_object_or_404(Activity, pk=pk)
    context = {"section": "activities", "kind_label": _("闭会期间活动签到"), "title": activity.title,
               "location": activity.location, "day_text": day_span(services.activity_checkin_days(activity)),
               "outcome_label": _("出席")}
    record = request.method == "POST"
    try:
        participation, already = services.participation_self_check_in(
            user=request.user, activity=activity, token=token, record=record)
    except CheckinRefused as refusal:
        context["refusal"] = refusal
        return render(request, "checkin/result.html", context, status=403)
    context.update(already=already, done=record and not already, deputy_name=_deputy_name(participation, request))
    if participation is not None and participation.self_checked_in_at:
        context["checked_at"] = f"{timezone.localtime(participation.self_checked_in_at):%H:%M}"
    return render(request, "checkin/result.html", context)


def _deputy_name(participation, request: HttpRequest) -> str:
    if participation is not None:
        return participation.deputy.name
    return request.user.get_full_name() or request.user.get_username()
