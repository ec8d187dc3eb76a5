"""The audit log as a spreadsheet (the administrator's; the same filters as /audit/)."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils import timezone

from .audit_views import AuditFilterForm, audit_events, describe
from .exporters import BaseExporter, register
from .permissions import allows


@register
class AuditExporter(BaseExporter):
    identifier = "audit_log"
    verbose_name = "审计日志"
    description = "登录、登录失败、账户锁定、权限拒绝、导出和用户变更(按审计日志页的筛选条件)。"
    form_class = AuditFilterForm
    frozen_columns = 1

    @classmethod
    def available(cls, scope) -> bool:
        return allows(scope, "see_audit_log")

    def iterate(self) -> Iterator[Any]:
        yield ["时间", "类型", "用户", "详情", "IP 地址", "方法", "路径", "浏览器"]
        events = audit_events(self.data)
        yield events.count()
        for event in events.iterator(chunk_size=1000):
            yield [timezone.localtime(event.at).strftime("%Y-%m-%d %H:%M:%S"), event.get_kind_display(),
                   event.username, ";".join(f"{label}:{text}" for label, text in describe(event)),
                   event.ip or "", event.method, event.path, event.user_agent]
