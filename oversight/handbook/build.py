"""The duty handbook (履职手册) of one deputy and year: one typed model (Handbook, frozen) that the page, the
PDF and the API render, laid out as the regulation groups the records.

`handbook_build` reads the deputy's classification and findings once (oversight.findings.selectors.deputy_reading)
and the records' own words: session attendance with leave and absences (Art. 3), closed-period activities by
kind (Art. 4), training and lectures (Art. 5), contact with the people (Art. 6), review opinions and suggestions
(Art. 3(三)(五)), interventions (Art. 9), and each threshold's progress. `year_figures` gives the same per-rule
figures (YearFigures, the year-end review's snapshot) for many deputies at once, in the fixed number of queries
of the fact loader.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django import forms

from activities.choices import ActivityKind, Outcome
from activities.models import Participation
from deputies.models import Deputy, Suspension, Term
from meetings.choices import AttendanceStatus, ContributionKind, HalfDay, LeaveRoute, LeaveStatus, MeetingKind
from meetings.models import CongressSession, Contribution, LeaveRequest, Meeting
from oversight.rules import DataCheck, Finding, classify
from oversight.rules.windows import is_suspended, served_days, span_days
from oversight.rules.catalog import (
    ACTION_REQUIRED,
    ACTION_RULES,
    BEHIND,
    MISSED,
    RESOLVED,
    THRESHOLD_RULES,
    thresholds_with_defaults,
)

from ..choices import InterventionKind
from ..findings.explain import WINDOW_LABELS, chinese_date, next_step, percent_of
from ..labels import RULE_LABELS, STATUS_TONES, status_label
from ..findings.selectors import deputy_reading, term_findings, term_reading, term_review_reading
from ..models import Intervention
from .forms import HandbookQueryForm
from .selectors import about_year, handbook_year_bounds

# The regulation's grouping of activity kinds: (section title, article, kinds in the order of the text).
ACTIVITY_SECTIONS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("闭会期间活动", "第四条", (
        ActivityKind.SPECIAL_RESEARCH, ActivityKind.INSPECTION, ActivityKind.LAW_ENFORCEMENT_CHECK,
        ActivityKind.THEME_ACTIVITY, ActivityKind.WORK_EVALUATION, ActivityKind.SC_MEETING,
        ActivityKind.DIRECTOR_RECEPTION, ActivityKind.COURT_HEARING, ActivityKind.GROUP_ACTIVITY,
        ActivityKind.STREET_MEETING, ActivityKind.CARD_INSPECTION, ActivityKind.INVITED_EVENT,
    )),
    ("学习培训", "第五条", (ActivityKind.TRAINING, ActivityKind.LECTURE)),
    ("联系人民群众", "第六条", (
        ActivityKind.STATION_RECEPTION, ActivityKind.CONSTITUENT_VISIT, ActivityKind.DUTY_REPORT,
    )),
)
assert sorted(k for _, _, kinds in ACTIVITY_SECTIONS for k in kinds) == sorted(ActivityKind.values)

OUTCOME_TONES = {Outcome.ATTENDED: "ok", Outcome.EXCUSED: "warn", Outcome.ABSENT: "bad", Outcome.PENDING: ""}

# One meeting's mark in the handbook and in the attendance matrix.
PRESENT, ABSENT, ON_LEAVE, UNRECORDED, NOT_SERVING = "出席", "缺席", "请假", "未记录", "未任职"
SUSPENDED = "暂停履职"  # a not-in-service meeting on a day of the deputy's suspension (代表法 Art. 61)
MARK_TONES = {PRESENT: "ok", ON_LEAVE: "warn", ABSENT: "bad", UNRECORDED: "", NOT_SERVING: "", SUSPENDED: ""}


def meeting_mark(status: str | None, excused: bool) -> str:
    """出席 / 请假 (absent, or not recorded, under an approved leave) / 缺席 (unapproved) / 未记录."""
    if status == "present":
        return PRESENT
    if excused:
        return ON_LEAVE
    if status == "absent":
        return ABSENT
    return UNRECORDED


# --- the year of a handbook -------------------------------------------------------------------------


def default_year(term: Term, today: dt.date) -> int:
    """This year while the term runs; the term's first or last year before or after it."""
    first, last = handbook_year_bounds(term)
    return min(max(today.year, first), last)


