"""A9.2 silent_in_sessions_talk: consecutive years without review opinions or suggestions at the sessions."""
import pytest

from .world import D, World


@pytest.fixture
def world():
    return World()


def _yearly_sessions(world, years=range(2022, 2027)):
    """One session each January, 10–13."""
    return {year: world.session(D(year, 1, 10), D(year, 1, 13), meetings=2) for year in years}


def test_two_silent_years_trigger_a_talk_on_the_last_day_of_the_second_year_s_session(world):
    d = world.deputy()
    sessions = _yearly_sessions(world)
    assert world.finding(D(2023, 1, 12), "silent_in_sessions_talk", d) is None  # 2023's session not over
    finding = world.finding(D(2023, 1, 13), "silent_in_sessions_talk", d)
    assert (finding.article, finding.status, finding.action, finding.responsible) == (
        "A9.2", "action_required", "talk", "delegation_head",
    )
    assert (finding.trigger_date, finding.count, finding.required) == (D(2023, 1, 13), 2, 2)
    assert (finding.period_start, finding.period_end) == (D(2022, 1, 1), D(2023, 12, 31))
    assert [(e.type, e.id, e.date) for e in finding.evidence] == [
        ("session", sessions[2022].id, D(2022, 1, 13)), ("session", sessions[2023].id, D(2023, 1, 13)),
    ]


@pytest.mark.parametrize("kind", ["review_opinion", "suggestion"])
def test_a_review_opinion_or_suggestion_at_a_session_breaks_the_silence(world, kind):
    d = world.deputy()
    sessions = _yearly_sessions(world)
    world.contribution(d, sessions[2023], D(2023, 1, 11), kind)
    assert world.finding(D(2023, 6, 1), "silent_in_sessions_talk", d) is None


@pytest.mark.parametrize("kind", ["motion", "inquiry"])
def test_motions_and_inquiries_do_not_count(world, kind):
    d = world.deputy()
    sessions = _yearly_sessions(world)
    world.contribution(d, sessions[2023], D(2023, 1, 11), kind)
    assert world.finding(D(2023, 6, 1), "silent_in_sessions_talk", d).count == 2


def test_a_suggestion_of_the_closed_period_does_not_count(world):
    d = world.deputy()
    _yearly_sessions(world)
    world.contribution(d, None, D(2023, 5, 11), "suggestion")
    assert world.finding(D(2023, 6, 1), "silent_in_sessions_talk", d).count == 2


def test_a_contribution_counts_for_the_year_of_its_session(world):
    d = world.deputy()
    sessions = _yearly_sessions(world)
    # a written opinion on the 2022 session handed in later still belongs to 2022
    world.contribution(d, sessions[2022], D(2022, 2, 1), "review_opinion")
    assert world.finding(D(2024, 6, 1), "silent_in_sessions_talk", d).period_start == D(2023, 1, 1)


def test_a_contribution_dated_after_the_as_of_date_is_not_seen(world):
    d = world.deputy()
    sessions = _yearly_sessions(world)
    world.contribution(d, sessions[2023], D(2023, 2, 1), "review_opinion")
    assert world.finding(D(2023, 1, 31), "silent_in_sessions_talk", d) is not None
    assert world.finding(D(2023, 2, 1), "silent_in_sessions_talk", d) is None


def test_a_contribution_outside_the_service_period_does_not_count(world):
    d = world.deputy(end=D(2023, 12, 31), status="resigned")
    sessions = _yearly_sessions(world)
    world.contribution(d, sessions[2023], D(2024, 1, 5), "review_opinion")
    assert world.finding(D(2024, 6, 1), "silent_in_sessions_talk", d).count == 2


def test_silent_years_that_are_not_consecutive_make_no_run(world):
    d = world.deputy()
    sessions = _yearly_sessions(world)
    world.contribution(d, sessions[2023], D(2023, 1, 11))
    world.contribution(d, sessions[2025], D(2025, 1, 11))
    assert world.finding(D(2027, 6, 1), "silent_in_sessions_talk", d) is None


def test_a_run_of_three_years_is_one_finding_triggered_by_its_second_year(world):
    d = world.deputy()
    sessions = _yearly_sessions(world)
    world.contribution(d, sessions[2025], D(2025, 1, 11))
    finding = world.finding(D(2025, 6, 1), "silent_in_sessions_talk", d)
    assert (finding.count, finding.trigger_date) == (3, D(2023, 1, 13))
    assert (finding.period_start, finding.period_end) == (D(2022, 1, 1), D(2024, 12, 31))


def test_two_separate_runs_are_two_findings(world):
    d = world.deputy()
    sessions = _yearly_sessions(world)
    world.contribution(d, sessions[2024], D(2024, 1, 11))
    found = world.findings(D(2027, 1, 1), "silent_in_sessions_talk", d)
    assert [(f.period_start, f.trigger_date, f.count) for f in found] == [
        (D(2022, 1, 1), D(2023, 1, 13), 2), (D(2025, 1, 1), D(2026, 1, 13), 2),
    ]


