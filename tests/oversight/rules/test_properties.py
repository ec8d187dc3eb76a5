"""Properties over random terms: more attendance never hurts, later records are never seen, results are stable."""
import datetime as dt
import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oversight.rules import (
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
from oversight.rules.catalog import (
    ACTION_RULES,
    ACTION_STATUSES,
    THRESHOLD_RULES,
    THRESHOLD_RULES_BY_ID,
    THRESHOLD_STATUS_RANK,
)

D = dt.date
TERM = TermFacts(1, D(2022, 1, 1), D(2026, 12, 31), {})
KINDS = [
    "special_research", "inspection", "theme_activity", "group_activity", "training", "lecture",
    "station_reception", "duty_report", "sc_meeting", "constituent_visit",
]
THRESHOLD_KINDS = sorted(kind for rule in THRESHOLD_RULES for kind in rule.kinds)
RULE_KINDS = [(rule.id, rule.kind) for rule in ACTION_RULES] + [("session_absence_talk", "notice")]

days = st.dates(min_value=D(2021, 12, 1), max_value=D(2027, 3, 31))
term_days = st.dates(min_value=TERM.start, max_value=TERM.end)


@st.composite
def worlds(draw):
    """Flat facts of a small random term: a few deputies, yearly sessions, records of every type."""
    ids = iter(range(1, 10_000))
    deputies = []
    for _ in range(draw(st.integers(1, 3))):
        start = draw(st.one_of(st.just(TERM.start), term_days))
        end = draw(st.one_of(st.none(), st.dates(min_value=start, max_value=TERM.end)))
        deputies.append(DeputyFacts(next(ids), start, end, "active" if end is None else "resigned"))
    sessions, meetings = [], []
    for year in range(2022, 2027):
        if draw(st.booleans()) or year == 2022:
            first = D(year, 1, draw(st.integers(5, 20)))
            session = SessionFacts(next(ids), first, first + dt.timedelta(days=3))
            sessions.append(session)
            for index in range(draw(st.integers(1, 3))):
                kind = draw(st.sampled_from(["plenary", "delegation", "presidium"]))
                meetings.append(MeetingFacts(next(ids), session.id, first + dt.timedelta(days=index), kind))
    attendance, leaves, participations, contributions, interventions = [], [], [], [], []
    for deputy in deputies:
        for meeting in meetings:
            mark = draw(st.sampled_from([None, True, False, False]))
            if mark is not None:
                attendance.append(AttendanceFact(meeting.id, deputy.id, mark))
        for session in sessions:
            if draw(st.integers(0, 3)) == 0:
                route = draw(st.sampled_from(["whole_session", "plenary", "delegation_meeting"]))
                named = [m.id for m in meetings if m.session_id == session.id and draw(st.booleans())]
                status = draw(st.sampled_from(["approved", "pending", "rejected", "withdrawn", "draft"]))
                leaves.append(LeaveFact(next(ids), deputy.id, session.id, route, status,
                                        frozenset() if route == "whole_session" else frozenset(named)))
            if draw(st.booleans()):
                kind = draw(st.sampled_from(["review_opinion", "suggestion", "motion"]))
                day = draw(st.dates(min_value=session.start, max_value=session.end + dt.timedelta(days=30)))
                contributions.append(ContributionFact(next(ids), deputy.id, session.id, kind, day))
        for _ in range(draw(st.integers(0, 25))):
            participations.append(ParticipationFact(
                next(ids), draw(st.sampled_from(KINDS)), draw(days), deputy.id, draw(st.booleans()),
                draw(st.sampled_from(["attended", "attended", "absent", "excused", "pending"])),
            ))
        for _ in range(draw(st.integers(0, 4))):
            rule, kind = draw(st.sampled_from(RULE_KINDS))
            interventions.append(InterventionFact(next(ids), deputy.id, rule, kind, draw(days)))
    return dict(
        deputies=deputies, sessions=sessions, meetings=meetings, attendance=attendance, leaves=leaves,
        participations=participations, contributions=contributions, interventions=interventions,
    )


def _threshold_statuses(flat, as_of):
    return {
        (f.deputy, f.rule, f.period_start, f.period_end): f
        for f in evaluate(TERM, build_facts(**flat), as_of, include_met=True)
        if f.rule in THRESHOLD_RULES_BY_ID
    }


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(flat=worlds(), as_of=days, extra=st.data())
def test_one_more_attended_activity_never_worsens_a_threshold_status(flat, as_of, extra):
    deputy = extra.draw(st.sampled_from(flat["deputies"]))
    record = ParticipationFact(
        99_999, extra.draw(st.sampled_from(THRESHOLD_KINDS)), extra.draw(days), deputy.id,
        extra.draw(st.booleans()), "attended",
    )
    before = _threshold_statuses(flat, as_of)
    after = _threshold_statuses({**flat, "participations": flat["participations"] + [record]}, as_of)

    assert before.keys() == after.keys()  # the windows do not depend on the records
    for key, old in before.items():
        new = after[key]
        assert new.count >= old.count
        assert THRESHOLD_STATUS_RANK[new.status] >= THRESHOLD_STATUS_RANK[old.status], (old, new)


def _known_by(flat, as_of):
    """The flat facts without any record dated after as_of (what the office knew then)."""
    meeting_day = {m.id: m.date for m in flat["meetings"]}
    return {
        **flat,
        "attendance": [a for a in flat["attendance"] if meeting_day[a.meeting_id] <= as_of],
        "participations": [p for p in flat["participations"] if p.date <= as_of],
        "contributions": [c for c in flat["contributions"] if c.date <= as_of],
        "interventions": [i for i in flat["interventions"] if i.date <= as_of],
    }


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(flat=worlds(), as_of=days)
def test_evaluating_at_a_past_date_ignores_records_dated_after_it(flat, as_of):
    everything, known = build_facts(**flat), build_facts(**_known_by(flat, as_of))
    assert evaluate(TERM, everything, as_of, include_met=True) == evaluate(TERM, known, as_of, include_met=True)
    assert data_checks(TERM, everything, as_of) == data_checks(TERM, known, as_of)


@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow])
@given(flat=worlds(), as_of=days, seed=st.integers(0, 2**32 - 1))
def test_the_same_facts_in_any_order_give_the_same_findings(flat, as_of, seed):
    first = evaluate(TERM, build_facts(**flat), as_of, include_met=True)
    assert evaluate(TERM, build_facts(**flat), as_of, include_met=True) == first
    rng = random.Random(seed)
    shuffled = {key: rng.sample(values, len(values)) for key, values in flat.items()}
    assert evaluate(TERM, build_facts(**shuffled), as_of, include_met=True) == first
    assert data_checks(TERM, build_facts(**shuffled), as_of) == data_checks(TERM, build_facts(**flat), as_of)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(flat=worlds(), as_of=days)
