"""The constituents' opinions export: every opinion the user sees (the list's FilterSet and scope), then the
statistics per street and per station. No phone number is ever written, masked or not (RULES.md)."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from dutyadmin.exporters import BaseExporter, ExportSheet, Mark, chinese_date, register
from dutyadmin.permissions import allows
from oversight.opinions.choices import OpinionStatus
from oversight.opinions.filtersets import OpinionFilterSet
from oversight.opinions.selectors import VISIT_LABEL, opinion_list, opinion_statistics

STATUS_LABELS = dict(OpinionStatus.choices)
CHUNK = 1000
HEADER = ["收集日期", "街道工委", "接待活动", "接待地点", "听取意见的代表", "意见内容", "群众姓名", "状态", "转办单位", "转办日期",
          "答复期限", "答复日期", "是否按期", "答复内容", "反馈日期", "反馈情况", "是否逾期"]
FIGURES = ["收集", "转办", "已答复", "按期答复", "逾期未答复", "已反馈办结"]


def _cells(f) -> list:
    return [f.taken, f.forwarded, f.replied, f.on_time, Mark(f.overdue) if f.overdue else 0, f.closed]


@register
class OpinionsExporter(BaseExporter):
    identifier = "opinions"
    verbose_name = "群众意见办理情况"
    description = "群众意见列表页面所列的意见（同样的筛选条件），每条一行：收集、转办、答复和反馈；另附各街道和各接待地点的统计。不含联系电话。"
    sheet_name = "群众意见"
    filterset_class = OpinionFilterSet
    frozen_columns = 1

    @classmethod
    def available(cls, scope) -> bool:
        return allows(scope, "export") or allows(scope, "see_opinion_statistics")

    def base_queryset(self):
        return opinion_list(user=self.user)

    def sheets(self) -> Iterator[ExportSheet]:
        yield ExportSheet(self.sheet_name, self.iterate(), self.title(), self.frozen_columns)
        if not allows(self.scope, "see_opinion_statistics"):
            return
        stats = opinion_statistics(user=self.user, today=self.today)
        yield ExportSheet("街道统计", self._street_rows(stats), f"群众意见各街道办理情况(截至{chinese_date(self.today)})", 1)
        yield ExportSheet("接待地点统计", self._station_rows(stats),
                          f"群众意见各接待地点办理情况(截至{chinese_date(self.today)})", 2)

    def _street_rows(self, stats) -> Iterator[Any]:
        yield ["街道工委", *FIGURES]
        yield len(stats.streets) + 1
        for name, f in stats.streets:
            yield [name, *_cells(f)]
        yield ["合计", *_cells(stats.total)]

    def _station_rows(self, stats) -> Iterator[Any]:
        yield ["街道工委", "接待地点", *FIGURES]
        yield len(stats.stations)
        for street, station, f in stats.stations:
            yield [street, station, *_cells(f)]

    def iterate(self) -> Iterator[Any]:
        yield HEADER
        opinions = self.filtered().order_by("received_on", "id")
        yield opinions.count()
        for o in opinions.iterator(chunk_size=CHUNK):
            on_time = o.replied_on_time
            yield [
                o.received_on, o.street_committee.name, o.reception.title if o.reception_id else VISIT_LABEL,
                o.reception.location if o.reception_id else "", "、".join(d.name for d in o.deputies.all()),
                o.content, o.citizen_name, STATUS_LABELS[o.status], o.forwarded_to.name if o.forwarded_to_id else "",
                o.forwarded_on, o.reply_due, o.replied_on, "" if on_time is None else ("是" if on_time else Mark("否")),
                o.reply_text, o.fed_back_on, o.close_note, Mark("是") if o.overdue_on(self.today) else "否",
            ]
