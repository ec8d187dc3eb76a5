"""Excel summaries of duty performance: the year summary (every rule per deputy), the findings with what
was done about them, a session's attendance matrix, and the activities with their participants.

Each applies the user's scope through the selectors and the list page's filters through its FilterSet
or query form (dutyadmin.exporters explains the base class and the layout).
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from django import forms
from django.conf import settings
from django.db import connection
from django.db.models import Exists, OuterRef, Q
from django.http import QueryDict

from activities.choices import ActivityKind, OrganizerLevel, Outcome
from activities.filtersets import ActivityFilterSet
from activities.selectors import activity_list, participation_list
from deputies.choices import DeputyStatus
from deputies.filtersets import DeputyFilterSet
from deputies.models import Deputy, Term
from deputies.selectors import current_term, deputy_list
from dutyadmin.exporters import BaseExporter, ExportForm, Mark, chinese_date, register
from dutyadmin.navigation import sees_deputy_list
from meetings.choices import HalfDay, LeaveRoute, LeaveStatus, MeetingKind
from meetings.models import Attendance, CongressSession, LeaveRequest, Meeting
from oversight.rules.catalog import (
    ACTION_REQUIRED,
    ACTION_RULES,
    ALL_DEPUTY_MEETING_KINDS,
    BEHIND,
    MISSED,
    THRESHOLD_RULES,
)

from ..findings.explain import next_step
from ..findings.forms import FindingFilterForm, IdChoiceField
from ..handbook.build import (
    ABSENT,
    MARK_TONES,
    ON_LEAVE,
    PRESENT,
    UNRECORDED,
    YearField,
    default_year,
    meeting_mark,
    snapshot_of,
    year_findings,
)
from ..labels import RULE_LABELS, STATUSES, action_label, responsible_label, status_label
from ..findings.selectors import findings_for
from ..interventions.selectors import intervention_list

# Cells of a rule's status that need someone's attention, and their tone.
STATUS_TONE = {BEHIND: "warn", MISSED: "bad", ACTION_REQUIRED: "bad"}
DEPUTY_CHUNK = 800  # deputies evaluated at a time: memory stays flat for any size of term
STATUS_LABELS = dict(DeputyStatus.choices)


def _available(scope) -> bool:
    return sees_deputy_list(scope)


def _in_service(first: dt.date, last: dt.date, prefix: str = "") -> Q:
    """The deputy served at some day of [first, last]."""
    return Q(**{f"{prefix}service_start__lte": last}) & (
        Q(**{f"{prefix}service_end__isnull": True}) | Q(**{f"{prefix}service_end__gte": first})
    )


def _with_current_term(data: QueryDict) -> QueryDict:
    term = current_term()
    if "term" not in data and term is not None:
        data = data.copy()
        data["term"] = str(term.pk)
    return data


# --- (a) the year summary ---------------------------------------------------------------------------


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


def rule_columns() -> list[str]:
    """Three columns per rule (done, required, status), thresholds first, in the catalog's order."""
    columns = []
    for rule in THRESHOLD_RULES:
        name = f"{rule.article} {RULE_LABELS[rule.id]}"
        columns += [f"{name}\n完成", f"{name}\n要求", f"{name}\n状态"]
    for rule in ACTION_RULES:
        name = f"{rule.article} {RULE_LABELS[rule.id]}"
        columns += [f"{name}\n次数", f"{name}\n触发标准", f"{name}\n状态(空白为未触发)"]
    return columns


NOT_APPLICABLE = Mark("不适用", "muted")


