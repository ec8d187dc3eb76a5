"""Check-in by QR code for a meeting (自助签到): the printable code page for the secretariat and the page
a deputy reaches by scanning it. The token is dutyadmin.checkin's; the write is services'."""
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
from .models import Meeting


def checkin_url(request: HttpRequest, meeting: Meeting) -> str:
    token = services.meeting_checkin_token(meeting)
    return request.build_absolute_uri(reverse("meetings:checkin", args=[meeting.pk, token]))


@login_required
def meeting_checkin_code_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The printable check-in code (A4), for those who record attendance (the secretariat)."""
    meeting = get_object_or_404(Meeting.objects.select_related("session__term"), pk=pk)
    if not allows(scope_for(request.user), "record_attendance"):
        raise PermissionDenied(_("只有大会秘书处可以打印会议签到码。"))
    url = checkin_url(request, meeting)
    context = {
        "section": "meetings", "title": f"{meeting.session.full_name} · {meeting.title}",
        "location": "",
        "day_text": f"{day_span(services.meeting_checkin_days(meeting))} {meeting.get_half_day_display()}", "checkin_url": url, "qr_svg": qr_svg(url),
        "back_url": reverse("meetings:attendance_sheet", args=[meeting.pk]), "back_label": meeting.title,
    }
    return render(request, "checkin/code.html", context)


@login_required
def meeting_checkin_view(request: HttpRequest, pk: int, token: str) -> HttpResponse:
    """A deputy's scan: GET checks and asks to confirm; POST records 出席, marked 自助签到."""
    meeting = get_object_or_404(Meeting.objects.select_related("session__term"), pk=pk)
    context = {"section": "meetings", "kind_label": _("会议签到"),
               "title": f"{meeting.session.full_name} · {meeting.title}", "location": "",
               "day_text": f"{day_span(services.meeting_checkin_days(meeting))} {meeting.get_half_day_display()}", "outcome_label": _("出席")}
    record = request.method == "POST"
    try:
        attendance, already = services.attendance_self_check_in(
            user=request.user, meeting=meeting, token=token, record=record)
    except CheckinRefused as refusal:
        context["refusal"] = refusal
        return render(request, "checkin/result.html", context, status=403)
    name = attendance.deputy.name if attendance is not None else (request.user.get_full_name() or request.user.get_username())
    context.update(already=already, done=record and not already, deputy_name=name)
    if attendance is not None and attendance.self_checked_in_at:
        context["checked_at"] = f"{timezone.localtime(attendance.self_checked_in_at):%H:%M}"
    return render(request, "checkin/result.html", context)
