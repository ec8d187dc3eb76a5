"""Shared shapes of threshold and action findings, so every rule states only what is its own."""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from operator import attrgetter

from .catalog import ACTION_REQUIRED, ACTION_RULES_BY_ID, MET, RESOLVED, THRESHOLD_RULES_BY_ID
from .context import DeputyContext
from .facts import ParticipationFact
from .findings import Evidence, Finding
from .resolution import resolving_intervention
from .windows import prorated_required, served_days, threshold_status, year_windows


_BY_DATE_AND_ACTIVITY = attrgetter("date", "activity_id")
_ACTIVITY = attrgetter("activity_id")


def activity_evidence(ctx: DeputyContext, records: Sequence[ParticipationFact]) -> tuple[Evidence, ...]:
    """Evidence of activities, by date then id."""
    shared = ctx.facts.activity_evidence
    ordered = sorted(records, key=_BY_DATE_AND_ACTIVITY)
    try:  # build_facts keeps one Evidence for every activity it was given
        return tuple(map(shared.__getitem__, map(_ACTIVITY, ordered)))
    except KeyError:
        return tuple(shared.get(p.activity_id) or Evidence("activity", p.activity_id, p.date) for p in ordered)


def threshold_finding(ctx: DeputyContext, rule_id: str, period_start: dt.date, period_end: dt.date,
                      required: int, counted: Sequence[ParticipationFact], settings_from: dt.date) -> Finding | None:
    """The finding of one threshold window, or None when it is met and met findings are not asked for."""
    rule = THRESHOLD_RULES_BY_ID[rule_id]
    count = len(counted)
    status = threshold_status(count, required, ctx.as_of, period_start, period_end, ctx.suspended)
    if status == MET and not ctx.include_met:
        return None
    return Finding(
        ctx.deputy.id, rule.id, rule.article, status, "none", "deputy",
        period_start, period_end, count, required, None, activity_evidence(ctx, counted), settings_from,
    )


def yearly_findings(ctx: DeputyContext, rule_id: str) -> list[Finding]:
    """A yearly threshold rule over each calendar year ∩ service period that has begun by as_of."""
    rule = THRESHOLD_RULES_BY_ID[rule_id]
    key = rule.threshold_key
    by_year: dict[int, list[ParticipationFact]] = {}
    for p in ctx.attended.get(rule_id, ()):
        year = p.date.year
        bucket = by_year.get(year)
        if bucket is None:
            by_year[year] = [p]
        else:
            bucket.append(p)
    findings = []
    for year, start, end in year_windows(ctx.start, ctx.end):
        if start > ctx.as_of:
            break  # a window that starts after the as-of date yields no finding
        if ctx.suspended and not served_days(start, end, ctx.suspended):
            continue  # (RULES.md "Suspension") a year wholly suspended owes nothing and yields no finding
        # (choice, RULES.md) a year is judged by the settings in force on its first day: a later change
        # never rewrites a year already begun.
        in_force = ctx.settings.on(start)
        # (choice, RULES.md) partial years are owed pro rata, rounded up, on the days served (not suspended).
        required = prorated_required(in_force.values[key], year, start, end, ctx.suspended)
        finding = threshold_finding(ctx, rule_id, start, end, required, by_year.get(year, ()), in_force.since)
        if finding is not None:
            findings.append(finding)
    return findings


def term_findings(ctx: DeputyContext, rule_id: str) -> list[Finding]:
    """A term threshold rule over term ∩ service period, owed in full however short the service or long a suspension."""
    rule = THRESHOLD_RULES_BY_ID[rule_id]
    finding = threshold_finding(
        ctx, rule_id, ctx.start, ctx.end, ctx.thresholds[rule.threshold_key], ctx.attended.get(rule_id, ()),
        ctx.settings_from,
    )
    return [finding] if finding is not None else []


def action_finding(ctx: DeputyContext, rule_id: str, period_start: dt.date, period_end: dt.date, count: int,
                   required: int, trigger_date: dt.date, evidence: tuple[Evidence, ...]) -> Finding:
    """A triggered action finding: resolved by the first intervention of its kind dated on or after the trigger."""
    rule = ACTION_RULES_BY_ID[rule_id]
    status = ACTION_REQUIRED
    intervention = resolving_intervention(rule_id, trigger_date, ctx.interventions.get(rule_id, ()), ctx.as_of)
    if intervention is not None:
        status = RESOLVED
        evidence = evidence + (Evidence("intervention", intervention.id, intervention.date),)
    return Finding(
        ctx.deputy.id, rule.id, rule.article, status, rule.kind, rule.responsible,
        period_start, period_end, count, required, trigger_date, evidence, ctx.settings_from,
    )
