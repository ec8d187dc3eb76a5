"""The duty handbook (履职手册) of one deputy and year, laid out as the regulation groups the records.

The records and the findings come from oversight.handbook.selectors.handbook_for (the API's handbook); this
module only arranges them for the page and the PDF: session attendance with leave and absences
(Art. 3), closed-period activities by kind (Art. 4), training and lectures (Art. 5), contact with the
people (Art. 6), review opinions and suggestions (Art. 3(三)(五)), interventions (Art. 9), and each
threshold's progress. `year_findings` gives the same per-rule figures for many deputies at once (the
year-end review and the year summary export), in the fixed number of queries of the fact loader.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django import forms

from activities.choices import ActivityKind, Outcome
from deputies.models import Deputy, Term
from meetings.choices import ContributionKind, HalfDay, LeaveRoute, LeaveStatus, MeetingKind
from oversight.rules import Finding
from oversight.rules.catalog import (
    ACTION_REQUIRED,
    ACTION_RULES,
    BEHIND,
    MET,
    MISSED,
    ON_TRACK,
    RESOLVED,
    THRESHOLD_RULES,
    thresholds_with_defaults,
)

from ..choices import InterventionKind
from ..findings.explain import WINDOW_LABELS, chinese_date, next_step, percent_of
from ..labels import RULE_LABELS, STATUS_TONES, status_label
from ..findings.selectors import term_findings
from .forms import HandbookQueryForm
from .selectors import _about_year, handbook_for, handbook_year_bounds  # noqa: PLC2701

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
PRESENT, ABSENT, ON_LEAVE, UNRECORDED = "出席", "缺席", "请假", "未记录"
MARK_TONES = {PRESENT: "ok", ON_LEAVE: "warn", ABSENT: "bad", UNRECORDED: ""}


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


# --- the handbook as the page and the PDF show it --------------------------------------------------


@dataclass
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


@dataclass
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


@dataclass
class Group:
    """Records of one kind: the rows a table of the handbook lists."""

    kind: str
    label: str
    rows: list[dict] = field(default_factory=list)
    counted: int = 0  # attended (activities) or recorded (contributions)


@dataclass
class Section:
    title: str
    article: str
    groups: list[Group]

    @property
    def total(self) -> int:
        return sum(len(g.rows) for g in self.groups)


@dataclass
class SessionBlock:
    id: int
    name: str
    start_date: dt.date
    end_date: dt.date
    meetings: list[dict]
    leaves: list[dict]
    tally: dict[str, int]


@dataclass
class Handbook:
    deputy: Deputy
    year: int
    as_of: dt.date
    final: bool  # the year is over: the figures are the year's outcome
    progress: list[Progress]
    actions: list[ActionLine]
    sessions: list[SessionBlock]
    activity_sections: list[Section]
    contributions: list[Group]
    interventions: list[dict]
    raw: dict[str, Any]

    @property
    def record_count(self) -> int:
        meetings = sum(len(s.meetings) for s in self.sessions)
        activities = sum(s.total for s in self.activity_sections)
        return meetings + activities + sum(len(g.rows) for g in self.contributions) + len(self.interventions)


def progress_rows(findings: Iterable[Finding], thresholds: dict[str, int], as_of: dt.date) -> list[Progress]:
    """Every threshold rule of the year, in the catalog's order; one without a finding is not applicable."""
    by_rule = {f.rule: f for f in findings if f.trigger_date is None}
    rows = []
    for rule in THRESHOLD_RULES:
        finding = by_rule.get(rule.id)
        window = WINDOW_LABELS[rule.window]
        if finding is None:
            rows.append(Progress(rule.id, rule.article, rule.label, window, None, thresholds[rule.threshold_key],
                                 "", "不适用", "", 0, "该年度不在任职期间。"))
            continue
        note = next_step(finding, as_of)
        if rule.window == "term":
            note = f"任期累计({chinese_date(finding.period_start)}起)。" + note
        rows.append(Progress(
            rule.id, rule.article, rule.label, window, finding.count, finding.required, finding.status,
            status_label(finding.status), STATUS_TONES.get(finding.status, ""), percent_of(finding), note,
        ))
    return rows


def action_lines(findings: Iterable[Finding], as_of: dt.date) -> list[ActionLine]:
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
    return lines


def _sessions(raw: dict) -> list[SessionBlock]:
    leaves_of: dict[int, list[dict]] = {}
    covered: set[int] = set()
    whole: set[int] = set()
    for leave in raw["leave_requests"]:
        leaves_of.setdefault(leave["session"], []).append(leave)
        if leave["status"] == LeaveStatus.APPROVED:
            if leave["route"] == LeaveRoute.WHOLE_SESSION:
                whole.add(leave["session"])
            covered.update(leave["meetings"])
    blocks = []
    for session in raw["sessions"]:
        titles = {m["id"]: m for m in session["meetings"]}
        meetings = []
        tally = {PRESENT: 0, ON_LEAVE: 0, ABSENT: 0, UNRECORDED: 0}
        for meeting in session["meetings"]:
            excused = meeting["excused"] or session["id"] in whole or meeting["id"] in covered
            mark = meeting_mark(meeting["attendance"], excused)
            tally[mark] += 1
            meetings.append({
                **meeting, "mark": mark, "tone": MARK_TONES[mark],
                "kind_label": MeetingKind(meeting["kind"]).label, "half_day_label": HalfDay(meeting["half_day"]).label,
            })
        leaves = []
        for leave in leaves_of.get(session["id"], ()):
            named = [titles[m] for m in leave["meetings"] if m in titles]
            what = "全部会议" if leave["route"] == LeaveRoute.WHOLE_SESSION else "、".join(
                f"{chinese_date(m['date'])}{HalfDay(m['half_day']).label}{MeetingKind(m['kind']).label}" for m in named
            )
            leaves.append({**leave, "route_label": LeaveRoute(leave["route"]).label,
                           "status_label": LeaveStatus(leave["status"]).label, "what": what,
                           "tone": "ok" if leave["status"] == LeaveStatus.APPROVED else "warn"})
        blocks.append(SessionBlock(session["id"], session["name"], session["start_date"], session["end_date"],
                                   meetings, leaves, tally))
    return blocks


