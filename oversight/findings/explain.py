"""What a finding means, in words for the pages: progress, the records that count, what happens next."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from oversight.articles import ARTICLE_TEXT
from oversight.rules import Finding, SettingsTimeline
from oversight.rules.catalog import (
    ACTION_REQUIRED,
    ACTION_RULES,
    BEHIND,
    MET,
    MISSED,
    ON_TRACK,
    RESOLVED,
    RULE_THRESHOLD_KEY,
    THRESHOLD_RULES,
    threshold_phrase,
)
from oversight.rules.windows import ceil_div, span_days

from ..labels import (
    ACTION_TRIGGERS,
    STATUS_TONES,
    action_label,
    action_measure,
    responsible_label,
    status_label,
)

WINDOW_LABELS = {"year": "每年", "term": "每届"}


def chinese_date(day: dt.date | None) -> str:
    """2025年3月1日, as every Chinese page writes dates."""
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


@dataclass
class EvidenceItem:
    """One record behind a finding, as a line of the page (with a link where a page for it exists)."""

    type: str
    id: int
    date: dt.date
    label: str
    url: str = ""
    kind_label: str = ""  # the kind that label begins with ("集中视察"), left out where the rule says it already

    @property
    def title(self) -> str:
        prefix = f"{self.kind_label}:"
        return self.label[len(prefix):] if self.kind_label and self.label.startswith(prefix) else self.label


@dataclass
class FindingView:
    """A finding with what a person needs to read it."""

    finding: Finding
    status_label: str
    tone: str
    percent: int
    evidence: list[EvidenceItem]
    next_step: str
    who: str
    since: dt.date | None
    days_since: int | None
    record_url: str = ""
    # An action rule's count in words: (what is counted, unit, what sets it off); empty for a threshold rule,
    # whose count against required is progress (the only kind drawn as a bar).
    measure: tuple[str, str, str] = ()
    # Of the year of the evaluation (or still open): shown first; earlier periods are folded on the page.
    current: bool = True
    settings_line: str = ""  # the settings it was judged under, when the term's settings have changed

    @property
    def is_open(self) -> bool:
        return self.finding.status == ACTION_REQUIRED

    @property
    def is_progress(self) -> bool:
        return not self.measure


@dataclass
class RuleSection:
    """Every finding of one rule about one deputy, under the rule's article and its text."""

    id: str
    article: str
    label: str
    article_text: str
    kind: str  # "threshold" | "action"
    requirement: str
    findings: list[FindingView] = field(default_factory=list)
    one_kind: bool = False  # a rule counting one kind of activity: its records need not repeat the kind

    @property
    def current(self) -> list[FindingView]:
        return [f for f in self.findings if f.current]

    @property
    def earlier(self) -> list[FindingView]:
        return [f for f in self.findings if not f.current]

    @property
    def worst_tone(self) -> str:
        tones = {f.tone for f in self.findings}
        return "bad" if "bad" in tones else "warn" if "warn" in tones else "ok"


def _url(name: str, *args: Any) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:  # a page not built yet: the record is listed without a link
        return ""


def evidence_items(finding: Finding, records: Mapping[tuple[str, int], Any],
                   can_link: Callable[[str, Any], bool] = lambda kind, record: False) -> list[EvidenceItem]:
    """The finding's evidence with the records' names; linked when the user may open the record."""
    items = []
    for evidence in finding.evidence:
        record = records.get((evidence.type, evidence.id))
        label, url = _describe(evidence.type, evidence.id, record)
        if url and not can_link(evidence.type, record):
            url = ""
        kind_label = str(record.get_kind_display()) if record is not None and evidence.type == "activity" else ""
        items.append(EvidenceItem(evidence.type, evidence.id, evidence.date, label, url, kind_label))
    return items


def _describe(kind: str, pk: int, record: Any) -> tuple[str, str]:
    if record is None:
        return f"#{pk}", ""
    if kind == "activity":
        return f"{record.get_kind_display()}:{record.title}", ""
    if kind == "session":
        return record.name, ""
    if kind == "meeting":
        return f"{record.session.name} {record.get_kind_display()}({record.get_half_day_display()})", ""
    if kind == "contribution":
        return f"{record.get_kind_display()}:{record.title}", _url("meetings:contribution_edit", pk)
    if kind == "intervention":
        return f"{record.get_kind_display()}({record.conducted_by})", _url("oversight:intervention_edit", pk)
    return f"#{pk}", ""


