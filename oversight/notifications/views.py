"""Pages of notifications: the inbox, the user's preferences, the staff's log of what was sent."""
from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from .models import DeliveryMode, NotificationReason, NotificationStatus
from .services import (
    inbox_list,
    notifications_mark_read,
    preference_for,
    preference_save,
    sent_log_list,
    unread_count,
)
from dutyadmin.list_views import page_of
from dutyadmin.permissions import allows


class PreferenceForm(forms.Form):
    email = forms.BooleanField(label="电子邮件", required=False, help_text="发送到账户登记的电子邮箱。")
    sms = forms.BooleanField(label="短信", required=False, help_text="发送到代表登记的手机号码。")
    mode = forms.ChoiceField(label="发送方式", choices=DeliveryMode.choices, widget=forms.RadioSelect)


class LogFilterForm(forms.Form):
    status = forms.ChoiceField(label="发送状态", required=False, choices=[("", "全部"), *NotificationStatus.choices])
    reason = forms.ChoiceField(label="类别", required=False, choices=[("", "全部"), *NotificationReason.choices])
    q = forms.CharField(label="接收人", required=False, max_length=100)


@login_required
@require_http_methods(["GET", "POST"])
def inbox_view(request: HttpRequest) -> HttpResponse:
    """The user's messages; POST marks one (id) or all of them read."""
    if request.method == "POST":
        raw = request.POST.get("id", "").strip()
        if raw:
            if not raw.isdigit():
                messages.error(request, "消息编号无效。")
                return redirect("oversight:notification_inbox")
            notifications_mark_read(user=request.user, ids=[int(raw)])
        else:
            count = notifications_mark_read(user=request.user)
            messages.success(request, f"已将 {count} 条消息标为已读。")
        return redirect(request.POST.get("next") if request.POST.get("next", "").startswith("/oversight/")
                        else "oversight:notification_inbox")
    qs = inbox_list(user=request.user)
    unread_only = request.GET.get("unread") == "1"
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    notices: list[str] = []
    page = page_of(request, qs, notices)
    return render(request, "oversight/notifications_inbox.html", {
        "page": page, "notices": notices, "unread_only": unread_only, "unread": unread_count(user=request.user),
        "section": "notifications",
    })


@login_required
@require_http_methods(["GET", "POST"])
def preferences_view(request: HttpRequest) -> HttpResponse:
    """Which channels besides the inbox, and single messages or one daily digest."""
    pref = preference_for(request.user)
    if request.method == "POST":
        form = PreferenceForm(request.POST)
        if form.is_valid():
            try:
                preference_save(user=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, "通知设置已保存。")
                return redirect("oversight:notification_preferences")
    else:
        form = PreferenceForm(initial={"email": pref.email, "sms": pref.sms, "mode": pref.mode})
    return render(request, "oversight/notifications_preferences.html", {
        "form": form, "has_email": bool(request.user.email), "section": "notifications",
    }, status=400 if form.errors else 200)


@login_required
def sent_log_view(request: HttpRequest) -> HttpResponse:
    """What was sent to whom, when, by which channels, and what failed (within the user's scope)."""
    if not allows(request.user, "see_sent_notifications"):
        raise PermissionDenied("您无权查看通知发送记录。")
    form = LogFilterForm(request.GET or None)
    qs = sent_log_list(user=request.user)
    notices: list[str] = []
    if form.is_valid():
        data = form.cleaned_data
        if data["status"]:
            qs = qs.filter(status=data["status"])
        if data["reason"]:
            qs = qs.filter(reason=data["reason"])
        if data["q"]:
            qs = qs.filter(recipient__username__icontains=data["q"]) | qs.filter(
                recipient__first_name__icontains=data["q"]) | qs.filter(deputy__name__icontains=data["q"])
    elif form.is_bound:
        notices.append("查询条件无效,已显示全部记录。")
    page = page_of(request, qs, notices)
    return render(request, "oversight/notifications_log.html", {
        "page": page, "form": form, "notices": notices, "section": "notification_log",
    })


@login_required
def unread_view(request: HttpRequest) -> JsonResponse:
    """{"unread": n} for the header's badge (fetched by the page, so pages themselves cost no query)."""
    count = unread_count(user=request.user)
    return JsonResponse({"unread": count, "label": f"未读消息 {count} 条"})
