"""The audit log page (/audit/): the administrator's list of logins, denials, exports and user changes,
filtered by kind, user and dates, searchable, newest first (the rows are dutyadmin.audit's)."""
from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from .list_views import page_of
from .models import AuditEvent, AuditKind
from .permissions import allows


class AuditFilterForm(forms.Form):
    kind = forms.ChoiceField(label="类型", required=False, choices=[("", "全部类型"), *AuditKind.choices])
    user = forms.CharField(label="用户名", required=False, max_length=150)
    start = forms.DateField(label="起始日期", required=False, widget=forms.DateInput(attrs={"type": "date"}),
                            error_messages={"invalid": "请输入有效的日期。"})
    end = forms.DateField(label="截止日期", required=False, widget=forms.DateInput(attrs={"type": "date"}),
                          error_messages={"invalid": "请输入有效的日期。"})
    q = forms.CharField(label="搜索", required=False, max_length=100)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", "截止日期不能早于起始日期。")
        return data


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def audit_events(data: dict):
    """The events matching the form's cleaned data, newest first."""
    qs = AuditEvent.objects.select_related("user")
    if data.get("kind"):
        qs = qs.filter(kind=data["kind"])
    if data.get("user"):
        qs = qs.filter(username__icontains=data["user"].strip())
    if data.get("start"):
        qs = qs.filter(at__gte=_day_start(data["start"]))
    if data.get("end"):
        qs = qs.filter(at__lt=_day_start(data["end"] + dt.timedelta(days=1)))
    if data.get("q"):
        term = data["q"].strip()
        qs = qs.filter(Q(username__icontains=term) | Q(path__icontains=term) | Q(ip__icontains=term)
                       | Q(user_agent__icontains=term))
    return qs.order_by("-at", "-id")


@login_required
def audit_list_view(request: HttpRequest) -> HttpResponse:
    if not allows(request.user, "see_audit_log"):
        raise PermissionDenied("只有系统管理员可以查看审计日志。")
    form = AuditFilterForm(request.GET or None)
    notices: list[str] = []
    data = {}
    if form.is_valid():
        data = form.cleaned_data
    elif form.is_bound:
        notices.append("查询条件无效,已显示全部记录。")
    page = page_of(request, audit_events(data), notices)
    return render(request, "dutyadmin/audit_list.html", {
        "page": page, "form": form, "notices": notices, "section": "audit",
    }, status=400 if form.errors else 200)
