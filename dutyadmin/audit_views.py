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
from .roles import Role


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


DETAIL_LABELS = {
    "subject": "对象用户", "attempted": "尝试的用户名", "name": "导出", "filters": "筛选条件", "job_id": "导出任务",
    "added": "增加角色", "removed": "移除角色", "changed": "变更", "reason": "原因", "api": "接口",
}
FIELD_LABELS = {
    "username": "用户名", "first_name": "名", "last_name": "姓", "email": "邮箱", "is_active": "启用",
    "is_staff": "管理后台", "is_superuser": "超级用户", "street_committee_id": "街工委", "delegation_id": "代表团",
    "deputy_id": "代表", "handling_unit_id": "承办单位",
}
HIDDEN_KEYS = {"subject_id", "status", "exporter", "created"}
ROLE_NAMES = dict(Role.choices)


def _text(value) -> str:
    if value is None or value == "":
        return "(空)"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "、".join(_text(v) for v in value)
    if isinstance(value, dict):
        return ";".join(f"{FIELD_LABELS.get(k, k)}:{_text(v)}" for k, v in value.items() if v not in ("", None, []))
    return str(value)


def describe(event: AuditEvent) -> list[tuple[str, str]]:
    """The event's detail in words: (label, text) pairs, field names and roles in Chinese, no ids."""
    parts = []
    for key, value in (event.detail or {}).items():
        if key in HIDDEN_KEYS or (key == "api" and not value):
            continue
        if key == "api":
            parts.append(("来源", "API"))
        elif key in ("added", "removed"):
            parts.append((DETAIL_LABELS[key], "、".join(ROLE_NAMES.get(v, v) for v in value)))
        elif key == "changed":
            changes = [f"{FIELD_LABELS.get(k, k)}:{_text(v[0])} → {_text(v[1])}" for k, v in value.items()]
            if changes:
                parts.append(("变更", ";".join(changes)))
        elif key == "filters":
            text = _text(value)
            parts.append(("筛选条件", text or "(无)"))
        else:
            parts.append((DETAIL_LABELS.get(key, key), _text(value)))
    return parts


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
    for event in page.object_list:
        event.described = describe(event)
    return render(request, "dutyadmin/audit_list.html", {
        "page": page, "form": form, "notices": notices, "section": "audit",
    }, status=400 if form.errors else 200)
