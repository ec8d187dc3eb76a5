"""Micro-benchmark of the pure rules engine: a whole term of 5000 deputies × 200 participations, in memory.

Run: .venv/bin/python bench/rules_pure.py [deputies] [participations per deputy]
"""
from __future__ import annotations

import datetime as dt
import random
import sys
import time
from pathlib import Path

sys.path[:] = [str(Path(__file__).resolve().parent.parent)] + [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

from oversight.rules import (  # noqa: E402
    AttendanceFact,
    ContributionFact,
    DeputyFacts,
    InterventionFact,
    LeaveFact,
    MeetingFacts,
    ParticipationFact,
    SessionFacts,
    TermFacts,
    build_facts,
    data_checks,
    evaluate,
)

KINDS = (
    "special_research", "inspection", "law_enforcement_check", "theme_activity", "work_evaluation", "group_activity",
    "training", "lecture", "station_reception", "constituent_visit", "duty_report", "sc_meeting", "court_hearing",
)
OUTCOMES = ("attended",) * 7 + ("excused", "absent", "pending")


def build(deputies: int, per_deputy: int, seed: int = 20240101):
    """Flat facts of one term, shaped like the loader's output."""
    rng = random.Random(seed)
    term = TermFacts(17, dt.date(2022, 1, 1), dt.date(2026, 12, 31), {})
    span = (term.end - term.start).days
    activities = [(i, rng.choice(KINDS), term.start + dt.timedelta(days=rng.randrange(span))) for i in range(20000)]
    deputy_facts, participations, attendance, leaves, contributions, interventions = [], [], [], [], [], []
    sessions, meetings = [], []
    next_id = 100000
    for year in range(2022, 2027):
        session = SessionFacts(next_id, dt.date(year, 1, 10), dt.date(year, 1, 14), f"{year}年会议")
        sessions.append(session)
        next_id += 1
        for day in range(5):
            for kind in ("plenary", "delegation"):
                meetings.append(MeetingFacts(next_id, session.id, session.start + dt.timedelta(days=day), kind))
                next_id += 1
    for deputy_id in range(1, deputies + 1):
        start = term.start if rng.random() < 0.95 else term.start + dt.timedelta(days=rng.randrange(span))
        end = None if rng.random() < 0.97 else start + dt.timedelta(days=rng.randrange((term.end - start).days + 1))
        deputy_facts.append(DeputyFacts(deputy_id, start, end, "active" if end is None else "resigned"))
        for activity_id, kind, day in rng.sample(activities, per_deputy):
            participations.append(
                ParticipationFact(activity_id, kind, day, deputy_id, rng.random() < 0.8, rng.choice(OUTCOMES))
            )
        for meeting in meetings:
            roll = rng.random()
            if roll < 0.97:
                attendance.append(AttendanceFact(meeting.id, deputy_id, roll < 0.93))
        if rng.random() < 0.05:
            session = rng.choice(sessions)
            status = rng.choice(("approved", "pending"))
            leaves.append(LeaveFact(next_id, deputy_id, session.id, "whole_session", status))
            next_id += 1
        for session in sessions:
            if rng.random() < 0.6:
                contributions.append(ContributionFact(next_id, deputy_id, session.id, "review_opinion", session.start))
                next_id += 1
        if rng.random() < 0.1:
            interventions.append(InterventionFact(next_id, deputy_id, "no_contact_talk", "talk", dt.date(2024, 6, 1)))
            next_id += 1
    return term, dict(
        deputies=deputy_facts, sessions=sessions, meetings=meetings, attendance=attendance, leaves=leaves,
        participations=participations, contributions=contributions, interventions=interventions,
    )


def main() -> None:
    deputies = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    per_deputy = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    term, flat = build(deputies, per_deputy)
    as_of = dt.date(2026, 6, 30)
    print(f"{deputies} deputies, {len(flat['participations'])} participations, {len(flat['attendance'])} attendance")
    t0 = time.perf_counter()
    facts = build_facts(**flat)
    t1 = time.perf_counter()
    findings = evaluate(term, facts, as_of)
    t2 = time.perf_counter()
    everything = evaluate(term, facts, as_of, include_met=True)
    t3 = time.perf_counter()
    checks = data_checks(term, facts, as_of)
    t4 = time.perf_counter()
    print(f"build_facts                 {t1 - t0:6.2f} s")
    print(f"evaluate                    {t2 - t1:6.2f} s  ({len(findings)} findings)")
    print(f"evaluate(include_met=True)  {t3 - t2:6.2f} s  ({len(everything)} findings)")
    print(f"data_checks                 {t4 - t3:6.2f} s  ({len(checks)} checks)")


if __name__ == "__main__":
    main()