def rule_cells(snapshot: dict, labels: dict[str, str]) -> list:
    """The three cells of every rule for one deputy, below-threshold ones marked (labels: status → 中文)."""
    rules = snapshot.get("rules", {})
    cells: list = []
    for rule in THRESHOLD_RULES:
        figures = rules.get(rule.id)
        if figures is None:
            cells += [None, None, NOT_APPLICABLE]
            continue
        count, required, status = figures
        tone = STATUS_TONE.get(status)
        label = labels[status]
        cells += [Mark(count, tone), required, Mark(label, tone)] if tone else [count, required, label]
    for rule in ACTION_RULES:
        figures = rules.get(rule.id)
        if figures is None:
            cells += [None, None, None]  # not triggered that year: blank, as the header says
            continue
        count, required, status = figures
        tone = STATUS_TONE.get(status)
        label = labels[status]
        cells += [Mark(count, tone), required, Mark(label, tone)] if tone else [count, required, label]
    return cells


@register
class YearSummaryExporter(BaseExporter):
    identifier = "year_summary"
    verbose_name = "年度履职情况汇总"
    description = ("每位代表一行:该年度每条规则的完成数、要求数和状态(与履职手册一致),未达标、进度落后和待处置的单元格标色。"
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
        from ..handbook.build import year_as_of

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
        yield ["序号", "代表", "人大街工委", "代表团", "状态", *rule_columns()]
        deputies = list(self.deputies().values_list("id", "name", "status", "street_committee__name",
                                                    "delegation__name", named=True))
        yield len(deputies)
        labels = {status: status_label(status) for status in STATUSES}  # translated once, not per cell
        number = 0
        chunks = [deputies[start:start + DEPUTY_CHUNK] for start in range(0, len(deputies), DEPUTY_CHUNK)]
        for chunk, findings in self._findings_ahead(term, year, chunks):
            for deputy in chunk:
                number += 1
                status = STATUS_LABELS.get(deputy.status, deputy.status)
                yield [number, deputy.name, deputy.street_committee__name, deputy.delegation__name or "",
                       status if deputy.status == DeputyStatus.ACTIVE else Mark(status, "muted"),
                       *rule_cells(snapshot_of(findings.get(deputy.id, ())), labels)]
            del findings

    def _findings_ahead(self, term: Term, year: int, chunks: list[list]) -> Iterator[tuple[list, dict[int, list]]]:
        """Each chunk's findings, the next chunk loaded by a second thread (its own database connection)
        while this one writes rows: the database's waits overlap the spreadsheet's work."""
        def load(chunk: list) -> dict[int, list]:
            ids: Any = [d.id for d in chunk]
            if connection.vendor == "sqlite":
                # SQLite plans a literal id list by scanning the term's activities for each id; given a
                # subquery it reads each deputy's participations instead (five times faster here).
                ids = Deputy.objects.filter(pk__in=ids).values("id")
            return year_findings(term=term, year=year, today=self.today, deputies=ids)[1]

        if len(chunks) <= 1:
            yield from ((chunk, load(chunk)) for chunk in chunks)
            return
        pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="year-summary")
        try:
            ahead = pool.submit(load, chunks[0])
            for index, chunk in enumerate(chunks):
                findings = ahead.result()
                if index + 1 < len(chunks):
                    ahead = pool.submit(load, chunks[index + 1])
                yield chunk, findings
                del findings
        finally:
            pool.submit(connection.close)  # the thread's own connection, not the caller's
            pool.shutdown(wait=True, cancel_futures=False)


# --- (d) findings with actions and interventions -------------------------------------------------


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
    description = "履职提示页面所列的提示(同样的筛选条件),每条附应采取的处置、负责方和已经登记的约谈、通报等处置记录。"
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
               "负责方", "触发日期", "已登记的处置", "说明"]
        data, as_of = self.data, self.as_of()
        filters = {name: value for name, value in data.items()
                   if name not in ("term", "as_of") and value not in (None, "", False)}
        findings = findings_for(user=self.user, term=data["term"], as_of=as_of, filters=filters)
        yield len(findings)
        ids = {f.deputy for f in findings}
        deputies = {d.pk: d for d in deputy_list(user=self.user).filter(pk__in=ids)}
        done: dict[tuple[int, str], list[str]] = defaultdict(list)
        for item in intervention_list(user=self.user).filter(deputy_id__in=ids).order_by("date", "id"):
            done[(item.deputy_id, item.rule)].append(
                f"{chinese_date(item.date)} {item.get_kind_display()}({item.conducted_by})")
        for finding in findings:
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
                finding.trigger_date, "\n".join(done.get((finding.deputy, finding.rule), ())),
                next_step(finding, as_of),
            ]