def test_every_finding_keeps_the_contract(flat, as_of):
    facts = build_facts(**flat)
    everything = evaluate(TERM, facts, as_of, include_met=True)
    assert [f for f in everything if f.status != "met"] == evaluate(TERM, facts, as_of)
    for finding in everything:
        assert finding.period_start <= finding.period_end
        assert all(e.type in {"session", "meeting", "activity", "contribution", "intervention"}
                   for e in finding.evidence)
        if finding.rule in THRESHOLD_RULES_BY_ID:
            assert finding.status in THRESHOLD_STATUS_RANK
            assert (finding.action, finding.responsible, finding.trigger_date) == ("none", "deputy", None)
            assert finding.period_start <= as_of  # a window starting after as_of yields nothing
            assert finding.count == len(finding.evidence)
            assert all(finding.period_start <= e.date <= min(as_of, finding.period_end) for e in finding.evidence)
        else:
            assert finding.status in ACTION_STATUSES
            assert finding.trigger_date <= as_of
            assert finding.count >= 1 and finding.required >= 1
    # per deputy: findings only for deputies whose service has begun by as_of
    started = {d.id for d in flat["deputies"] if d.service_start <= as_of}
    assert {f.deputy for f in everything} <= started


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(flat=worlds(), as_of=days)
def test_evaluating_some_deputies_gives_their_part_of_the_whole(flat, as_of):
    facts = build_facts(**flat)
    everything = evaluate(TERM, facts, as_of, include_met=True)
    chosen = {flat["deputies"][0].id, 424242}  # an unknown id is ignored
    assert evaluate(TERM, facts, as_of, deputy_ids=chosen, include_met=True) == [
        f for f in everything if f.deputy in chosen
    ]
