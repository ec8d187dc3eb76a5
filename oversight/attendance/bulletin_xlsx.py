"""The absence bulletin as .xlsx with Chinese headers.

An exporter names itself (`identifier`, `verbose_name`) and yields its sheets as a title, the
header row and the rows; `render_xlsx` lays each out with the title on top and the header frozen.
"""
from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from meetings.choices import HalfDay, LeaveRoute, MeetingKind

from .bulletin import Bulletin, BulletinEntry

CHINESE_DATE = 'yyyy"年"m"月"d"日"'


@dataclass
class Sheet:
    name: str  # the tab (at most 31 characters)
    title: str  # the first row
    header: list[str]
    rows: list[list]
    widths: list[int]


def chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


class BulletinExporter:
    """缺席情况通报 of one session: one row per meeting and deputy on leave, absent or unrecorded."""

    identifier = "absence_bulletin"
    verbose_name = "缺席情况通报"

    def __init__(self, bulletin: Bulletin) -> None:
        self.bulletin = bulletin

    @property
    def filename(self) -> str:
        return f"{self.bulletin.session.name}缺席情况通报.xlsx"

    def _row(self, block, heading: str, entry: BulletinEntry) -> list:
        meeting, deputy = block.meeting, entry.deputy
        leave = entry.leave
        route = LeaveRoute(leave.route).label if leave is not None else ""
        note = entry.note
        if leave is not None and heading == "请假(已批准)":
            note = "、".join(x for x in (route, note) if x)
        return [
            meeting.date,
            HalfDay(meeting.half_day).label,
            meeting.title,
            MeetingKind(meeting.kind).label,
            heading,
            deputy.name,
            deputy.street_committee.name,
            deputy.delegation.name if deputy.delegation_id else "",
            note,
        ]

    def sheets(self) -> Iterator[Sheet]:
        session = self.bulletin.session
        period = f"{chinese_date(session.start_date)}至{chinese_date(session.end_date)}"
        status = "" if self.bulletin.ended else "(大会尚未结束,为截至导出时的记录)"
        rows = []
        for block in self.bulletin.meetings:
            for heading, entries in (
                ("请假(已批准)", block.on_leave),
                ("未经批准缺席", block.unexcused),
                ("未登记(不作缺席)", block.unrecorded),
            ):
                rows.extend(self._row(block, heading, entry) for entry in entries)
        yield Sheet(
            name="按会议",
            title=f"{session.name}缺席情况通报({period}){status}",
            header=["会议日期", "时段", "会议", "会议类型", "情况", "代表", "人大街工委", "代表团", "说明"],
            rows=rows,
            widths=[16, 8, 36, 14, 18, 12, 14, 16, 34],
        )
        summary = [
            [
                item.deputy.name,
                item.deputy.street_committee.name,
                item.deputy.delegation.name if item.deputy.delegation_id else "",
                len(item.meetings),
                "、".join(f"{m.date.month}月{m.date.day}日{HalfDay(m.half_day).label} {m.title}" for m in item.meetings),
                "是" if item.whole_session else "否",
            ]
            for item in self.bulletin.by_deputy
        ]
        yield Sheet(
            name="按代表汇总",
            title=f"{session.name}未经批准缺席的代表{status}",
            header=["代表", "人大街工委", "代表团", "未经批准缺席次数", "缺席的会议", "整次大会未出席"],
            rows=summary,
            widths=[12, 14, 16, 18, 70, 16],
        )

    def render_xlsx(self) -> bytes:
        workbook = Workbook()
        workbook.remove(workbook.active)
        bold = Font(bold=True)
        fill = PatternFill("solid", fgColor="F3F4F6")
        for sheet in self.sheets():
            ws = workbook.create_sheet(sheet.name[:31])
            ws.append([sheet.title])
            ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(sheet.header))
            ws.cell(row=1, column=1).font = Font(bold=True, size=14)
            ws.row_dimensions[1].height = 24
            ws.append(sheet.header)
            for cell in ws[2]:
                cell.font, cell.fill = bold, fill
                cell.alignment = Alignment(vertical="center")
            for row in sheet.rows:
                ws.append(row)
            wrap = Alignment(wrap_text=True, vertical="top")
            for row in ws.iter_rows(min_row=3):
                for cell in row:
                    if isinstance(cell.value, dt.date):
                        cell.number_format = CHINESE_DATE
                    elif sheet.widths[cell.column - 1] >= 34:
                        cell.alignment = wrap  # long lists of meetings and notes stay readable
            for index, width in enumerate(sheet.widths, start=1):
                ws.column_dimensions[get_column_letter(index)].width = width
            ws.freeze_panes = "A3"  # title and header stay in view
            ws.auto_filter.ref = f"A2:{get_column_letter(len(sheet.header))}{max(2, ws.max_row)}"
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()
