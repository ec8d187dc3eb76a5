"""The attendance matrix export: a session's deputies × meetings, present, on leave, absent, unrecorded."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.db.models import Q

from deputies.filtersets import DeputyFilterSet
from deputies.selectors import deputy_list
from dutyadmin.exporters import BaseExporter, ExportForm, Mark, chinese_date, register
from meetings.choices import HalfDay, LeaveRoute, LeaveStatus, MeetingKind
from meetings.models import Attendance, CongressSession, LeaveRequest, Meeting
from oversight.rules.catalog import ALL_DEPUTY_MEETING_KINDS

from ..findings.forms import IdChoiceField
from ..handbook.build import ABSENT, MARK_TONES, ON_LEAVE, PRESENT, UNRECORDED, meeting_mark
from .base import _available, _in_service


class SessionForm(ExportForm):
    session = IdChoiceField(
        label="大会", queryset=CongressSession.objects.select_related("term").order_by("-start_date"), required=True,
        error_messages={"required": "请选择大会。", "invalid_choice": "大会“%(value)s”不存在。"},
    )


@register
class AttendanceMatrixExporter(BaseExporter):
    identifier = "attendance_matrix"
    verbose_name = "大会出席情况表"
    description = "一次大会的每位代表 × 每场会议:出席、请假(已批准)、缺席(未经批准)、未记录,以及各项合计。"
    form_class = SessionForm
    filterset_class = DeputyFilterSet
    frozen_columns = 1

    @classmethod
    def available(cls, scope) -> bool:
        return _available(scope)

    def base_queryset(self):
        return deputy_list(user=self.user)

    def title(self) -> str:
        session = self.data["session"]
        street = self.filterset.form.cleaned_data.get("street_committee")
        where = f"{street.name} " if street else ""
        period = f"{chinese_date(session.start_date)}至{chinese_date(session.end_date)}"
        return (f"{settings.DISTRICT_NAME} {session.term.name} {session.start_date.year}年 {session.name} "
                f"{where}出席情况({period};截至{chinese_date(self.today)})")

    def filename(self) -> str:
        return f"{self.data['session'].name}出席情况-{self.today:%Y%m%d}.xlsx"

    def iterate(self) -> Iterator[Any]:
        session = self.data["session"]
        meetings = list(Meeting.objects.filter(session=session).order_by("date", "half_day", "id"))
        yield ["代表", "人大街工委", "代表团",
               *[f"{m.date.month}月{m.date.day}日{HalfDay(m.half_day).label}\n{m.title or MeetingKind(m.kind).label}"
                 for m in meetings],
               PRESENT, ON_LEAVE, ABSENT, UNRECORDED]
        recorded = Attendance.objects.filter(meeting__session=session).values("deputy_id")
        deputies = list(
            self.filtered().filter(term=session.term_id)
            .filter(_in_service(session.start_date, session.end_date) | Q(pk__in=recorded))
            .select_related("street_committee", "delegation").order_by("street_committee__code", "name", "id")
        )
        yield len(deputies)
        ids = [d.pk for d in deputies]
        marks = {(a.meeting_id, a.deputy_id): a.status
                 for a in Attendance.objects.filter(meeting__session=session, deputy_id__in=ids).only(
                     "meeting_id", "deputy_id", "status")}
        whole: set[int] = set()
        covered: set[tuple[int, int]] = set()
        leaves = LeaveRequest.objects.filter(session=session, status=LeaveStatus.APPROVED, deputy_id__in=ids)
        for leave in leaves.prefetch_related("meetings"):
            if leave.route == LeaveRoute.WHOLE_SESSION:
                whole.add(leave.deputy_id)
            else:
                covered.update((m.pk, leave.deputy_id) for m in leave.meetings.all())
        for deputy in deputies:
            tally = {PRESENT: 0, ON_LEAVE: 0, ABSENT: 0, UNRECORDED: 0}
            cells = []
            until = deputy.service_end or dt.date.max
            for meeting in meetings:
                status = marks.get((meeting.pk, deputy.pk))
                if status is None and not (deputy.service_start <= meeting.date <= until):
                    cells.append(Mark("不在任", "muted"))
                    continue
                excused = deputy.pk in whole or (meeting.pk, deputy.pk) in covered
                mark = meeting_mark(status, excused)
                if mark == UNRECORDED and meeting.kind not in ALL_DEPUTY_MEETING_KINDS:
                    cells.append(Mark("—", "muted"))  # presidium and committees: only their members sit there
                    continue
                tally[mark] += 1
                if mark == PRESENT:
                    cells.append(mark)
                else:
                    cells.append(Mark(mark, MARK_TONES[mark] or "muted"))
            yield [deputy.name, deputy.street_committee.name, deputy.delegation.name if deputy.delegation_id else "",
                   *cells, tally[PRESENT], tally[ON_LEAVE],
                   Mark(tally[ABSENT], "bad") if tally[ABSENT] else 0,
                   Mark(tally[UNRECORDED], "warn") if tally[UNRECORDED] else 0]
