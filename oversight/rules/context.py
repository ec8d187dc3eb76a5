"""One deputy's facts, sifted once (service window, as-of date, approved leave) for every rule to read."""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from .catalog import A93_RULE, counted_toward
from .classify import (
    SessionMark,
    deputy_spans,
    in_window,
    read_leave,
    read_session,
)
from .facts import DeputyFacts, Facts, InterventionFact, ParticipationFact, SessionFacts, TermFacts
from .resolution import may_resolve
from .settings import SettingsInForce, SettingsTimeline
from .windows import Spans, is_suspended


class DeputyContext:
    """What the rules need about one deputy at one as-of date; records outside service or after as_of are dropped."""

    __slots__ = (
        "term", "facts", "deputy", "as_of", "settings", "in_force", "thresholds", "settings_from", "include_met",
        "start", "end", "limit", "suspended",
        "attended", "a93_absences", "interventions",
        "approved_whole", "sessions_in_service", "session_outcomes",
    )

    def __init__(self, *, term: TermFacts, facts: Facts, deputy: DeputyFacts, as_of: dt.date,
                 settings: SettingsTimeline, window: tuple[dt.date, dt.date], include_met: bool) -> None:
        self.term = term
        self.facts = facts
        self.deputy = deputy
        self.as_of = as_of
        self.include_met = include_met
        start, end = window
        self.start = start  # term ∩ service period
        self.end = end
        # A record counts only if dated inside the service period and on or before as_of.
        self.limit = min(as_of, end)
        # Suspended days (RULES.md "Suspension") are outside the service period for every rule: records on them
        # neither count nor are expected, and windows count their length and elapsed days without them.
        spans: Spans = deputy_spans(deputy, window, as_of)
        self.suspended = spans
        # (choice, RULES.md) the term window and every action rule: the settings in force on the as-of date,
        # or on the window's last day when that is earlier; yearly windows ask `settings` for their first day.
        self.settings = settings
        in_force: SettingsInForce = settings.on(self.limit)
        self.in_force = in_force
        self.thresholds: Mapping[str, int] = in_force.values
        self.settings_from = in_force.since

        # Which rule each participation counts toward: classify's reading (read_participation), shared with every
        # page, inlined here (this loop is the engine's hottest): the rule of each (kind, outcome, confirmed) is
        # catalog.counted_toward's, looked up once per process, and a record counts when dated in service by as_of.
        attended: dict[str, list[ParticipationFact]] = {}
        a93: list[ParticipationFact] = []
        limit = self.limit
        rule_of = _RULE_OF
        for p in facts.participations.get(deputy.id, ()):
            key = (p.kind, p.outcome, p.confirmed)
            rule_id = rule_of.get(key, _UNKNOWN)
            if rule_id is _UNKNOWN:
                rule_id = rule_of[key] = counted_toward(*key)
            if rule_id is None:
                continue
            day = p.date
            if day < start or day > limit or (spans and is_suspended(day, spans)):
                continue
            if rule_id == A93_RULE:
                a93.append(p)
            else:
                bucket = attended.get(rule_id)
                if bucket is None:
                    attended[rule_id] = [p]
                else:
                    bucket.append(p)
        self.attended = attended
        a93.sort(key=_by_date_and_activity)
        self.a93_absences = a93  # by (date, activity id)

        # Only an intervention of the rule's own kind, already done by as_of, can resolve a finding.
        interventions: dict[str, list[InterventionFact]] = {}
        for record in facts.interventions.get(deputy.id, ()):
            if not may_resolve(record, as_of):
                continue
            interventions.setdefault(record.rule, []).append(record)
        for records in interventions.values():
            records.sort(key=_by_date_and_id)
        self.interventions = interventions

        cover = read_leave(facts.leaves.get(deputy.id, ()))
        self.approved_whole = cover.whole
        marks = facts.attendance.get(deputy.id, {})
        in_service: list[SessionFacts] = []
        outcomes: list[SessionMark] = []
        for session in facts.sessions:
            if not in_window(session, window, spans):
                continue
            in_service.append(session)
            if session.end > as_of:
                continue  # judged once it has ended (its last day is every session rule's trigger)
            outcomes.append(read_session(session, facts.session_meetings.get(session.id, ()), deputy.id, marks,
                                         cover, window, as_of, spans))
        self.sessions_in_service = in_service
        outcomes.sort(key=lambda o: (o.session.end, o.session.start, o.session.id))
        self.session_outcomes = outcomes


_RULE_OF: dict[tuple[str, str, bool], str | None] = {}  # counted_toward of each (kind, outcome, confirmed) met
_UNKNOWN = object()


def _by_date_and_activity(p: ParticipationFact) -> tuple[dt.date, int]:
    return (p.date, p.activity_id)


def _by_date_and_id(record: InterventionFact) -> tuple[dt.date, int]:
    return (record.date, record.id)
