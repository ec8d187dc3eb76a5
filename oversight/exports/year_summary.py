"""The year summary export: every rule's count, required and status per deputy for a year (as the handbook).

It applies the user's scope through the selectors and the list page's filters through its FilterSet
(dutyadmin.exporters explains the base class and the layout).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from django import forms
from django.conf import settings
from django.db import connection

from deputies.choices import DeputyStatus
from deputies.filtersets import DeputyFilterSet
from deputies.models import Term
from deputies.selectors import current_term, deputy_list
from dutyadmin.exporters import BaseExporter, Column, ExportForm, ExportSheet, Mark, chinese_date, register
from oversight.rules import classify
from oversight.rules.catalog import ACTION_RULES, THRESHOLD_RULES

from ..findings.facts import DeputyRange
from ..findings.forms import IdChoiceField
from ..handbook.build import TALLIED, YearField, YearFigures, default_year, year_as_of, year_figures
from ..labels import RULE_LABELS, STATUSES, status_label
from .base import STATUS_TONE, _available, _in_service

DEPUTY_CHUNK = 800  # deputies evaluated at a time: memory stays flat for any size of term
STATUS_LABELS = dict(DeputyStatus.choices)


class TermYearForm(ExportForm):
    """term (default the current one) and a calendar year of it (default this year, within the term)."""

    term = IdChoiceField(label="届", queryset=Term.objects.all(), required=False,
                         error_messages={"invalid_choice": "届“%(value)s”不存在。"})
    year = YearField(label="年度", required=False)

    def __init__(self, *args, today: dt.date, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    def clean(self) -> dict:
        data = super().clean()
        term = data.get("term") or current_term()
        if term is None:
            raise forms.ValidationError("还没有建立任何一届。")
        data["term"] = term
        if "year" in self.errors:
            return data
        year = data.get("year") or default_year(term, self.today)
        if not term.start_date.year <= year <= term.end_date.year:
            self.add_error("year", f"年度必须在{term.name}的任期内({term.start_date.year}–{term.end_date.year})。")
        data["year"] = year
        return data


# The year's meetings by the classification's status (oversight.rules.classify), as the handbook tallies them.
MEETINGS = "大会会议"
MEETING_COLUMNS = {
    classify.PRESENT: Column(MEETINGS, "出席"),
    classify.EXCUSED: Column(MEETINGS, "请假"),
    classify.UNEXCUSED: Column(MEETINGS, "未经批准缺席"),
    classify.NOT_RECORDED: Column(MEETINGS, "未记录"),
}
MEETING_TONES = {classify.UNEXCUSED: "bad", classify.NOT_RECORDED: "warn"}
assert tuple(MEETING_COLUMNS) == TALLIED


def meeting_cells(figures: YearFigures) -> list:
    """The year's meetings present, excused, unexcused and not recorded; unexcused and missing ones marked."""
    cells: list = []
    for status in MEETING_COLUMNS:
        n = figures.meetings.get(status, 0)
        tone = MEETING_TONES.get(status)
        cells.append(Mark(n, tone) if n and tone else n)
    return cells


def rule_columns() -> list[Column]:
    """Three columns per rule under the rule's name once, thresholds first, in the catalog's order:
    完成 / 要求 / 状态 of a threshold; 次数 / 标准 (the count that triggers it) / 状态 of an action, blank when
    it was not triggered that year."""
    columns = []
    for rule in THRESHOLD_RULES:
        name = f"{rule.article} {RULE_LABELS[rule.id]}"
        columns += [Column(name, "完成"), Column(name, "要求"), Column(name, "状态")]
    for rule in ACTION_RULES:
        name = f"{rule.article} {RULE_LABELS[rule.id]}"
        columns += [Column(name, "次数"), Column(name, "标准"), Column(name, "状态")]
    return columns


IDENTITY_COLUMNS = ["序号", "代表", "人大街工委", "代表团", "状态"]
# Where a deputy's row splits into the two blocks (sheets): who, the meetings and the thresholds | the actions.
SPLIT = len(IDENTITY_COLUMNS) + len(MEETING_COLUMNS) + 3 * len(THRESHOLD_RULES)
SHEET_NAMES = ("出席与履职要求", "处置事项")

NOT_APPLICABLE = Mark("不适用", "muted")
THRESHOLD_IDS = frozenset(rule.id for rule in THRESHOLD_RULES)


def rule_cells(figures: YearFigures, labels: dict[str, str]) -> list:
    """The three cells of every rule for one deputy, below-threshold ones marked (labels: status → 中文)."""
    rules = figures.rules
    cells: list = []
    for rule in (*THRESHOLD_RULES, *ACTION_RULES):
        figure = rules.get(rule.id)
        if figure is None:
            # A threshold rule with no window in the year; an action rule not triggered that year (blank).
            cells += [None, None, NOT_APPLICABLE] if rule.id in THRESHOLD_IDS else [None, None, None]
            continue
        tone = STATUS_TONE.get(figure.status)
        label = labels[figure.status]
        cells += ([Mark(figure.count, tone), figure.required, Mark(label, tone)] if tone
                  else [figure.count, figure.required, label])
    return cells


