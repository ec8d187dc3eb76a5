"""The findings export: the findings page's findings with what was done about them."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from django import forms
from django.conf import settings

from deputies.selectors import current_term, deputy_list
from dutyadmin.exporters import BaseExporter, Mark, chinese_date, register
from oversight.rules import resolving_intervention

from ..findings.explain import next_step
from ..findings.forms import FindingFilterForm
from ..findings.selectors import findings_for
from ..interventions.selectors import intervention_list
from ..labels import RULE_LABELS, action_label, responsible_label, status_label
from .base import STATUS_TONE, _available


class FindingsExportForm(FindingFilterForm):
    """The findings page's filters; the term defaults to the current one, as on the page."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, term_required=False, **kwargs)

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("term"):
            data["term"] = current_term()
            if data["term"] is None:
                raise forms.ValidationError("还没有建立任何一届。")
        return data


@register
class FindingsExporter(BaseExporter):
    identifier = "findings"
    verbose_name = "履职提示及处置情况"
    description = ("履职提示页面所列的提示(同样的筛选条件),每条附应采取的处置、负责方和使该提示得到处置的约谈、通报等记录"
                   "(该规则的处置方式,日期在触发日期当天或之后)。")
    form_class = FindingsExportForm
    frozen_columns = 2

    @classmethod
    def available(cls, scope) -> bool:
        return _available(scope)

    def as_of(self) -> dt.date:
        return self.data.get("as_of") or self.today

    def title(self) -> str:
        term = self.data["term"]
        street = self.data.get("street_committee")
        where = f"{street.name} " if street else ""
        return (f"{settings.DISTRICT_NAME} {term.name} {where}履职提示及处置情况"
                f"(评估日期:{chinese_date(self.as_of())};导出日期:{chinese_date(self.today)})")

    def iterate(self) -> Iterator[Any]:
        yield ["代表", "人大街工委", "条款", "规则", "期间开始", "期间结束", "完成", "要求", "状态", "应采取的处置",
               "负责方", "触发日期", "已登记的处置", "说明", "所依据设置的施行日期"]
        data, as_of = self.data, self.as_of()
        filters = {name: value for name, value in data.items()
                   if name not in ("term", "as_of") and value not in (None, "", False)}
        findings = findings_for(user=self.user, term=data["term"], as_of=as_of, filters=filters)
        yield len(findings)
        ids = {f.deputy for f in findings}
        deputies = {d.pk: d for d in deputy_list(user=self.user).filter(pk__in=ids)}
        recorded: dict[int, list] = defaultdict(list)
        for item in intervention_list(user=self.user).filter(deputy_id__in=ids).order_by("date", "id"):
            recorded[item.deputy_id].append(item)
        for finding in findings:
            # Only the intervention that resolves this finding (the rules engine's word), not every one of the rule.
            item = resolving_intervention(finding.rule, finding.trigger_date, recorded.get(finding.deputy, ()), as_of)
            done = f"{chinese_date(item.date)} {item.get_kind_display()}({item.conducted_by})" if item else ""
            deputy = deputies.get(finding.deputy)
            tone = STATUS_TONE.get(finding.status)
            label = status_label(finding.status)
            yield [
                deputy.name if deputy else f"#{finding.deputy}",
                deputy.street_committee.name if deputy else "",
                finding.article, RULE_LABELS.get(finding.rule, finding.rule),
                finding.period_start, finding.period_end,
                Mark(finding.count, tone) if tone else finding.count, finding.required,
                Mark(label, tone) if tone else label,
                action_label(finding.action), responsible_label(finding.responsible, finding.rule),
                finding.trigger_date, done,
                next_step(finding, as_of),
                finding.settings_from,
            ]