def read_year(data: Any, term: Term, today: dt.date) -> tuple[int, HandbookQueryForm]:
    """The asked year (?year=), or the default; the form carries the error of a bad one (never a crash)."""
    first, last = handbook_year_bounds(term)
    if not data or not data.get("year"):
        form = HandbookQueryForm({"year": default_year(term, today)}, first_year=first, last_year=last)
        form.is_valid()
        return default_year(term, today), form
    form = HandbookQueryForm({"year": str(data.get("year"))[:20]}, first_year=first, last_year=last)
    if form.is_valid():
        return form.cleaned_data["year"], form
    return default_year(term, today), form


# --- the handbook: one typed model that the page, the PDF and the API render -------------------------
#
# Built from the deputy's classification (oversight.rules.classify, read once with their findings) and the
# records' own words (titles, half days, who conducted a talk). Whether a meeting was excused, whether an
# activity counts and toward which rule is the classification's, never worked out here again.

# The classification's status of a meeting → the handbook's word (the attendance matrix shares the words).
MARK_OF_STATUS = {
    classify.PRESENT: PRESENT, classify.EXCUSED: ON_LEAVE, classify.UNEXCUSED: ABSENT,
    classify.NOT_RECORDED: UNRECORDED, classify.NOT_IN_SERVICE: NOT_SERVING,
}

# Why a participation counts or not, in words (the rule's name is added for the counting ones).
REASON_NOTES = {
    classify.COUNTS: "计入",
    classify.CONFIRMED_ABSENCE: "计入应邀确定参加而无故不参加",
    classify.OUTSIDE_SERVICE: "不在任职期间,不计入",
    SUSPENDED: "暂停执行代表职务期间，不计入",
    classify.AFTER_AS_OF: "评估日期之后,尚不计入",
    classify.NOT_ATTENDED: "",
    classify.COUNTS_FOR_NOTHING: "",
}


@dataclass(frozen=True)
class Progress:
    """One threshold of Articles 4–6 and 9: done against required, status, bar."""

    rule: str
    article: str
    label: str
    window: str  # 每年 / 每届
    count: int | None
    required: int | None
    status: str
    status_label: str
    tone: str
    percent: int
    note: str


@dataclass(frozen=True)
class ActionLine:
    rule: str
    article: str
    label: str
    status_label: str
    tone: str
    trigger_date: dt.date | None
    count: int
    required: int
    note: str


@dataclass(frozen=True)
class MeetingLine:
    """One meeting of a session as the classification reads it for the deputy."""

    id: int
    kind: str
    title: str
    date: dt.date
    half_day: str
    attendance: str | None  # what was recorded (known by the as-of date): present, absent, or None
    status: str  # the classification's: present / excused / unexcused / not_recorded / not_in_service
    leave: int | None  # the approved leave covering it
    suspended: bool = False  # not in service because the deputy's duties were suspended that day

    @property
    def excused(self) -> bool:
        return self.status == classify.EXCUSED

    @property
    def mark(self) -> str:
        return SUSPENDED if self.suspended else MARK_OF_STATUS[self.status]

    @property
    def tone(self) -> str:
        return MARK_TONES[self.mark]

    @property
    def kind_label(self) -> str:
        return MeetingKind(self.kind).label

    @property
    def half_day_label(self) -> str:
        return HalfDay(self.half_day).label


@dataclass(frozen=True)
class LeaveLine:
    id: int
    session: int
    route: str
    status: str
    meetings: tuple[int, ...]
    what: str  # 全部会议, or the meetings it names

    @property
    def route_label(self) -> str:
        return LeaveRoute(self.route).label

    @property
    def status_label(self) -> str:
        return LeaveStatus(self.status).label

    @property
    def tone(self) -> str:
        return "ok" if self.status == LeaveStatus.APPROVED else "warn"


