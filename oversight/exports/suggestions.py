"""The suggestions export: every suggestion the user sees with its clocks, then the handling statistics.

The first sheet lists the suggestion list's suggestions (the same FilterSet, the current term by default, the
user's scope); the others are oversight.suggestions.statistics' tables for the same term (and session), for the
roles that see them. No personal phone number is written.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.conf import settings

from dutyadmin.exporters import BaseExporter, Column, ExportSheet, Mark, chinese_date, register
from dutyadmin.permissions import allows
from oversight.suggestions.choices import Resolution, Satisfaction, SuggestionStatus
from oversight.suggestions.filtersets import SuggestionFilterSet
from oversight.suggestions.selectors import suggestions_visible_to
from oversight.suggestions.statistics import CLOSED_PERIOD_LABEL, Figures, percent_text, term_statistics

from .base import _with_current_term

S = SuggestionStatus
STATUS_LABELS = dict(S.choices)
RESOLUTION_LABELS = dict(Resolution.choices)
SATISFACTION_LABELS = dict(Satisfaction.choices)
STATUS_TONES = {S.CLOSED: "ok", S.WITHDRAWN: "muted", S.REHANDLING: "warn"}
CHUNK = 1000

HEADER = ["标题", "领衔代表", "附议代表", "大会/闭会", "提出日期", "主办单位", "协办单位", "交办日期", "答复期限", "是否延期",
          "延期理由", "答复日期", "是否按期", "办理结果", "代表评价", "反馈期限", "重新办理期限", "重新办理答复日期", "状态",
          "是否逾期"]

ASSIGNED, REPLIES, EVALUATION = "交办和答复", "答复情况", "代表评价"
UNIT_HEADER = [
    "主办单位", Column(ASSIGNED, "交办"), Column(ASSIGNED, "已答复"), Column(ASSIGNED, "按期答复"),
    Column(ASSIGNED, "按期答复率"), Column(ASSIGNED, "逾期未答复"), Column(ASSIGNED, "延期"),
    Column(EVALUATION, "满意"), Column(EVALUATION, "基本满意"), Column(EVALUATION, "不满意"), Column(EVALUATION, "满意率"),
    Column(REPLIES, "已解决"), Column(REPLIES, "已解决占比"), Column(REPLIES, "重新办理"),
]
SESSION_HEADER = ["大会/闭会", "提出", "待交办", "已交办", "已答复", "按期答复", "按期答复率", "逾期未答复", "已办结", "满意率",
                  "已解决占比", "撤回"]


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("是" if value else "否")


def unit_cells(f: Figures) -> list:
    return [f.assigned, f.replied, f.on_time, percent_text(f.on_time_rate), Mark(f.overdue) if f.overdue else 0,
            f.extended, f.satisfied, f.basically_satisfied, f.dissatisfied, percent_text(f.satisfaction_rate),
            f.resolved, percent_text(f.resolved_share), f.rehandled]


def session_cells(f: Figures) -> list:
    return [f.submitted, f.pending, f.assigned, f.replied, f.on_time, percent_text(f.on_time_rate),
            Mark(f.overdue) if f.overdue else 0, f.closed, percent_text(f.satisfaction_rate),
            percent_text(f.resolved_share), f.withdrawn]


@register
class SuggestionsExporter(BaseExporter):
    identifier = "suggestions"
    verbose_name = "代表建议办理情况"
    description = ("建议列表页面所列的建议（同样的筛选条件，默认当前届），每条建议一行：交办、答复期限、延期、答复、"
                   "是否按期、办理结果、代表评价和各项期限；另附各承办单位和各次大会的办理统计。")
    sheet_name = "代表建议"
    filterset_class = SuggestionFilterSet
    frozen_columns = 1

    @classmethod
    def available(cls, scope) -> bool:
        return allows(scope, "export") or allows(scope, "see_suggestion_statistics")

    def base_queryset(self):
        return suggestions_visible_to(self.user)

    def filter_data(self, data):
        return _with_current_term(data)

    def _where(self) -> str:
        cleaned = self.filterset.form.cleaned_data
        term, session = cleaned.get("term"), cleaned.get("session")
        parts = [settings.DISTRICT_NAME, term.name if term else ""]
        if session is not None:
            parts.append(session.name)
        elif cleaned.get("closed_period"):
            parts.append(CLOSED_PERIOD_LABEL)
        return " ".join(p for p in parts if p)

    def title(self) -> str:
        return f"{self._where()} 代表建议办理情况(截至{chinese_date(self.today)})"

    def sheets(self) -> Iterator[ExportSheet]:
        yield ExportSheet(self.sheet_name, self.iterate(), self.title(), self.frozen_columns)
        cleaned = self.filterset.form.cleaned_data
        term = cleaned.get("term")
        if term is None or not allows(self.scope, "see_suggestion_statistics"):
            return
        stats = term_statistics(user=self.user, term=term, today=self.today, session=cleaned.get("session"),
                                closed_period=bool(cleaned.get("closed_period")))
        yield ExportSheet("承办单位统计", self._unit_rows(stats),
                          f"{self._where()} 各承办单位办理情况(截至{chinese_date(self.today)})", 1)
        yield ExportSheet("大会统计", self._session_rows(stats),
                          f"{settings.DISTRICT_NAME} {term.name} 各次大会和闭会期间建议情况(截至{chinese_date(self.today)})", 1)

    def _unit_rows(self, stats) -> Iterator[Any]:
        yield UNIT_HEADER
        yield len(stats.units) + (1 if stats.district else 0)
        for row in stats.units:
            yield [row.unit.name, *unit_cells(row.figures)]
        if stats.district:
            yield ["合计", *unit_cells(stats.unit_total)]

    def _session_rows(self, stats) -> Iterator[Any]:
        yield SESSION_HEADER
        yield len(stats.sessions) + 1
        for row in stats.sessions:
            yield [row.label, *session_cells(row.figures)]
        yield ["全届合计", *session_cells(stats.session_total)]

    def iterate(self) -> Iterator[Any]:
        yield HEADER
        suggestions = self.filtered().order_by("submitted_on", "id")
        yield suggestions.count()
        chunk: list = []
        # iterator(chunk_size) prefetches each chunk's cosigners and co-units (one query each per chunk).
        for suggestion in suggestions.iterator(chunk_size=CHUNK):
            chunk.append(suggestion)
            if len(chunk) >= CHUNK:
                yield from self._rows(chunk)
                chunk = []
        if chunk:
            yield from self._rows(chunk)

    def _rows(self, chunk: list) -> Iterator[list]:
        for s in chunk:
            overdue = s.overdue_on(self.today)
            on_time = s.replied_on_time
            rehandling_reply = s.replied_on if s.rehandled and s.replied_on != s.first_replied_on else None
            yield [
                s.title, s.lead_deputy.name, "、".join(d.name for d in s.cosigners.all()),
                s.session.name if s.session_id else CLOSED_PERIOD_LABEL, s.submitted_on,
                s.lead_unit.name if s.lead_unit_id else "", "、".join(u.name for u in s.co_units.all()),
                s.assigned_on, s.due_date, "是" if s.extended else ("否" if s.assigned_on else ""), s.extension_reason,
                s.first_replied_on, Mark("否") if on_time is False else _yes_no(on_time),
                RESOLUTION_LABELS.get(s.resolution, ""), SATISFACTION_LABELS.get(s.satisfaction, ""),
                s.feedback_due, s.rehandling_due, rehandling_reply,
                Mark(STATUS_LABELS[s.status], STATUS_TONES[s.status]) if s.status in STATUS_TONES
                else STATUS_LABELS[s.status],
                Mark("是") if overdue else "否",
            ]
