"""Excel export of the deputy roster (代表名册), with the deputy list page's filters (DeputyFilterSet)."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.http import QueryDict

from dutyadmin.exporters import BaseExporter, Mark, chinese_date, register
from dutyadmin.permissions import allows

from .choices import DeputyStatus, Gender
from .filtersets import DeputyFilterSet
from .selectors import current_term, deputy_list

STATUS_LABELS = dict(DeputyStatus.choices)
GENDER_LABELS = dict(Gender.choices)


@register
class RosterExporter(BaseExporter):
    identifier = "roster"
    verbose_name = "代表名册"
    description = "范围内代表的基本信息:人大街工委、代表团、任职期间、单位职务、选区、联系电话。筛选条件与代表名册页面相同。"
    filterset_class = DeputyFilterSet

    @classmethod
    def available(cls, scope) -> bool:
        return allows(scope, "export")

    def base_queryset(self):
        return deputy_list(user=self.user)

    def filter_data(self, data: QueryDict) -> QueryDict:
        # As the list page: the current term unless another (or all: term=) is asked for.
        term = current_term()
        if "term" not in data and term is not None:
            data = data.copy()
            data["term"] = str(term.pk)
        return data

    def title(self) -> str:
        term = self.filterset.form.cleaned_data.get("term") if self.is_valid() else None
        street = self.filterset.form.cleaned_data.get("street_committee") if self.is_valid() else None
        parts = [settings.DISTRICT_NAME, term.name if term else "", street.name if street else ""]
        where = " ".join(part for part in parts if part)
        return f"{where} 人大代表名册(截至{chinese_date(self.today)})"

    def iterate(self) -> Iterator[Any]:
        yield ["序号", "姓名", "性别", "人大街工委", "代表团", "状态", "任职开始", "任职结束", "工作单位", "职务",
               "选区", "中共党员", "联系电话"]
        deputies = self.filtered().select_related("street_committee", "delegation").order_by(
            "street_committee__code", "name", "id")
        yield deputies.count()
        for number, deputy in enumerate(deputies.iterator(chunk_size=2000), start=1):
            status = STATUS_LABELS.get(deputy.status, deputy.status)
            yield [
                number, deputy.name, GENDER_LABELS.get(deputy.gender, deputy.gender), deputy.street_committee.name,
                deputy.delegation.name if deputy.delegation_id else "",
                status if deputy.status == DeputyStatus.ACTIVE else Mark(status, "muted"),
                deputy.service_start, deputy.service_end, deputy.unit, deputy.position, deputy.constituency,
                "是" if deputy.party_member else "否", deputy.phone,
            ]