@dataclass(frozen=True)
class SessionBlock:
    id: int
    name: str
    start_date: dt.date
    end_date: dt.date
    meetings: tuple[MeetingLine, ...]
    leaves: tuple[LeaveLine, ...]
    non_attendance: bool  # 未经批准不出席 (A9.1), as the classification judges the session

    @property
    def tally(self) -> dict[str, int]:
        """How many meetings of each mark (未任职 only when there is one)."""
        tally = {PRESENT: 0, ON_LEAVE: 0, ABSENT: 0, UNRECORDED: 0}
        for meeting in self.meetings:
            tally[meeting.mark] = tally.get(meeting.mark, 0) + 1
        return tally


@dataclass(frozen=True)
class ActivityLine:
    """One participation and what the classification makes of it."""

    participation: int
    activity: int
    kind: str
    title: str
    date: dt.date
    end_date: dt.date | None
    confirmed: bool
    outcome: str
    counts_for: str | None  # the rule it counts toward
    reason: str  # counts, confirmed_absence, outside_service, after_as_of, not_attended, counts_for_nothing
    suspended: bool = False  # outside service because the deputy's duties were suspended that day

    @property
    def attended(self) -> bool:
        """Attended in service by the as-of date (counted in 出席 N 次, whether or not a rule counts it)."""
        return self.reason in (classify.COUNTS, classify.COUNTS_FOR_NOTHING)

    @property
    def outcome_label(self) -> str:
        return Outcome(self.outcome).label

    @property
    def tone(self) -> str:
        return OUTCOME_TONES.get(self.outcome, "")

    @property
    def counts_note(self) -> str:
        note = REASON_NOTES.get(SUSPENDED if self.suspended else self.reason, "")
        if self.reason == classify.COUNTS and self.counts_for:
            return f"{note}{RULE_LABELS.get(self.counts_for, self.counts_for)}"
        return note


@dataclass(frozen=True)
class ContributionLine:
    id: int
    kind: str
    session: int | None
    date: dt.date
    title: str
    confirmed: bool
    where: str  # the session's name, or 闭会期间


@dataclass(frozen=True)
class InterventionLine:
    id: int
    rule: str
    kind: str
    date: dt.date
    conducted_by: str
    notes: str

    @property
    def rule_label(self) -> str:
        return RULE_LABELS.get(self.rule, self.rule)

    @property
    def kind_label(self) -> str:
        return InterventionKind(self.kind).label


@dataclass(frozen=True)
class Group:
    """Records of one kind: the rows a table of the handbook lists."""

    kind: str
    label: str
    rows: tuple = ()
    counted: int = 0  # attended in service (activities) or confirmed (contributions)


@dataclass(frozen=True)
class SuspensionLine:
    """A suspension of the deputy's duties (暂时停止执行代表职务) that touches the year."""

    id: int
    start_date: dt.date
    end_date: dt.date | None  # None: still open (至今)
    reason: str
    days_in_year: int  # its days inside the year and the service period (as the rules count them)


@dataclass(frozen=True)
class Section:
    title: str
    article: str
    groups: tuple[Group, ...]

    @property
    def total(self) -> int:
        return sum(len(g.rows) for g in self.groups)


SHORTFALL = frozenset({BEHIND, MISSED, ACTION_REQUIRED})


@dataclass(frozen=True)
class RuleFigure:
    """One rule's figures of a year in a handbook: count, required, status."""

    rule: str
    count: int
    required: int
    status: str


# The meeting statuses a year's tally counts (meetings outside the service period are not the deputy's).
TALLIED = (classify.PRESENT, classify.EXCUSED, classify.UNEXCUSED, classify.NOT_RECORDED)


def meeting_tally(reading: classify.DeputyReading, first: dt.date, last: dt.date) -> dict[str, int]:
    """How many of the deputy's meetings dated in [first, last] the classification reads as each status
    (the caller caps `last` at the as-of date: a meeting still to come is not 'not recorded' yet)."""
    tally = dict.fromkeys(TALLIED, 0)
    for mark in reading.meetings.values():
        if first <= mark.meeting.date <= last and mark.status in tally:
            tally[mark.status] += 1
    return tally


