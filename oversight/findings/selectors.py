"""Reads of oversight, scoped by user: the rules' findings and data checks, and their evidence.

Findings are computed, not stored: the scoped deputies' facts are loaded in a fixed number of queries
(oversight.findings.facts) and evaluated by the pure rules as of the asked date.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from contextlib import closing
from dataclasses import replace
from collections.abc import Iterable, Mapping
from typing import Any

from django.db.models import QuerySet

from activities.models import Activity
from deputies.models import Deputy, Term
from deputies.selectors import deputy_list
from dutyadmin.scope import scope_for
from meetings.models import CongressSession, Contribution, Meeting
from oversight.rules import DataCheck, Finding, data_checks, evaluate
from oversight.rules.catalog import MET
from oversight.rules.classify import Classification, DeputyReading, classify

from ..labels import STATUSES
from ..models import Intervention
from . import snapshot
from .facts import ATTENDANCE, DeputyRange, DeputySet, facts_chunks, facts_load, gc_paused


def scoped_deputies(*, user, term: Term, street_committee: Any = None, deputy: int | None = None) -> DeputySet:
    """The term's deputies the user may see, narrowed by street committee or deputy id.

    None means every deputy of the term (a district user with no filter): the loader then reads the
    term's tables without a deputy subquery.
    """
    scope = scope_for(user)
    if scope.is_district and street_committee is None and deputy is None:
        return None
    deputies = deputy_list(user=user).filter(term=term)
    if street_committee is not None:
        deputies = deputies.filter(street_committee=street_committee)
    if deputy is not None:
        deputies = deputies.filter(pk=deputy)
    return deputies


def term_findings(*, term: Term, as_of: dt.date, deputies: DeputySet = None,
                  include_met: bool = False) -> list[Finding]:
    """Every finding of the term's deputies (or of `deputies`) as of the date, by deputy id then rule.

    As of today, read from the process's snapshot kept current (oversight.findings.snapshot); otherwise evaluated."""
    if snapshot.usable(as_of):
        # Only a read of the whole term (or of a chunk of it: an export) makes the whole term's snapshot. A scope of
        # some deputies (a street's findings page, a deputy's page) reads it when made, or has its deputies alone
        # evaluated and kept: it never waits for the whole term to be evaluated.
        whole = deputies is None or isinstance(deputies, DeputyRange)
        wanted = _deputy_ids(deputies)
        everything = snapshot.todays_findings(term=term, as_of=as_of, evaluate=evaluate_findings, build=whole,
                                              deputies=None if whole else wanted)
        return [f for f in everything if (wanted is None or f.deputy in wanted) and (include_met or f.status != MET)]
    return evaluate_findings(term=term, as_of=as_of, deputies=deputies, include_met=include_met)


def _deputy_ids(deputies: DeputySet) -> set[int] | None:
    """The ids of a DeputySet (a queryset is read in one query); None for every deputy."""
    if deputies is None:
        return None
    if isinstance(deputies, QuerySet):
        return set(deputies.order_by().values_list("pk", flat=True))
    if isinstance(deputies, DeputyRange):
        return set(Deputy.objects.filter(pk__gte=deputies.first, pk__lte=deputies.last).values_list("pk", flat=True))
    return set(deputies)


def evaluate_findings(*, term: Term, as_of: dt.date, deputies: DeputySet = None,
                      include_met: bool = False) -> list[Finding]:
    """term_findings from the facts: loaded (eleven queries) and evaluated by the pure rules; the whole term one chunk
    of deputies at a time (facts_chunks), so that only the findings stay."""
    # One pause for load and evaluation, ended once the facts are freed: resumed any earlier, the
    # collector's next pass would walk every fact still alive (about half a second for a big term).
    with gc_paused():
        if deputies is None:
            findings = []
            # closing: the chunks' read transaction ends here, even when an evaluation raises
            with closing(facts_chunks(term=term, counted_only=True, until=as_of)) as chunks:
                for term_facts, facts in chunks:
                    findings.extend(evaluate(term_facts, facts, as_of, include_met=include_met))
                    del facts
            return findings
        term_facts, facts = facts_load(term=term, deputies=deputies, counted_only=True, until=as_of)
        findings = evaluate(term_facts, facts, as_of, include_met=include_met)
        del facts
    return findings


