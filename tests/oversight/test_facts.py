"""The fact loader: a fixed number of queries whatever the size of the term, and the facts the rules need."""
import datetime as dt

import pytest

from deputies.models import Deputy, ThresholdChange
from meetings.models import LeaveApprovalStep
from oversight.findings.facts import facts_load
from oversight.rules import LeaveFact, ParticipationFact
from tests import factories

from .records import D, activity, attend, leave, many_deputies, session_with_meetings, take_part

pytestmark = pytest.mark.django_db
LOADER_QUERIES = 11  # deputies, sessions, meetings, attendance, leave, leave meetings, participations,
# contributions, interventions, the term's threshold changes and the deputies' suspensions (issue 12: two more queries)


@pytest.mark.parametrize("count", [5, 500])
def test_a_whole_term_loads_in_the_same_number_of_queries_for_5_and_500_deputies(
    term, django_assert_num_queries, count
):
    many_deputies(term, count)
    with django_assert_num_queries(LOADER_QUERIES):
        _, facts = facts_load(term=term)
    assert len(facts.deputies) == count
    assert sum(len(records) for records in facts.participations.values()) == 4 * count
    assert sum(len(marks) for marks in facts.attendance.values()) == 3 * count


@pytest.mark.parametrize("count", [5, 500])
def test_a_scoped_set_of_deputies_loads_in_the_same_number_of_queries(term, django_assert_num_queries, count):
    deputies = many_deputies(term, count)
    scoped = Deputy.objects.filter(pk__in=[d.pk for d in deputies[::2]])
    with django_assert_num_queries(LOADER_QUERIES):
        _, facts = facts_load(term=term, deputies=scoped)
    assert set(facts.deputies) == {d.pk for d in deputies[::2]}
    assert set(facts.participations) <= set(facts.deputies)
    assert set(facts.attendance) <= set(facts.deputies)


def test_a_list_of_ids_and_a_queryset_load_the_same_facts(term):
    deputies = many_deputies(term, 12)
    ids = [d.pk for d in deputies[3:8]]
    _, by_ids = facts_load(term=term, deputies=ids)
    _, by_queryset = facts_load(term=term, deputies=Deputy.objects.filter(pk__in=ids))
    assert by_ids == by_queryset


def test_the_term_carries_its_dates_and_thresholds_with_defaults(term):
    term.thresholds = {"lectures": 4}
    term.save()
    term_facts, _ = facts_load(term=term)
    assert (term_facts.id, term_facts.start, term_facts.end) == (term.pk, term.start_date, term.end_date)
    assert term_facts.thresholds["lectures"] == 4
    assert term_facts.thresholds["training"] == 3


def test_a_participation_is_dated_by_its_activitys_first_day_and_carries_its_kind(term):
    deputy = factories.DeputyFactory(term=term)
    act = activity(term, "inspection", D(2024, 5, 10), end_date=D(2024, 5, 12))
    take_part(deputy, act, outcome="absent", confirmed=True)
    _, facts = facts_load(term=term)
    assert facts.participations[deputy.pk] == (
        ParticipationFact(act.pk, "inspection", D(2024, 5, 10), deputy.pk, True, "absent"),
    )


def test_attendance_is_present_or_absent_and_leave_names_its_meetings(term):
    deputy = factories.DeputyFactory(term=term)
    session, meetings = session_with_meetings(term, D(2024, 1, 10), D(2024, 1, 12), number=1)
    attend(deputy, meetings[:1], "present")
    attend(deputy, meetings[1:2], "absent")
    plenary = leave(deputy, session, route="plenary", status="pending", meetings=meetings[1:])
    whole = leave(deputy, session, route="whole_session", status="rejected")
    _, facts = facts_load(term=term)
    assert facts.attendance[deputy.pk] == {meetings[0].pk: True, meetings[1].pk: False}
    assert sorted(facts.leaves[deputy.pk], key=lambda f: f.id) == [
        LeaveFact(plenary.pk, deputy.pk, session.pk, "plenary", "pending", frozenset(m.pk for m in meetings[1:])),
        LeaveFact(whole.pk, deputy.pk, session.pk, "whole_session", "rejected", frozenset()),
    ]


def test_a_deputy_whose_service_ended_carries_the_end_and_status(term):
    deputy = factories.DeputyFactory(term=term, status="resigned", service_end=D(2024, 6, 30))
    _, facts = facts_load(term=term)
    assert facts.deputies[deputy.pk].service_end == D(2024, 6, 30)
    assert facts.deputies[deputy.pk].status == "resigned"


def test_records_of_another_term_are_not_loaded(term):
    other = factories.TermFactory(number=16, name="第十六届", start_date=D(2017, 1, 1), end_date=D(2021, 12, 31))
    mine = factories.DeputyFactory(term=term)
    theirs = factories.DeputyFactory(term=other)
    take_part(mine, activity(term, "inspection", D(2024, 5, 10)))
    take_part(theirs, activity(other, "inspection", D(2020, 5, 10)))
    factories.CongressSessionFactory(term=other, start_date=D(2020, 1, 10), end_date=D(2020, 1, 12))
    _, facts = facts_load(term=term)
    assert set(facts.deputies) == {mine.pk}
    assert set(facts.participations) == {mine.pk}
    assert facts.sessions == ()