@dataclass(frozen=True)
class YearFigures:
    """One deputy's year in figures: every rule's count, required and status, and the year's meetings by the
    classification's status. What a street submits (YearReviewEntry.snapshot is its JSON) and what the year
    summary export writes, the same as the handbook of that year shows."""

    rules: Mapping[str, RuleFigure]
    meetings: Mapping[str, int]  # present / excused / unexcused / not_recorded → meetings of the year

    @classmethod
    def of(cls, findings: Iterable[Finding], meetings: Mapping[str, int] | None = None) -> YearFigures:
        rules: dict[str, RuleFigure] = {}
        for f in findings:
            figure = RuleFigure(f.rule, f.count, f.required, f.status)
            seen = rules.get(f.rule)
            # An action rule may fire more than once a year (one notice per session): keep the worst.
            if f.trigger_date is None or seen is None or (seen.status == RESOLVED and f.status == ACTION_REQUIRED):
                rules[f.rule] = figure
        return cls(rules, dict(meetings or {}))

    @classmethod
    def from_snapshot(cls, snapshot: Mapping[str, Any] | None) -> YearFigures:
        snapshot = snapshot or {}
        rules = snapshot.get("rules", {})
        return cls({rule: RuleFigure(rule, *figures) for rule, figures in rules.items()}, snapshot.get("meetings", {}))

    def snapshot(self) -> dict[str, Any]:
        """{"rules": {rule: [count, required, status]}, "meetings": {status: n}} (JSON-able)."""
        return {"rules": {rule: [f.count, f.required, f.status] for rule, f in self.rules.items()},
                "meetings": dict(self.meetings)}

    def shortfalls(self) -> list[str]:
        """The rules that are behind, missed or wait for an intervention, in catalog order."""
        return [rule.id for rule in (*THRESHOLD_RULES, *ACTION_RULES)
                if rule.id in self.rules and self.rules[rule.id].status in SHORTFALL]


@dataclass(frozen=True)
class Handbook:
    """One deputy's handbook of a year: what the page, the PDF and the API all render."""

    deputy: Deputy
    year: int
    as_of: dt.date
    final: bool  # the year is over: the figures are the year's outcome
    findings: tuple[Finding, ...]  # every rule's finding about the year (the engine's)
    figures: YearFigures
    progress: tuple[Progress, ...]
    actions: tuple[ActionLine, ...]
    sessions: tuple[SessionBlock, ...]
    activity_sections: tuple[Section, ...]
    contributions: tuple[Group, ...]
    interventions: tuple[InterventionLine, ...]
    suspensions: tuple[SuspensionLine, ...] = ()

    @property
    def activities(self) -> dict[str, tuple[ActivityLine, ...]]:
        """Every activity kind → the year's participations of that kind (the API's grouping)."""
        by_kind = {g.kind: g.rows for section in self.activity_sections for g in section.groups}
        return {kind: by_kind[kind] for kind in ActivityKind.values}

    @property
    def leave_requests(self) -> tuple[LeaveLine, ...]:
        return tuple(leave for session in self.sessions for leave in session.leaves)

    @property
    def contributions_by_kind(self) -> dict[str, tuple[ContributionLine, ...]]:
        return {g.kind: g.rows for g in self.contributions}

    @property
    def has_contributions(self) -> bool:
        return any(g.rows for g in self.contributions)

    @property
    def name(self) -> str:
        return self.deputy.name


def progress_rows(findings: Iterable[Finding], thresholds: Mapping[str, int], as_of: dt.date,
                  served: tuple[int, int] | None = None) -> tuple[Progress, ...]:
    """Every threshold rule of the year, in the catalog's order; one without a finding is not applicable.

    served: (days served, days in the year ∩ service period) when a suspension took days of the year: a yearly
    requirement is owed on the days served (the engine's pro rata), and a year without one owes nothing."""
    by_rule = {f.rule: f for f in findings if f.trigger_date is None}
    rows = []
    for rule in THRESHOLD_RULES:
        finding = by_rule.get(rule.id)
        window = WINDOW_LABELS[rule.window]
        if finding is None:
            why = "该年度全年暂停执行代表职务，不作要求。" if served and not served[0] else "该年度不在任职期间。"
            rows.append(Progress(rule.id, rule.article, rule.label, window, None, thresholds[rule.threshold_key],
                                 "", "不适用", "", 0, why))
            continue
        note = next_step(finding, as_of)
        if rule.window == "term":
            note = f"任期累计({chinese_date(finding.period_start)}起)。" + note
        elif served and served[0] < served[1]:
            note = f"本年度暂停执行代表职务 {served[1] - served[0]} 天，按其余 {served[0]} 天折算。" + note
        rows.append(Progress(
            rule.id, rule.article, rule.label, window, finding.count, finding.required, finding.status,
            status_label(finding.status), STATUS_TONES.get(finding.status, ""), percent_of(finding), note,
        ))
    return tuple(rows)


