"""The attendance matrix export: a session's deputies × meetings, present, on leave, absent, unrecorded,
each cell the classification's status of that (deputy, meeting) (oversight.rules.classify)."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any


from deputies.filtersets import DeputyFilterSet
from deputies.selectors import deputy_list
from dutyadmin.exporters import BaseExporter, ExportForm, Mark, chinese_date, register
from meetings.choices import HalfDay, MeetingKind
from meetings.models import CongressSession, Meeting
from oversight.rules import classify
from oversight.rules.catalog import ALL_DEPUTY_MEETING_KINDS
from oversight.rules.classify import NOT_IN_SERVICE, NOT_RECORDED

from ..findings.forms import IdChoiceField
from ..findings.selectors import classification_for
from ..handbook.build import ABSENT, MARK_TONES, ON_LEAVE, PRESENT, UNRECORDED
from .base import _available

# The cell of each meeting status of the classification (oversight.rules.classify).
MARK_LABELS = {classify.PRESENT: PRESENT, classify.EXCUSED: ON_LEAVE, classify.UNEXCUSED: ABSENT,
               classify.NOT_RECORDED: UNRECORDED}


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
        return (f"{session.full_name} {where}出席情况({period};截至{chinese_date(self.today)})")

    def filename(self) -> str:
        return f"{self.data['session'].name}出席情况-{self.today:%Y%m%d}.xlsx"

    def iterate(self) -> Iterator[Any]:
        session = self.data["session"]
        meetings = list(Meeting.objects.filter(session=session).order_by("date", "half_day", "id"))
        yield ["代表", "人大街工委", "代表团",
               *[f"{m.date.month}月{m.date.day}日{HalfDay(m.half_day).label}\n{m.title or MeetingKind(m.kind).label}"
                 for m in meetings],
               PRESENT, ON_LEAVE, ABSENT, UNRECORDED]
        chosen = self.filtered().filter(term=session.term_id)
        # The roll calls as entered (as the session's pages read them): as of the session's last day at least.
        classification = classification_for(term=session.term, as_of=max(self.today, session.end_date),
                                            deputies=chosen, attendance_only=True, session=session.pk)
        deputies = []
        for deputy in chosen.select_related("street_committee", "delegation").order_by("street_committee__code",
                                                                                       "name", "id"):
            reading = classification.deputies[deputy.pk]
            marks = [reading.meetings[m.pk] for m in meetings]
            # In service during the session, or recorded there all the same.
            if session.pk in reading.sessions or any(mark.recorded is not None for mark in marks):
                deputies.append((deputy, marks))
        yield len(deputies)
        for deputy, marks in deputies:
            tally = {PRESENT: 0, ON_LEAVE: 0, ABSENT: 0, UNRECORDED: 0}
            cells = []
            for mark in marks:
                if mark.status == NOT_IN_SERVICE:
                    cells.append(Mark("不在任", "muted"))
                    continue
                if mark.status == NOT_RECORDED and mark.meeting.kind not in ALL_DEPUTY_MEETING_KINDS:
                    cells.append(Mark("—", "muted"))  # presidium and committees: only their members sit there
                    continue
                label = MARK_LABELS[mark.status]
                tally[label] += 1
                cells.append(label if label == PRESENT else Mark(label, MARK_TONES[label] or "muted"))
            yield [deputy.name, deputy.street_committee.name, deputy.delegation.name if deputy.delegation_id else "",
                   *cells, tally[PRESENT], tally[ON_LEAVE],
                   Mark(tally[ABSENT], "bad") if tally[ABSENT] else 0,
                   Mark(tally[UNRECORDED], "warn") if tally[UNRECORDED] else 0]