def next_step(finding: Finding, as_of: dt.date) -> str:
    """What happens next, in one sentence: who must do what, and by or since when."""
    status = finding.status
    short = max(finding.required - finding.count, 0)
    end = chinese_date(finding.period_end)
    if status == MET:
        return _("已达到要求。")
    if status == ON_TRACK:
        return _("进度正常:%(end)s前还需参加 %(n)s 次。") % {"end": end, "n": short}
    if status == BEHIND:
        length = span_days(finding.period_start, finding.period_end)
        elapsed = min(span_days(finding.period_start, as_of), length)
        expected = ceil_div(finding.required * elapsed, length)
        return _("进度落后:按已过去的时间应已参加 %(expected)s 次,实际 %(count)s 次;%(end)s前还需参加 %(n)s 次。") % {
            "expected": expected, "count": finding.count, "end": end, "n": short,
        }
    if status == MISSED:
        return _("%(end)s结束时未达到要求(差 %(n)s 次),将在年度履职评议中说明。") % {"end": end, "n": short}
    action = action_label(finding.action)
    who = responsible_label(finding.responsible, finding.rule)
    if status == ACTION_REQUIRED:
        days = (as_of - finding.trigger_date).days
        return _("应由%(who)s进行%(action)s:自%(since)s起待处置(已 %(days)s 天)。记录%(action)s后即为已处置。") % {
            "who": who, "action": action, "since": chinese_date(finding.trigger_date), "days": days,
        }
    if status == RESOLVED:
        done = next((e for e in reversed(finding.evidence) if e.type == "intervention"), None)
        when = chinese_date(done.date) if done else ""
        return _("已于%(when)s%(action)s,已处置。") % {"when": when, "action": action}
    return ""


def settings_line(finding: Finding, settings: SettingsTimeline | None, as_of: dt.date) -> str:
    """The settings a finding was judged under, in words (按2026年1月1日起施行的设置:接待群众每年3次);
    empty for a rule with no setting, or while no change of the term's settings is in force by as_of (every
    finding is then judged by the base settings: nothing to tell apart)."""
    key = RULE_THRESHOLD_KEY.get(finding.rule)
    if settings is None or key is None or finding.settings_from is None:
        return ""
    if not any(step.since <= as_of for step in settings.steps[1:]):
        return ""
    value = settings.on(finding.settings_from).values[key]
    return _("按%(day)s起施行的设置:%(setting)s") % {
        "day": chinese_date(finding.settings_from), "setting": threshold_phrase(key, value),
    }


def percent_of(finding: Finding) -> int:
    """How far the count is toward what is required, 0–100, for the progress bar."""
    if finding.required <= 0:
        return 100
    return min(100, round(100 * finding.count / finding.required))


def finding_view(finding: Finding, *, as_of: dt.date, records: Mapping[tuple[str, int], Any],
                 can_link: Callable[[str, Any], bool] = lambda kind, record: False,
                 record_url: str = "", settings: SettingsTimeline | None = None) -> FindingView:
    """A finding ready for a template."""
    since = finding.trigger_date
    is_action = finding.action != "none"
    return FindingView(
        finding=finding,
        status_label=status_label(finding.status),
        tone=STATUS_TONES.get(finding.status, "warn"),
        percent=percent_of(finding),
        evidence=evidence_items(finding, records, can_link),
        next_step=next_step(finding, as_of),
        who=responsible_label(finding.responsible, finding.rule),
        since=since,
        days_since=(as_of - since).days if since else None,
        record_url=record_url if finding.status == ACTION_REQUIRED else "",
        measure=action_measure(finding.rule, finding.required) if is_action else (),
        current=finding.period_end.year >= as_of.year or finding.status == ACTION_REQUIRED,
        settings_line=settings_line(finding, settings, as_of),
    )


def rule_sections(findings: Iterable[Finding], *, thresholds: Mapping[str, int], as_of: dt.date,
                  records: Mapping[tuple[str, int], Any],
                  can_link: Callable[[str, Any], bool] = lambda kind, record: False,
                  record_url: Callable[[Finding], str] = lambda finding: "",
                  settings: SettingsTimeline | None = None) -> list[RuleSection]:
    """One section per rule of RULES.md, in the catalog's order, each with its findings (newest first).

    thresholds: the settings in force on the as-of date (the requirement lines); settings: the term's settings
    over time, to name the settings each finding was judged under."""
    by_rule: dict[str, list[Finding]] = {}
    for finding in findings:
        by_rule.setdefault(finding.rule, []).append(finding)
    sections = []
    # A yearly rule's requirement is this year's: the settings in force on its 1 January (RULES.md).
    this_year = settings.on(dt.date(as_of.year, 1, 1)).values if settings is not None else thresholds
    for rule in THRESHOLD_RULES:
        requirement = _("%(window)s至少 %(n)s 次") % {
            "window": WINDOW_LABELS[rule.window],
            "n": (this_year if rule.window == "year" else thresholds)[rule.threshold_key],
        }
        if rule.window == "year":
            requirement += _("(任职不满一年的按比例折算,向上取整)")
        sections.append(RuleSection(rule.id, rule.article, rule.label, ARTICLE_TEXT.get(rule.article, ""),
                                    "threshold", requirement, one_kind=len(rule.kinds) == 1))
    for rule in ACTION_RULES:
        requirement = str(ACTION_TRIGGERS[rule.id]).format(**thresholds)
        sections.append(RuleSection(rule.id, rule.article, rule.label, ARTICLE_TEXT.get(rule.article, ""),
                                    "action", requirement))
    for section in sections:
        ordered = sorted(by_rule.get(section.id, ()), key=lambda f: (f.period_start, f.trigger_date or f.period_start),
                         reverse=True)
        section.findings = [
            finding_view(f, as_of=as_of, records=records, can_link=can_link, record_url=record_url(f),
                         settings=settings)
            for f in ordered
        ]
    return sections