def test_an_empty_term_loads_empty_facts(term, django_assert_num_queries):
    with django_assert_num_queries(LOADER_QUERIES):
        term_facts, facts = facts_load(term=term)
    assert facts.deputies == {} and facts.participations == {}
    assert term_facts.start == dt.date(2022, 1, 1)


def test_an_empty_set_of_deputies_loads_nothing_without_failing(term):
    many_deputies(term, 3)
    for nobody in ([], Deputy.objects.none()):
        _, facts = facts_load(term=term, deputies=nobody)
        assert facts.deputies == {} and facts.participations == {} and facts.attendance == {}


def test_a_contribution_waiting_for_staff_confirmation_is_not_loaded(term):
    deputy = factories.DeputyFactory(term=term)
    confirmed = factories.ContributionFactory(deputy=deputy, kind="review_opinion")
    factories.ContributionFactory(deputy=deputy, kind="review_opinion", confirmed=False)
    _, facts = facts_load(term=term)
    assert [c.id for c in facts.contributions[deputy.pk]] == [confirmed.pk]


def test_for_findings_only_the_participations_a_rule_can_count_are_loaded(term):
    deputy = factories.DeputyFactory(term=term)
    kept = {
        take_part(deputy, activity(term, "inspection", D(2024, 5, 1))).activity_id,  # attended
        take_part(deputy, activity(term, "training", D(2024, 5, 2)), outcome="absent").activity_id,  # A9.3
    }
    take_part(deputy, activity(term, "training", D(2024, 5, 3)), outcome="absent", confirmed=False)
    take_part(deputy, activity(term, "inspection", D(2024, 5, 4)), outcome="excused")
    take_part(deputy, activity(term, "inspection", D(2024, 5, 5)), outcome="pending")
    _, counted = facts_load(term=term, counted_only=True)
    _, everything = facts_load(term=term)
    assert {p.activity_id for p in counted.participations[deputy.pk]} == kept
    assert len(everything.participations[deputy.pk]) == 5  # the data checks see every invitation


def test_loaded_until_a_day_the_later_records_are_left_out_but_sessions_and_leave_stay(term):
    deputy = factories.DeputyFactory(term=term)
    take_part(deputy, activity(term, "inspection", D(2024, 5, 1)))
    take_part(deputy, activity(term, "inspection", D(2024, 5, 2)))
    session = factories.CongressSessionFactory(term=term, start_date=D(2024, 6, 1), end_date=D(2024, 6, 3))
    leave(deputy, session, status="pending")
    _, facts = facts_load(term=term, until=D(2024, 5, 1))
    assert [p.date for p in facts.participations[deputy.pk]] == [D(2024, 5, 1)]
    assert [s.id for s in facts.sessions] == [session.pk]
    assert len(facts.leaves[deputy.pk]) == 1


def test_a_leave_carries_whether_its_filing_step_is_still_open(term, django_assert_num_queries):
    """Issue 12: the loader reads the open filing step (备案) in the leave query itself: no query more."""
    deputy = factories.DeputyFactory(term=term)
    session, meetings = session_with_meetings(term, D(2024, 1, 10), D(2024, 1, 12), number=1)
    unfiled = leave(deputy, session, route="delegation_meeting", meetings=meetings[:1])
    filed = leave(deputy, session, route="delegation_meeting", meetings=meetings[1:])
    for request, filing in ((unfiled, "waiting"), (filed, "done")):
        LeaveApprovalStep.objects.create(leave_request=request, order=1, code="delegation_head_approve",
                                         role="delegation_head", status="done")
        LeaveApprovalStep.objects.create(leave_request=request, order=2, code="secretariat_file",
                                         role="secretariat", status=filing)
    with django_assert_num_queries(LOADER_QUERIES):
        _, facts = facts_load(term=term)
    assert {f.id: f.filing_open for f in facts.leaves[deputy.pk]} == {unfiled.pk: True, filed.pk: False}


def test_the_term_s_threshold_changes_load_in_order_with_one_query(term, django_assert_num_queries):
    other = factories.TermFactory(number=16, start_date=D(2017, 1, 1), end_date=D(2021, 12, 31))
    ThresholdChange.objects.create(term=term, effective_from=D(2025, 1, 1), values={"training": 4}, reason="二")
    ThresholdChange.objects.create(term=term, effective_from=D(2024, 7, 1), values={"station_receptions": 3},
                                   reason="一")
    ThresholdChange.objects.create(term=other, effective_from=D(2020, 1, 1), values={"lectures": 9}, reason="别届")
    with django_assert_num_queries(LOADER_QUERIES):
        term_facts, _ = facts_load(term=term)
    assert [(c.effective_from, dict(c.values)) for c in term_facts.changes] == [
        (D(2024, 7, 1), {"station_receptions": 3}), (D(2025, 1, 1), {"training": 4}),
    ]
    # The classification and the data checks read no threshold: nine queries, no change loaded.
    with django_assert_num_queries(LOADER_QUERIES - 1):
        term_facts, _ = facts_load(term=term, thresholds=False)
    assert term_facts.changes == ()