def action_lines(findings: Iterable[Finding], as_of: dt.date) -> tuple[ActionLine, ...]:
    """The action rules triggered in the year, with their state (talks, notices … and whether done)."""
    lines = []
    order = {rule.id: index for index, rule in enumerate(ACTION_RULES)}
    for finding in sorted((f for f in findings if f.trigger_date is not None),
                          key=lambda f: (order.get(f.rule, 99), f.trigger_date)):
        lines.append(ActionLine(
            finding.rule, finding.article, RULE_LABELS[finding.rule], status_label(finding.status),
            STATUS_TONES.get(finding.status, ""), finding.trigger_date, finding.count, finding.required,
            next_step(finding, max(finding.trigger_date, as_of)),
        ))
    return tuple(lines)


def _recorded(value: bool | None) -> str | None:
    return None if value is None else (AttendanceStatus.PRESENT if value else AttendanceStatus.ABSENT).value


def _sessions(deputy: Deputy, reading: classify.DeputyReading, first: dt.date, last: dt.date) -> tuple[SessionBlock, ...]:
    """The sessions of the year that lie in the deputy's service period, each meeting as classified."""
    sessions = [s for s in CongressSession.objects.filter(term_id=deputy.term_id, start_date__lte=last,
                                                          end_date__gte=first).order_by("start_date", "id")
                if s.pk in reading.sessions]
    meetings_of: dict[int, list[MeetingLine]] = {s.pk: [] for s in sessions}
    titles: dict[int, MeetingLine] = {}
    for meeting in Meeting.objects.filter(session__in=sessions).order_by("date", "half_day", "id"):
        mark = reading.meetings[meeting.pk]
        line = MeetingLine(meeting.pk, meeting.kind, meeting.title, meeting.date, meeting.half_day,
                           _recorded(mark.recorded), mark.status, mark.leave_id,
                           mark.status == classify.NOT_IN_SERVICE and is_suspended(meeting.date, reading.suspended))
        meetings_of[meeting.session_id].append(line)
        titles[meeting.pk] = line
    leaves_of: dict[int, list[LeaveLine]] = {s.pk: [] for s in sessions}
    for leave in (LeaveRequest.objects.filter(deputy=deputy, session__in=sessions)
                  .prefetch_related("meetings").order_by("session__start_date", "id")):
        named = sorted(m.pk for m in leave.meetings.all())
        what = "全部会议" if leave.route == LeaveRoute.WHOLE_SESSION else "、".join(
            f"{chinese_date(m.date)}{m.half_day_label}{m.kind_label}" for m in (titles[pk] for pk in named if pk in titles)
        )
        leaves_of[leave.session_id].append(LeaveLine(leave.pk, leave.session_id, leave.route, leave.status,
                                                     tuple(named), what))
    return tuple(
        SessionBlock(s.pk, s.name, s.start_date, s.end_date, tuple(meetings_of[s.pk]), tuple(leaves_of[s.pk]),
                     reading.sessions[s.pk].non_attendance)
        for s in sessions
    )


