"""From database records through the loader to findings: the rules see what the office recorded."""
import pytest

from oversight.findings.facts import facts_load
from oversight.rules import data_checks
from oversight.findings.selectors import term_findings
from tests import factories

from .records import D, activity, attend, leave, session_with_meetings, take_part

pytestmark = pytest.mark.django_db


def findings_of(term, deputy, as_of, rule=None):
    found = term_findings(term=term, as_of=as_of, deputies=[deputy.pk], include_met=True)
    return [f for f in found if rule is None or f.rule == rule]


def test_three_attended_a41_activities_in_2023_meet_the_year(term):
    deputy = factories.DeputyFactory(term=term)
    acts = [activity(term, "inspection", D(2023, 4, 12)), activity(term, "inspection", D(2023, 9, 20)),
            activity(term, "theme_activity", D(2023, 12, 30))]
    for act in acts:
        take_part(deputy, act)
    take_part(deputy, activity(term, "special_research", D(2023, 6, 1)), outcome="excused")

    (finding,) = [f for f in findings_of(term, deputy, D(2024, 1, 2), "closed_session_activities")
                  if f.period_start.year == 2023]
    assert (finding.status, finding.count, finding.required) == ("met", 3, 3)
    assert [(e.type, e.id, e.date) for e in finding.evidence] == [("activity", a.pk, a.date) for a in acts]


@pytest.mark.parametrize(
    ("status", "excused"),
    [("approved", True), ("pending", False), ("rejected", False), ("withdrawn", False), ("draft", False)],
)
def test_only_an_approved_whole_session_leave_excuses_missing_a_session(term, status, excused):
    deputy = factories.DeputyFactory(term=term)
    session, meetings = session_with_meetings(term, D(2024, 1, 10), D(2024, 1, 12), number=3)
    attend(deputy, meetings, "absent")
    leave(deputy, session, route="whole_session", status=status)

    rules = {f.rule: f for f in findings_of(term, deputy, D(2024, 2, 1)) if f.trigger_date}
    if excused:
        assert "session_absence_talk" not in rules and "absence_notice" not in rules
    else:
        talk = rules["session_absence_talk"]
        assert (talk.status, talk.trigger_date, talk.responsible) == ("action_required", D(2024, 1, 12),
                                                                      "delegation_head")
        assert rules["absence_notice"].count == 3


def test_an_approved_plenary_leave_excuses_only_the_meetings_it_names(term):
    deputy = factories.DeputyFactory(term=term)
    session, meetings = session_with_meetings(term, D(2024, 1, 10), D(2024, 1, 12), number=3)
    attend(deputy, meetings[:1], "present")
    attend(deputy, meetings[1:], "absent")
    leave(deputy, session, route="plenary", status="approved", meetings=meetings[1:2])

    (notice,) = findings_of(term, deputy, D(2024, 2, 1), "absence_notice")
    assert notice.count == 1
    assert ("meeting", meetings[2].pk) in {(e.type, e.id) for e in notice.evidence}
    assert not findings_of(term, deputy, D(2024, 2, 1), "session_absence_talk")  # present at one meeting


def test_a_session_never_recorded_is_no_absence_but_a_data_check(term):
    deputy = factories.DeputyFactory(term=term)
    session_with_meetings(term, D(2024, 1, 10), D(2024, 1, 12), number=3)

    session_rules = {"absence_notice", "session_absence_talk", "qualification_termination", "silent_in_sessions_talk"}
    assert not [f for f in findings_of(term, deputy, D(2024, 2, 1)) if f.rule in session_rules]
    term_facts, facts = facts_load(term=term)
    checks = data_checks(term_facts, facts, D(2024, 2, 1))
    assert {c.check for c in checks} == {"unrecorded_attendance"} and len(checks) == 3


def test_records_after_the_end_of_service_do_not_count(term):
    deputy = factories.DeputyFactory(term=term, status="resigned", service_end=D(2024, 6, 30))
    take_part(deputy, activity(term, "station_reception", D(2024, 3, 1)))
    late = activity(term, "station_reception", D(2024, 8, 1))
    take_part(deputy, late)

    receptions = findings_of(term, deputy, D(2025, 3, 1), "station_receptions")
    assert [(f.period_start.year, f.period_end) for f in receptions] == [
        (2022, D(2022, 12, 31)), (2023, D(2023, 12, 31)), (2024, D(2024, 6, 30)),
    ]
    year_2024 = receptions[-1]
    assert (year_2024.count, year_2024.required, year_2024.status) == (1, 1, "met")  # ceil(2 × 182/366) = 1
    term_facts, facts = facts_load(term=term)
    outside = [c for c in data_checks(term_facts, facts, D(2025, 3, 1)) if c.check == "record_outside_service"]
    assert [(c.type, c.id) for c in outside] == [("activity", late.pk)]


def test_a_talk_on_or_after_the_trigger_resolves_the_finding_and_one_before_does_not(term):
    deputy = factories.DeputyFactory(term=term)
    session, meetings = session_with_meetings(term, D(2024, 1, 10), D(2024, 1, 12), number=3)
    attend(deputy, meetings, "absent")
    early = factories.InterventionFactory(deputy=deputy, rule="session_absence_talk", kind="talk", date=D(2024, 1, 11))

    (talk,) = findings_of(term, deputy, D(2024, 3, 1), "session_absence_talk")
    assert talk.status == "action_required"

    on_time = factories.InterventionFactory(deputy=deputy, rule="session_absence_talk", kind="talk",
                                            date=D(2024, 1, 12))
    (talk,) = findings_of(term, deputy, D(2024, 3, 1), "session_absence_talk")
    assert talk.status == "resolved"
    assert ("intervention", on_time.pk) in {(e.type, e.id) for e in talk.evidence}
    assert ("intervention", early.pk) not in {(e.type, e.id) for e in talk.evidence}


def test_an_earlier_as_of_date_ignores_later_records(term):
    deputy = factories.DeputyFactory(term=term)
    take_part(deputy, activity(term, "inspection", D(2024, 3, 1)))
    take_part(deputy, activity(term, "inspection", D(2024, 9, 1)))

    def count_2024(as_of):
        (finding,) = [f for f in findings_of(term, deputy, as_of, "closed_session_activities")
                      if f.period_start.year == 2024]
        return finding.count

    assert count_2024(D(2024, 8, 31)) == 1
    assert count_2024(D(2024, 9, 1)) == 2


def test_thresholds_changed_on_the_term_change_what_is_required(term):
    deputy = factories.DeputyFactory(term=term)
    term.thresholds = {**term.thresholds, "lectures": 2}
    term.save()
    (lectures,) = findings_of(term, deputy, D(2024, 1, 1), "lectures")
    assert lectures.required == 2