@register
class YearSummaryExporter(BaseExporter):
    identifier = "year_summary"
    verbose_name = "年度履职情况汇总"
    description = ("每位代表一行:该年度大会会议的出席、请假、未经批准缺席和未记录次数,每条规则的完成数、要求数和状态"
                   "(与履职手册一致),未达标、进度落后和待处置的单元格标色;处置事项的状态空白为该年度未触发。"
                   "分两张工作表:出席与履职要求、处置事项,各横向打印一页宽。"
                   "可按届、年度、人大街工委、代表团等筛选。")
    form_class = TermYearForm
    filterset_class = DeputyFilterSet
    frozen_columns = 2

    @classmethod
    def available(cls, scope) -> bool:
        return _available(scope)

    def form_kwargs(self) -> dict:
        return {"today": self.today}

    def base_queryset(self):
        return deputy_list(user=self.user)

    def title(self) -> str:
        term, year = self.data["term"], self.data["year"]
        street = self.filterset.form.cleaned_data.get("street_committee")
        where = f"{street.name} " if street else ""
        as_of = year_as_of(year, self.today)
        return (f"{settings.DISTRICT_NAME} {term.name} {where}{year}年度代表履职情况汇总"
                f"(评估日期:{chinese_date(as_of)};导出日期:{chinese_date(self.today)})")

    def filename(self) -> str:
        return f"{self.data['year']}年度履职情况汇总-{self.today:%Y%m%d}.xlsx"

    def deputies(self):
        term, year = self.data["term"], self.data["year"]
        return (self.filtered().filter(term=term).filter(_in_service(dt.date(year, 1, 1), dt.date(year, 12, 31)))
                .select_related("street_committee", "delegation").order_by("street_committee__code", "name", "id"))

    def iterate(self) -> Iterator[Any]:
        term, year = self.data["term"], self.data["year"]
        yield [*IDENTITY_COLUMNS, *MEETING_COLUMNS.values(), *rule_columns()]
        deputies = list(self.deputies().values_list("id", "name", "status", "street_committee__name",
                                                    "delegation__name", named=True))
        yield len(deputies)
        labels = {status: status_label(status) for status in STATUSES}  # translated once, not per cell
        # The figures chunk by chunk of ids, in id order (each chunk one range of the tables' deputy index: linear in
        # the term); the rows in the table's order (street, name), each written as soon as the figures of every row
        # before it are loaded: where ids follow the streets, as entered, rows (and the progress bar) move steadily.
        ids = sorted(d.id for d in deputies)
        ranges = [DeputyRange(ids[start], ids[min(start + DEPUTY_CHUNK, len(ids)) - 1])
                  for start in range(0, len(ids), DEPUTY_CHUNK)]
        shown = set(ids)
        figures: dict[int, YearFigures] = {}
        waiting = iter(enumerate(deputies, start=1))
        row = next(waiting, None)
        none = YearFigures.of(())
        for loaded, chunk in zip(ranges, self._figures_ahead(term, year, ranges)):
            figures.update((k, v) for k, v in chunk.items() if k in shown)
            while row is not None and row[1].id <= loaded.last:
                number, deputy = row
                status = STATUS_LABELS.get(deputy.status, deputy.status)
                mine = figures.pop(deputy.id, none)
                yield [number, deputy.name, deputy.street_committee__name, deputy.delegation__name or "",
                       status if deputy.status == DeputyStatus.ACTIVE else Mark(status, "muted"),
                       *meeting_cells(mine), *rule_cells(mine, labels)]
                row = next(waiting, None)

    def sheets(self) -> Iterator[ExportSheet]:
        """Two blocks of the one table, each a sheet printed one landscape page wide with the deputy's
        columns: the meetings and the thresholds, then the action rules. The figures are computed once: the
        second sheet's cells are kept while the first is written (a few small values per deputy)."""
        rows = self.iterate()
        header = next(rows)
        total = next(rows)
        who = len(IDENTITY_COLUMNS)
        later: list[list] = []

        def requirements() -> Iterator[Any]:
            yield header[:SPLIT]
            yield 2 * total  # both sheets' rows, so that the progress bar does not go back at the second
            for row in rows:
                later.append(row[:who] + row[SPLIT:])
                yield row[:SPLIT]

        def actions() -> Iterator[Any]:
            yield header[:who] + header[SPLIT:]
            yield len(later)
            yield from later

        title = self.title()
        for name, block in zip(SHEET_NAMES, (requirements(), actions())):
            yield ExportSheet(name, block, title, self.frozen_columns, print_landscape=True)

    def _figures_ahead(self, term: Term, year: int, ranges: list[DeputyRange]) -> Iterator[dict[int, YearFigures]]:
        """Each id range's figures, the next range loaded by a second thread (its own database connection)
        while this one takes the last: the database's waits overlap the engine's work."""
        def load(chunk: DeputyRange) -> dict[int, YearFigures]:
            return year_figures(term=term, year=year, today=self.today, deputies=chunk)[1]

        if len(ranges) <= 1:
            yield from (load(chunk) for chunk in ranges)
            return
        pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="year-summary")
        try:
            ahead = pool.submit(load, ranges[0])
            for index in range(len(ranges)):
                figures = ahead.result()
                if index + 1 < len(ranges):
                    ahead = pool.submit(load, ranges[index + 1])
                yield figures
                del figures
        finally:
            pool.submit(connection.close)  # the thread's own connection, not the caller's
            pool.shutdown(wait=True, cancel_futures=False)