# --- (c) the attendance matrix of a session ------------------------------------------------------


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


# --- (e) activities with their participants -----------------------------------------------------


OUTCOME_TONES = {Outcome.ABSENT: "bad", Outcome.EXCUSED: "warn", Outcome.PENDING: "muted"}


@register
class ActivitiesExporter(BaseExporter):
    identifier = "activities"
    verbose_name = "闭会期间活动及参加代表"
    description = "活动列表页面所列的活动(同样的筛选条件),每位参加代表一行:是否应邀确定参加、参加情况。"
    filterset_class = ActivityFilterSet
    frozen_columns = 4
    ACTIVITY_CHUNK = 500

    @classmethod
    def available(cls, scope) -> bool:
        return _available(scope)

    def base_queryset(self):
        return activity_list(user=self.user)

    def filter_data(self, data: QueryDict) -> QueryDict:
        return _with_current_term(data)

    def title(self) -> str:
        cleaned = self.filterset.form.cleaned_data
        term, street = cleaned.get("term"), cleaned.get("street_committee")
        parts = [settings.DISTRICT_NAME, term.name if term else "", street.name if street else ""]
        kind = cleaned.get("kind")
        what = f"{ActivityKind(kind).label}活动" if kind else "闭会期间活动"
        span = cleaned.get("date")
        when = ""
        if span and (span.start or span.stop):
            when = f"{chinese_date(span.start) or '…'}至{chinese_date(span.stop) or '…'},"
        return f"{' '.join(p for p in parts if p)} {what}及参加代表({when}截至{chinese_date(self.today)})"

    def iterate(self) -> Iterator[Any]:
        yield ["日期", "结束日期", "活动类型", "活动名称", "组织方", "组织街工委", "地点", "参加代表", "代表所属街工委",
               "应邀确定参加", "参加情况"]
        activities = self.filtered().select_related("street_committee").order_by("-date", "-id")
        # Participants the user may see (a street's staff: their deputies only), whatever the activity.
        visible = participation_list(user=self.user)
        with_participants = activities.filter(Exists(visible.filter(activity_id=OuterRef("pk"))))
        total = (visible.filter(activity__in=activities.values("pk")).count()
                 + activities.count() - with_participants.count())
        yield total
        chunk: list = []
        for activity in activities.iterator(chunk_size=self.ACTIVITY_CHUNK):
            chunk.append(activity)
            if len(chunk) >= self.ACTIVITY_CHUNK:
                yield from self._rows(chunk, visible)
                chunk = []
        if chunk:
            yield from self._rows(chunk, visible)

    def _rows(self, activities: list, visible) -> Iterator[list]:
        people: dict[int, list] = defaultdict(list)
        for p in (visible.filter(activity_id__in=[a.pk for a in activities])
                  .select_related("deputy__street_committee").order_by("deputy__street_committee__code", "deputy__name")):
            people[p.activity_id].append(p)
        organizers = dict(OrganizerLevel.choices)
        for activity in activities:
            head = [activity.date, activity.end_date, ActivityKind(activity.kind).label, activity.title,
                    organizers.get(activity.organizer_level, activity.organizer_level),
                    activity.street_committee.name if activity.street_committee_id else "", activity.location]
            if not people.get(activity.pk):
                yield [*head, "", "", "", ""]
                continue
            for p in people[activity.pk]:
                outcome = Outcome(p.outcome).label
                tone = OUTCOME_TONES.get(p.outcome)
                yield [*head, p.deputy.name, p.deputy.street_committee.name, "是" if p.confirmed else "否",
                       Mark(outcome, tone) if tone else outcome]
