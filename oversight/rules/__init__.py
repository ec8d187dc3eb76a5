"""The regulation's Articles 3–9 as pure functions: facts in, findings out. No Django here."""
from .datachecks import data_checks, one_per_problem
from .engine import RULES, evaluate, evaluate_deputy
from .facts import (
    AttendanceFact,
    ContributionFact,
    DeputyFacts,
    Facts,
    InterventionFact,
    LeaveFact,
    MeetingFacts,
    ParticipationFact,
    SessionFacts,
    TermFacts,
    build_facts,
    facts_of,
)
from .findings import DataCheck, Evidence, Finding, GroupedDataCheck
from .resolution import may_resolve, resolving_intervention
from .settings import SettingsInForce, SettingsTimeline, ThresholdChangeFact, settings_timeline, term_settings

__all__ = [
    "AttendanceFact",
    "ContributionFact",
    "DataCheck",
    "DeputyFacts",
    "Evidence",
    "Facts",
    "Finding",
    "GroupedDataCheck",
    "InterventionFact",
    "LeaveFact",
    "MeetingFacts",
    "ParticipationFact",
    "RULES",
    "SessionFacts",
    "SettingsInForce",
    "SettingsTimeline",
    "TermFacts",
    "ThresholdChangeFact",
    "build_facts",
    "facts_of",
    "data_checks",
    "evaluate",
    "evaluate_deputy",
    "may_resolve",
    "one_per_problem",
    "resolving_intervention",
    "settings_timeline",
    "term_settings",
]
