"""Reads of the thresholds page: each setting in force today and since when, the changes, and what a change
would do to today's findings (the preview before saving)."""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, replace

from deputies.models import Term, ThresholdChange
from oversight.rules import Finding, SettingsTimeline, ThresholdChangeFact, evaluate
from oversight.rules.catalog import DEFAULT_THRESHOLDS, THRESHOLD_ARTICLES, THRESHOLD_LABELS

from ..articles import ARTICLE_HEADINGS
from ..findings.facts import facts_load, gc_paused, settings_load
from ..labels import RULE_LABELS, status_label

NOT_TRIGGERED = ""  # an action rule with no finding: not triggered


@dataclass(frozen=True)
class SettingRow:
    """One threshold key as the page shows it: its words, article, the value in force and since when."""

    key: str
    label: str
    article: str
    article_heading: str
    default: int
    value: int
    since: dt.date
    upcoming: tuple[tuple[dt.date, int], ...]  # changes of this key not in force yet: (day, value)


def setting_rows(*, term: Term, today: dt.date, settings: SettingsTimeline | None = None) -> list[SettingRow]:
    """Every key in the catalog's order: the value in force today and the day it took that value."""
    settings = settings or settings_load(term)
    rows = []
    for key in DEFAULT_THRESHOLDS:
        value, since = None, term.start_date
        upcoming = []
        for step in settings.steps:
            if step.since > today:
                if step.values[key] != (upcoming[-1][1] if upcoming else value):
                    upcoming.append((step.since, step.values[key]))
                continue
            if step.values[key] != value:
                value, since = step.values[key], step.since
        article = THRESHOLD_ARTICLES[key]
        rows.append(SettingRow(key, THRESHOLD_LABELS[key], article, ARTICLE_HEADINGS.get(article, article),
                               DEFAULT_THRESHOLDS[key], value, since, tuple(upcoming)))
    return rows


def threshold_changes(*, term: Term) -> list[ThresholdChange]:
    """The term's changes by effective_from, with who entered them (one query)."""
    return list(ThresholdChange.objects.filter(term=term).select_related("created_by").order_by("effective_from", "id"))


@dataclass(frozen=True)
class PreviewLine:
    rule: str
    rule_label: str
    before: str  # a status, or NOT_TRIGGERED
    after: str
    before_label: str
    after_label: str
    count: int


@dataclass(frozen=True)
class Preview:
    """How today's findings of the whole term would change with the change saved."""

    as_of: dt.date
    changed: int  # findings whose status would differ (appearing and disappearing included)
    lines: tuple[PreviewLine, ...]


def _by_window(findings: list[Finding]) -> dict[tuple[int, str, dt.date], str]:
    return {(f.deputy, f.rule, f.period_start): f.status for f in findings}


def change_preview(*, term: Term, effective_from: dt.date, values: dict[str, int], today: dt.date) -> Preview:
    """Evaluate the term's deputies as of today with and without the change; count the findings that change
    status, by rule and by (before → after). Findings are the engine's: one load of the facts, two evaluations."""
    with gc_paused():
        term_facts, facts = facts_load(term=term, counted_only=True, until=today)
        before = _by_window(evaluate(term_facts, facts, today, include_met=True))
        # A new change is entered after every stored one: of the changes of its day, it is the one that overlays.
        new_id = max((c.id for c in term_facts.changes), default=0) + 1
        change = ThresholdChangeFact(new_id, effective_from, dict(values))
        changed_term = replace(term_facts, changes=(*term_facts.changes, change))
        after = _by_window(evaluate(changed_term, facts, today, include_met=True))
        del facts
    counts: Counter[tuple[str, str, str]] = Counter()
    for key in before.keys() | after.keys():
        old, new = before.get(key, NOT_TRIGGERED), after.get(key, NOT_TRIGGERED)
        if old != new:
            counts[(key[1], old, new)] += 1
    order = {rule: index for index, rule in enumerate(RULE_LABELS)}
    lines = tuple(
        PreviewLine(rule, RULE_LABELS.get(rule, rule), old, new, _status_words(old), _status_words(new), n)
        for (rule, old, new), n in sorted(counts.items(), key=lambda item: (order.get(item[0][0], 99), item[0]))
    )
    return Preview(today, sum(counts.values()), lines)


def _status_words(status: str) -> str:
    return status_label(status) if status else "未触发"
