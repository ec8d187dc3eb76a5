"""The six worked examples of RULES.md, word for word."""
from .world import D, World


def test_example_1_a_theme_activity_on_30_december_completes_2023():
    world = World(D(2022, 1, 1), D(2026, 12, 31))
    a = world.deputy()
    world.activity(a, "inspection", D(2023, 4, 12))
    world.activity(a, "inspection", D(2023, 9, 20))
    world.activity(a, "theme_activity", D(2023, 12, 30))

    finding = world.finding(D(2024, 1, 2), "closed_session_activities", a, year=2023)

    assert finding.status == "met"
    assert (finding.count, finding.required) == (3, 3)
    assert (finding.period_start, finding.period_end) == (D(2023, 1, 1), D(2023, 12, 31))
    # met findings are only listed when asked for
    assert world.finding(D(2024, 1, 2), "closed_session_activities", a, year=2023, include_met=False) is None


def test_example_2_one_activity_by_1_july_2024_is_behind():
    world = World()
    b = world.deputy()
    world.activity(b, "special_research", D(2024, 3, 5))

    finding = world.finding(D(2024, 7, 1), "closed_session_activities", b, year=2024)

    # required 3, elapsed 183 of 366 days → ceil(3 × 183 / 366) = 2 expected by now
    assert finding.status == "behind"
    assert (finding.count, finding.required) == (1, 3)


def test_example_3_a_deputy_elected_on_1_october_2024_owes_one_reception():
    world = World()
    c = world.deputy(start=D(2024, 10, 1))

    finding = world.finding(D(2024, 10, 1), "station_receptions", c, year=2024)

    assert finding.required == 1  # ceil(2 × 92 / 366)
    assert (finding.period_start, finding.period_end) == (D(2024, 10, 1), D(2024, 12, 31))


def test_example_4_two_sessions_missed_without_leave_end_in_termination():
    world = World()
    d = world.deputy()
    s2024 = world.session(D(2024, 1, 10), D(2024, 1, 14), meetings=5)
    s2025 = world.session(D(2025, 1, 8), D(2025, 1, 12), meetings=5)
    world.attend_session(d, s2024, present=False)

    talk = world.finding(D(2024, 1, 14), "session_absence_talk", d)
    assert (talk.status, talk.action, talk.trigger_date) == ("action_required", "talk", D(2024, 1, 14))
    notice = world.finding(D(2024, 1, 14), "absence_notice", d)
    assert (notice.status, notice.trigger_date, notice.count) == ("action_required", D(2024, 1, 14), 5)

    world.intervention(d, "session_absence_talk", "talk", D(2024, 1, 20))
    assert world.finding(D(2024, 1, 20), "session_absence_talk", d).status == "resolved"

    world.attend_session(d, s2025, present=False)
    termination = world.finding(D(2025, 1, 12), "qualification_termination", d)
    assert (termination.status, termination.action, termination.responsible) == (
        "action_required", "termination", "sc",
    )
    assert (termination.trigger_date, termination.count, termination.required) == (D(2025, 1, 12), 2, 2)
    talk = world.finding(D(2025, 1, 12), "session_absence_talk", d)
    assert (talk.status, talk.trigger_date) == ("resolved", D(2024, 1, 14))


def _example_5(leave_status: str) -> tuple[World, int]:
    world = World()
    e = world.deputy()
    s2023 = world.session(D(2023, 1, 10), D(2023, 1, 13), meetings=4)
    s2024 = world.session(D(2024, 1, 10), D(2024, 1, 13), meetings=4)
    s2025 = world.session(D(2025, 1, 10), D(2025, 1, 13), meetings=4)
    world.attend_session(e, s2023)
    world.attend_session(e, s2024, present=False)
    world.attend_session(e, s2025)
    world.leave(e, s2024, "whole_session", leave_status)
    return world, e


def test_example_5_approved_whole_session_leave_is_no_non_attendance_and_no_silent_year():
    world, e = _example_5("approved")
    as_of = D(2025, 6, 1)

    assert world.finding(as_of, "session_absence_talk", e) is None
    assert world.finding(as_of, "absence_notice", e) is None
    # 2023 and 2025 are silent, but 2024 (no session expected of E) breaks the run
    assert world.finding(as_of, "silent_in_sessions_talk", e) is None


def test_example_5_had_the_leave_only_been_pending_2024_counts_as_a_non_attendance():
    world, e = _example_5("pending")
    as_of = D(2025, 6, 1)

    talk = world.finding(as_of, "session_absence_talk", e)
    assert (talk.status, talk.trigger_date, talk.count) == ("action_required", D(2024, 1, 13), 1)
    silent = world.finding(as_of, "silent_in_sessions_talk", e)
    assert (silent.count, silent.trigger_date) == (3, D(2024, 1, 13))


def test_example_6_no_reception_for_more_than_a_year_then_no_improvement_after_the_talk():
    world = World()
    f = world.deputy()
    world.activity(f, "station_reception", D(2024, 3, 1))

    assert world.finding(D(2025, 3, 1), "no_contact_talk", f) is None  # 365 days: nothing
    talk = world.finding(D(2025, 3, 2), "no_contact_talk", f)  # 366 days > 365
    assert (talk.status, talk.trigger_date, talk.count, talk.required) == ("action_required", D(2025, 3, 2), 366, 365)

    world.intervention(f, "no_contact_talk", "talk", D(2025, 3, 10))
    assert world.finding(D(2025, 3, 10), "no_contact_talk", f).status == "resolved"
    assert world.finding(D(2025, 9, 6), "resignation_advice", f) is None  # 180 days
    advice = world.finding(D(2025, 9, 7), "resignation_advice", f)  # 181 days
    assert (advice.status, advice.action, advice.responsible) == ("action_required", "resignation_advice", "sc")
    assert (advice.trigger_date, advice.count, advice.required) == (D(2025, 9, 7), 181, 180)