def classification_for(*, term: Term, as_of: dt.date, deputies: DeputySet = None,
                       attendance_only: bool = False, session: int | None = None) -> Classification:
    """The regulation's reading of every meeting, session and participation of the term's deputies (or of
    `deputies`) as of the date (oversight.rules.classify), in nine queries whatever their number.

    attendance_only: meetings and sessions only, in six queries (no participation is loaded, and the
    classification's participations are empty); session: that session only (a session's or a meeting's page).
    """
    with gc_paused():
        term_facts, facts = facts_load(term=term, deputies=deputies, only=(ATTENDANCE,) if attendance_only else None,
                                       session=session, thresholds=False)
        classification = classify(term_facts, facts, as_of)
        del facts
    return classification
def term_reading(*, term: Term, as_of: dt.date, deputies: DeputySet = None,
                 sessions_between: tuple[dt.date, dt.date] | None = None) -> tuple[list[Finding], Classification]:
    """Every finding (met ones included) and the classification of the term's deputies (or of `deputies`) as of
    the date, from one load of the facts the findings read.

    The classification reads the meetings and sessions whole, and no participation (those loaded are only the
    ones a finding can count); sessions_between narrows it to the sessions meeting that span (a year's figures
    read its meetings only: classifying the whole term again would cost as much as the evaluation)."""
    with gc_paused():  # as in term_findings
        term_facts, facts = facts_load(term=term, deputies=deputies, counted_only=True, until=as_of)
        findings = evaluate(term_facts, facts, as_of, include_met=True)
        sessions = facts.sessions if sessions_between is None else tuple(
            s for s in facts.sessions if s.start <= sessions_between[1] and s.end >= sessions_between[0]
        )
        classification = classify(term_facts, replace(facts, sessions=sessions, participations={}), as_of)
        del facts
    return findings, classification


def term_review_reading(*, term: Term, as_of: dt.date, deputies: DeputySet = None,
                        sessions_between: tuple[dt.date, dt.date] | None = None,
                        ) -> tuple[list[Finding], Classification, list[DataCheck]]:
    """term_reading and the data checks of the same deputies, from one load of their facts: what the year-end
    review shows of each deputy (the year's figures, every open action whatever year set it off, and the
    data checks), in a fixed number of queries whatever their number.

    The facts are loaded whole (the data checks read participations no finding counts, and records dated
    after as_of, which neither the rules nor the checks count, cost nothing but the reading)."""
    with gc_paused():  # as in term_findings
        term_facts, facts = facts_load(term=term, deputies=deputies)
        findings = evaluate(term_facts, facts, as_of, include_met=True)
        checks = data_checks(term_facts, facts, as_of)
        sessions = facts.sessions if sessions_between is None else tuple(
            s for s in facts.sessions if s.start <= sessions_between[1] and s.end >= sessions_between[0]
        )
        classification = classify(term_facts, replace(facts, sessions=sessions, participations={}), as_of)
        del facts
    return findings, classification, checks


def filter_findings(findings: Iterable[Finding], *, rule: str | None = None, status: str | None = None,
                    action: str | None = None, include_met: bool = False) -> list[Finding]:
    """Findings of one rule, status or action; met ones only when asked for (or when status is met)."""
    keep_met = include_met or status == MET
    return [
        f for f in findings
        if (keep_met or f.status != MET)
        and (rule is None or f.rule == rule)
        and (status is None or f.status == status)
        and (action is None or f.action == action)
    ]


