"""The absence bulletin export (缺席情况通报, Art. 3): two sheets, by meeting and by deputy, of the bulletin
the page shows (oversight.attendance.bulletin), for the deputies in the user's scope; run as an export job."""
from __future__ import annotations

from collections.abc import Iterator
from functools import cached_property
from typing import Any

from dutyadmin.exporters import BaseExporter, ExportSheet, chinese_date, register
from meetings.choices import HalfDay, LeaveRoute, MeetingKind

from ..attendance.bulletin import Bulletin, BulletinEntry, BulletinMeeting, session_bulletin
from .attendance import SessionForm
from .base import _available

ON_LEAVE, UNEXCUSED, UNRECORDED = "请假(已批准)", "未经批准缺席", "未登记(不作缺席)"


@register
class BulletinExporter(BaseExporter):
    identifier = "absence_bulletin"
    verbose_name = "缺席情况通报"
    description = "一次大会按会议列出请假(已批准)、未经批准缺席和未登记(不作缺席)的代表,并按代表汇总未经批准的缺席。"
    form_class = SessionForm
    frozen_columns = 0

    @classmethod
    def available(cls, scope) -> bool:
        return _available(scope)

    @cached_property
    def bulletin(self) -> Bulletin:
        return session_bulletin(user=self.user, session=self.data["session"], today=self.today)

    def _status(self) -> str:
        return "" if self.bulletin.ended else "(大会尚未结束,为截至导出时的记录)"

    def title(self) -> str:
        session = self.data["session"]
        period = f"{chinese_date(session.start_date)}至{chinese_date(session.end_date)}"
        return f"{session.name}缺席情况通报({period}){self._status()}"

    def filename(self) -> str:
        return f"{self.data['session'].name}缺席情况通报.xlsx"

    @staticmethod
    def _row(block: BulletinMeeting, heading: str, entry: BulletinEntry) -> list:
        meeting, deputy, note = block.meeting, entry.deputy, entry.note
        if entry.leave is not None and heading == ON_LEAVE:
            note = "、".join(x for x in (LeaveRoute(entry.leave.route).label, note) if x)
        return [meeting.date, HalfDay(meeting.half_day).label, meeting.title, MeetingKind(meeting.kind).label, heading,
                deputy.name, deputy.street_committee.name, deputy.delegation.name if deputy.delegation_id else "", note]

    def _by_meeting(self) -> Iterator[Any]:
        yield ["会议日期", "时段", "会议", "会议类型", "情况", "代表", "人大街工委", "代表团", "说明"]
        blocks = self.bulletin.meetings
        yield sum(len(b.on_leave) + len(b.unexcused) + len(b.unrecorded) for b in blocks)
        for block in blocks:
            for heading, entries in ((ON_LEAVE, block.on_leave), (UNEXCUSED, block.unexcused),
                                     (UNRECORDED, block.unrecorded)):
                for entry in entries:
                    yield self._row(block, heading, entry)

    def _by_deputy(self) -> Iterator[Any]:
        yield ["代表", "人大街工委", "代表团", "未经批准缺席次数", "缺席的会议", "整次大会未出席"]
        yield len(self.bulletin.by_deputy)
        for item in self.bulletin.by_deputy:
            deputy = item.deputy
            yield [
                deputy.name, deputy.street_committee.name, deputy.delegation.name if deputy.delegation_id else "",
                len(item.meetings),
                "、".join(f"{m.date.month}月{m.date.day}日{HalfDay(m.half_day).label} {m.title}" for m in item.meetings),
                "是" if item.whole_session else "否",
            ]

    def sheets(self) -> Iterator[ExportSheet]:
        yield ExportSheet("按会议", self._by_meeting(), self.title(), self.frozen_columns)
        session = self.data["session"]
        yield ExportSheet("按代表汇总", self._by_deputy(), f"{session.name}未经批准缺席的代表{self._status()}",
                          self.frozen_columns)