def _activity_sections(deputy: Deputy, reading: classify.DeputyReading, first: dt.date,
                       last: dt.date) -> tuple[Section, ...]:
    lines: dict[str, list[ActivityLine]] = {kind: [] for kind in ActivityKind.values}
    for p in (Participation.objects.filter(deputy=deputy, activity__date__gte=first, activity__date__lte=last)
              .select_related("activity").order_by("activity__date", "activity_id")):
        activity = p.activity
        mark = reading.participations.get(activity.pk)
        rule, reason = (mark.rule, mark.reason) if mark else (None, classify.OUTSIDE_SERVICE)
        suspended = reason == classify.OUTSIDE_SERVICE and is_suspended(activity.date, reading.suspended)
        lines[activity.kind].append(ActivityLine(p.pk, activity.pk, activity.kind, activity.title, activity.date,
                                                 activity.end_date, p.confirmed, p.outcome, rule, reason, suspended))
    return tuple(
        Section(title, article, tuple(
            Group(kind, ActivityKind(kind).label, tuple(lines[kind]), sum(1 for line in lines[kind] if line.attended))
            for kind in kinds
        ))
        for title, article, kinds in ACTIVITY_SECTIONS
    )


def _contributions(deputy: Deputy, sessions: Iterable[SessionBlock], first: dt.date, last: dt.date) -> tuple[Group, ...]:
    names = {s.id: s.name for s in sessions}
    rows: dict[str, list[ContributionLine]] = {kind: [] for kind in ContributionKind.values}
    for c in Contribution.objects.filter(deputy=deputy, confirmed=True, date__gte=first, date__lte=last).order_by("date", "id"):
        where = names.get(c.session_id, "大会期间") if c.session_id else "闭会期间"
        rows[c.kind].append(ContributionLine(c.pk, c.kind, c.session_id, c.date, c.title, c.confirmed, where))
    return tuple(Group(kind, ContributionKind(kind).label, tuple(rows[kind]), sum(1 for r in rows[kind] if r.confirmed))
                 for kind in ContributionKind.values)


def _suspensions(deputy: Deputy, reading: classify.DeputyReading, first: dt.date,
                 last: dt.date) -> tuple[SuspensionLine, ...]:
    """The deputy's suspensions that touch the year, with their days in it as the rules count them."""
    rows = (Suspension.objects.filter(deputy=deputy, start_date__lte=last)
            .exclude(end_date__lt=first).order_by("start_date", "id"))
    window = reading.window
    lines = []
    for s in rows:
        days = 0
        if window is not None:
            spans = tuple(span for span in reading.suspended if span[0] <= (s.end_date or last) and span[1] >= s.start_date)
            start, end = max(first, window[0]), min(last, window[1])
            days = (span_days(start, end) - served_days(start, end, spans)) if start <= end else 0
        lines.append(SuspensionLine(s.pk, s.start_date, s.end_date, s.reason, days))
    return tuple(lines)


def _served(reading: classify.DeputyReading, first: dt.date, last: dt.date) -> tuple[int, int] | None:
    """(days served, days in service) of the year when a suspension took some of them, else None."""
    window = reading.window
    if window is None or not reading.suspended:
        return None
    start, end = max(first, window[0]), min(last, window[1])
    if start > end:
        return None
    total = span_days(start, end)
    served = served_days(start, end, reading.suspended)
    return (served, total) if served < total else None


def handbook_build(*, deputy: Deputy, year: int, today: dt.date) -> Handbook:
    """One deputy's handbook of a year (the deputy is already known to be in the caller's scope).

    Findings are evaluated as of the day after the year, so a past year's outcome is final (met or
    missed), or as of today for the current year: yearly rules give that year's window, term rules
    the term so far, action rules those triggered in the year.
    """
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    as_of = year_as_of(year, today)
    reading, all_findings = deputy_reading(deputy=deputy, as_of=as_of)
    findings = tuple(f for f in all_findings if about_year(f, first, last))
    thresholds = thresholds_with_defaults(deputy.term.thresholds if isinstance(deputy.term.thresholds, dict) else None)
    sessions = _sessions(deputy, reading, first, last)
    return Handbook(
        deputy=deputy,
        year=year,
        as_of=as_of,
        final=as_of > last,
        findings=findings,
        figures=YearFigures.of(findings, meeting_tally(reading, first, min(last, as_of))),
        progress=progress_rows(findings, thresholds, as_of, _served(reading, first, last)),
        actions=action_lines(findings, as_of),
        sessions=sessions,
        activity_sections=_activity_sections(deputy, reading, first, last),
        contributions=_contributions(deputy, sessions, first, last),
        interventions=tuple(
            InterventionLine(i.pk, i.rule, i.kind, i.date, i.conducted_by, i.notes)
            for i in Intervention.objects.filter(deputy=deputy, date__gte=first, date__lte=last).order_by("date", "id")
        ),
        suspensions=_suspensions(deputy, reading, first, last),
    )