def findings_for(*, user, term: Term, as_of: dt.date, filters: Mapping[str, Any] | None = None) -> list[Finding]:
    """The findings about the deputies in the user's scope (filters: street_committee, deputy, rule,
    status, action, include_met), by deputy id then rule."""
    filters = filters or {}
    deputies = scoped_deputies(user=user, term=term, street_committee=filters.get("street_committee"),
                               deputy=filters.get("deputy"))
    include_met = bool(filters.get("include_met")) or filters.get("status") == MET
    findings = term_findings(term=term, as_of=as_of, deputies=deputies, include_met=include_met)
    return filter_findings(findings, rule=filters.get("rule"), status=filters.get("status"),
                           action=filters.get("action"), include_met=include_met)


def status_counts(findings: Iterable[Finding]) -> dict[str, int]:
    """How many findings have each status, every status present (zeros included)."""
    counts = Counter(f.status for f in findings)
    return {status: counts.get(status, 0) for status in STATUSES}


def data_checks_for(*, user, term: Term, as_of: dt.date, filters: Mapping[str, Any] | None = None) -> list[DataCheck]:
    """The data-quality warnings about the deputies in the user's scope (filters: street_committee,
    deputy, check)."""
    filters = filters or {}
    deputies = scoped_deputies(user=user, term=term, street_committee=filters.get("street_committee"),
                               deputy=filters.get("deputy"))
    with gc_paused():  # as in term_findings
        if deputies is None:  # the whole term, one chunk of deputies at a time
            checks = []
            with closing(facts_chunks(term=term, thresholds=False)) as chunks:  # as in evaluate_findings
                for term_facts, facts in chunks:
                    checks.extend(data_checks(term_facts, facts, as_of))
                    del facts
        else:
            term_facts, facts = facts_load(term=term, deputies=deputies, thresholds=False)
            checks = data_checks(term_facts, facts, as_of)
            del facts
    if filters.get("check"):
        checks = [c for c in checks if c.check == filters["check"]]
    return checks


def deputy_findings(*, deputy: Deputy, as_of: dt.date, include_met: bool = True) -> list[Finding]:
    """Every finding of one deputy (already known to be in the caller's scope), met ones included."""
    return term_findings(term=deputy.term, as_of=as_of, deputies=[deputy.pk], include_met=include_met)


def deputy_reading(*, deputy: Deputy, as_of: dt.date) -> tuple[DeputyReading, list[Finding]]:
    """One deputy's classification and every finding (met ones included) as of the date, from one load of
    their facts: what the handbook and the deputy's page show, read once."""
    with gc_paused():
        term_facts, facts = facts_load(term=deputy.term, deputies=[deputy.pk])
        reading = classify(term_facts, facts, as_of, [deputy.pk]).deputies[deputy.pk]
        findings = evaluate(term_facts, facts, as_of, include_met=True)
        del facts
    return reading, findings


def deputy_names(ids: Iterable[int]) -> dict[int, Deputy]:
    """The deputies of a page of findings, with their street committees, in one query."""
    return {d.pk: d for d in Deputy.objects.filter(pk__in=set(ids)).select_related("street_committee")}


def evidence_records(findings: Iterable[Finding]) -> dict[tuple[str, int], Any]:
    """The records behind the findings' evidence, keyed by (type, id): one query per type at most."""
    wanted: dict[str, set[int]] = {}
    for finding in findings:
        for evidence in finding.evidence:
            wanted.setdefault(evidence.type, set()).add(evidence.id)
    models = {
        "activity": lambda ids: Activity.objects.filter(pk__in=ids),
        "session": lambda ids: CongressSession.objects.filter(pk__in=ids),
        "meeting": lambda ids: Meeting.objects.filter(pk__in=ids).select_related("session"),
        "contribution": lambda ids: Contribution.objects.filter(pk__in=ids).select_related("session"),
        "intervention": lambda ids: Intervention.objects.filter(pk__in=ids),
    }
    records: dict[tuple[str, int], Any] = {}
    for kind, ids in wanted.items():
        if kind in models:
            records.update(((kind, record.pk), record) for record in models[kind](ids))
    return records