def test_a_year_covered_by_approved_whole_session_leave_breaks_the_run(world):
    d = world.deputy()
    sessions = _yearly_sessions(world, range(2022, 2025))
    world.leave(d, sessions[2023], "whole_session", "approved")
    assert world.finding(D(2024, 6, 1), "silent_in_sessions_talk", d) is None


@pytest.mark.parametrize("status", ["pending", "rejected", "withdrawn", "draft"])
def test_whole_session_leave_that_is_not_approved_leaves_the_year_silent(world, status):
    d = world.deputy()
    sessions = _yearly_sessions(world, range(2022, 2025))
    world.leave(d, sessions[2023], "whole_session", status)
    assert world.finding(D(2024, 6, 1), "silent_in_sessions_talk", d).count == 3


def test_approved_leave_for_some_meetings_still_leaves_the_session_expected(world):
    d = world.deputy()
    sessions = _yearly_sessions(world, range(2022, 2025))
    world.leave(d, sessions[2023], "plenary", "approved", meetings=tuple(world.meeting_ids(sessions[2023])))
    assert world.finding(D(2024, 6, 1), "silent_in_sessions_talk", d).count == 3


def test_a_year_without_any_session_breaks_the_run(world):
    d = world.deputy()
    _yearly_sessions(world, [2022, 2024, 2025])
    found = world.findings(D(2025, 6, 1), "silent_in_sessions_talk", d)
    assert [(f.period_start, f.count) for f in found] == [(D(2024, 1, 1), 2)]


def test_a_deputy_elected_after_the_year_s_session_is_not_silent_that_year(world):
    d = world.deputy(start=D(2022, 6, 1))
    _yearly_sessions(world)
    finding = world.finding(D(2024, 6, 1), "silent_in_sessions_talk", d)
    assert (finding.period_start, finding.trigger_date, finding.count) == (D(2023, 1, 1), D(2024, 1, 13), 2)


def test_years_after_the_service_ended_are_not_silent(world):
    d = world.deputy(end=D(2022, 12, 31), status="resigned")
    _yearly_sessions(world)
    assert world.finding(D(2025, 6, 1), "silent_in_sessions_talk", d) is None


def test_a_year_becomes_silent_only_once_its_last_expected_session_has_ended(world):
    d = world.deputy()
    world.session(D(2022, 1, 10), D(2022, 1, 13))
    world.session(D(2023, 1, 10), D(2023, 1, 13))
    world.session(D(2023, 8, 1), D(2023, 8, 2))
    assert world.finding(D(2023, 8, 1), "silent_in_sessions_talk", d) is None
    assert world.finding(D(2023, 8, 2), "silent_in_sessions_talk", d).trigger_date == D(2023, 8, 2)


def test_speaking_at_either_session_of_a_year_keeps_the_year_from_being_silent(world):
    d = world.deputy()
    world.session(D(2022, 1, 10), D(2022, 1, 13))
    world.session(D(2023, 1, 10), D(2023, 1, 13))
    extra = world.session(D(2023, 8, 1), D(2023, 8, 2))
    world.contribution(d, extra, D(2023, 8, 1), "suggestion")
    assert world.finding(D(2024, 6, 1), "silent_in_sessions_talk", d) is None


def test_the_last_expected_session_sets_the_trigger_when_the_deputy_had_leave_for_a_later_one(world):
    d = world.deputy()
    world.session(D(2022, 1, 10), D(2022, 1, 13))
    world.session(D(2023, 1, 10), D(2023, 1, 13))
    later = world.session(D(2023, 8, 1), D(2023, 8, 2))
    world.leave(d, later, "whole_session", "approved")
    assert world.finding(D(2023, 6, 1), "silent_in_sessions_talk", d).trigger_date == D(2023, 1, 13)


def test_the_number_of_silent_years_is_a_term_setting():
    world = World(silent_years=3)
    d = world.deputy()
    _yearly_sessions(world)
    assert world.finding(D(2023, 6, 1), "silent_in_sessions_talk", d) is None
    finding = world.finding(D(2024, 6, 1), "silent_in_sessions_talk", d)
    assert (finding.required, finding.trigger_date) == (3, D(2024, 1, 13))


def test_a_talk_on_or_after_the_trigger_resolves_the_run(world):
    d = world.deputy()
    _yearly_sessions(world)
    world.intervention(d, "silent_in_sessions_talk", "talk", D(2023, 1, 12))  # before: does not count
    assert world.finding(D(2023, 6, 1), "silent_in_sessions_talk", d).status == "action_required"
    world.intervention(d, "silent_in_sessions_talk", "talk", D(2023, 1, 13))
    assert world.finding(D(2023, 6, 1), "silent_in_sessions_talk", d).status == "resolved"