# --- the same figures for many deputies: the year-end review and the year summary ---------------------


def year_as_of(year: int, today: dt.date) -> dt.date:
    """As the handbook: the day after the year (its final outcome), or today while it runs."""
    return min(dt.date(year, 12, 31) + dt.timedelta(days=1), today)


def year_figures(*, term: Term, year: int, today: dt.date,
                 deputies: Any = None) -> tuple[dt.date, dict[int, YearFigures]]:
    """Each deputy's YearFigures of a year (the term's deputies, or `deputies`: ids, a queryset, None for all):
    the figures of their handbooks of that year, from one load of the facts and the engine's findings."""
    as_of = year_as_of(year, today)
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    findings, classification = term_reading(term=term, as_of=as_of, deputies=deputies, sessions_between=(first, last))
    return as_of, _figures_of(findings, classification, year, as_of)


def _figures_of(findings: Iterable[Finding], classification, year: int, as_of: dt.date) -> dict[int, YearFigures]:
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    by_deputy: dict[int, list[Finding]] = {}
    for finding in findings:
        if about_year(finding, first, last):
            by_deputy.setdefault(finding.deputy, []).append(finding)
    return {
        deputy_id: YearFigures.of(by_deputy.get(deputy_id, ()), meeting_tally(reading, first, min(last, as_of)))
        for deputy_id, reading in classification.deputies.items()
    }


@dataclass(frozen=True)
class YearReviewReading:
    """What the year-end review shows of each deputy of a year, read once: the year's figures (as the
    handbook), every action finding still open as of the day whatever year set it off (an earlier year's
    资格终止 or 约谈 not yet dealt with is not hidden by a clean year), and the data checks."""

    as_of: dt.date
    figures: Mapping[int, YearFigures]
    open_actions: Mapping[int, list[Finding]]
    data_checks: Mapping[int, list[DataCheck]]


def year_review_reading(*, term: Term, year: int, today: dt.date, deputies: Any = None) -> YearReviewReading:
    """The YearReviewReading of the term's deputies (or `deputies`) for a year, from one load of their facts."""
    as_of = year_as_of(year, today)
    findings, classification, checks = term_review_reading(
        term=term, as_of=as_of, deputies=deputies, sessions_between=(dt.date(year, 1, 1), dt.date(year, 12, 31)))
    open_actions: dict[int, list[Finding]] = {}
    for finding in findings:
        if finding.status == ACTION_REQUIRED:
            open_actions.setdefault(finding.deputy, []).append(finding)
    by_deputy: dict[int, list[DataCheck]] = {}
    for check in checks:
        by_deputy.setdefault(check.deputy, []).append(check)
    return YearReviewReading(as_of, _figures_of(findings, classification, year, as_of), open_actions, by_deputy)


def year_findings(*, term: Term, year: int, today: dt.date, deputies: Any = None) -> tuple[dt.date, dict[int, list[Finding]]]:
    """Every rule's findings about a year for the term's deputies (or `deputies`: ids, a queryset, None for
    all), met ones included, by deputy id: the figures of each deputy's handbook of that year."""
    as_of = year_as_of(year, today)
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    by_deputy: dict[int, list[Finding]] = {}
    for finding in term_findings(term=term, as_of=as_of, deputies=deputies, include_met=True):
        if about_year(finding, first, last):
            by_deputy.setdefault(finding.deputy, []).append(finding)
    return as_of, by_deputy


class YearField(forms.IntegerField):
    """A year typed in a query string: anything but four digits is a field error, never a crash."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("error_messages", {"invalid": "年度应为四位整数,例如 2025。"})
        super().__init__(min_value=1900, max_value=2999, **kwargs)