def _activity_sections(raw: dict) -> list[Section]:
    sections = []
    for title, article, kinds in ACTIVITY_SECTIONS:
        groups = []
        for kind in kinds:
            rows = [
                {**row, "outcome_label": Outcome(row["outcome"]).label, "tone": OUTCOME_TONES.get(row["outcome"], "")}
                for row in raw["activities"].get(kind, ())
            ]
            groups.append(Group(kind, ActivityKind(kind).label, rows,
                                sum(1 for row in rows if row["outcome"] == Outcome.ATTENDED)))
        sections.append(Section(title, article, groups))
    return sections


def _contributions(raw: dict) -> list[Group]:
    names = {s["id"]: s["name"] for s in raw["sessions"]}
    groups = []
    for kind in ContributionKind.values:
        rows = [
            {**row, "where": names.get(row["session"], "大会期间") if row["session"] else "闭会期间"}
            for row in raw["contributions"].get(kind, ())
        ]
        groups.append(Group(kind, ContributionKind(kind).label, rows,
                            sum(1 for row in rows if row.get("confirmed", True))))
    return groups


def _interventions(raw: dict) -> list[dict]:
    return [
        {**row, "rule_label": RULE_LABELS.get(row["rule"], row["rule"]),
         "kind_label": InterventionKind(row["kind"]).label}
        for row in raw["interventions"]
    ]


def handbook_build(*, deputy: Deputy, year: int, today: dt.date) -> Handbook:
    """One deputy's handbook of a year (the deputy is already known to be in the caller's scope)."""
    raw = handbook_for(deputy=deputy, year=year, today=today)
    thresholds = thresholds_with_defaults(deputy.term.thresholds if isinstance(deputy.term.thresholds, dict) else None)
    findings = raw["findings"]
    return Handbook(
        deputy=deputy,
        year=year,
        as_of=raw["as_of"],
        final=raw["as_of"] > dt.date(year, 12, 31),
        progress=progress_rows(findings, thresholds, raw["as_of"]),
        actions=action_lines(findings, raw["as_of"]),
        sessions=_sessions(raw),
        activity_sections=_activity_sections(raw),
        contributions=_contributions(raw),
        interventions=_interventions(raw),
        raw=raw,
    )


# --- the same figures for many deputies: the year-end review and the year summary ---------------------


def year_as_of(year: int, today: dt.date) -> dt.date:
    """As handbook_for: the day after the year (its final outcome), or today while it runs."""
    return min(dt.date(year, 12, 31) + dt.timedelta(days=1), today)


def year_findings(*, term: Term, year: int, today: dt.date, deputies: Any = None) -> tuple[dt.date, dict[int, list[Finding]]]:
    """Every rule's findings about a year for the term's deputies (or `deputies`: ids, a queryset, None for
    all), met ones included, by deputy id: the figures of each deputy's handbook of that year."""
    as_of = year_as_of(year, today)
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    by_deputy: dict[int, list[Finding]] = {}
    for finding in term_findings(term=term, as_of=as_of, deputies=deputies, include_met=True):
        if _about_year(finding, first, last):
            by_deputy.setdefault(finding.deputy, []).append(finding)
    return as_of, by_deputy


def snapshot_of(findings: Iterable[Finding]) -> dict[str, Any]:
    """What a street submits for one deputy: {rule: [count, required, status]} of the year (JSON-able)."""
    rules: dict[str, list] = {}
    for finding in findings:
        if finding.trigger_date is None:
            rules[finding.rule] = [finding.count, finding.required, finding.status]
        else:  # an action rule may fire more than once a year (one notice per session): keep the worst
            seen = rules.get(finding.rule)
            if seen is None or (seen[2] == RESOLVED and finding.status == ACTION_REQUIRED):
                rules[finding.rule] = [finding.count, finding.required, finding.status]
    return {"rules": rules}


SHORTFALL = frozenset({BEHIND, MISSED, ACTION_REQUIRED})
GOOD = frozenset({MET, ON_TRACK, RESOLVED})


def shortfalls(snapshot: dict[str, Any]) -> list[str]:
    """The rules of a snapshot that are behind, missed or wait for an intervention, in catalog order."""
    rules = snapshot.get("rules", {})
    order = [rule.id for rule in (*THRESHOLD_RULES, *ACTION_RULES)]
    return [rule for rule in order if rule in rules and rules[rule][2] in SHORTFALL]


class YearField(forms.IntegerField):
    """A year typed in a query string: anything but four digits is a field error, never a crash."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("error_messages", {"invalid": "年度应为四位整数,例如 2025。"})
        super().__init__(min_value=1900, max_value=2999, **kwargs)
