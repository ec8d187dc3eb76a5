"""Suspension (暂时停止执行代表职务, 代表法 Art. 61; RULES.md "Suspension"): suspended days are outside the service
period for every rule, the classification and the data checks."""
import pytest

from oversight.rules.classify import NOT_IN_SERVICE, OUTSIDE_SERVICE, UNEXCUSED
from oversight.rules.windows import nth_served_day, served_days

from .rules.world import D, World


@pytest.fixture
def world():
    return World()


# --- the day before, of and after ------------------------------------------------------------------


def test_a_reception_counts_the_day_before_and_after_a_suspension_but_not_on_its_first_or_last_day(world):
    d = world.deputy()
    world.suspend(d, D(2024, 5, 1), D(2024, 5, 31))
    before = world.activity(d, "station_reception", D(2024, 4, 30))
    world.activity(d, "station_reception", D(2024, 5, 1))
    world.activity(d, "station_reception", D(2024, 5, 31))
    after = world.activity(d, "station_reception", D(2024, 6, 1))
    finding = world.finding(D(2024, 12, 31), "station_receptions", d, year=2024)
    assert finding.count == 2
    assert [e.id for e in finding.evidence] == [before, after]
    reading = world.classify(D(2024, 12, 31)).deputies[d]
    assert [reading.participations[a].reason for a in sorted(reading.participations)] == [
        "counts", OUTSIDE_SERVICE, OUTSIDE_SERVICE, "counts",
    ]


def test_an_absence_on_a_suspended_day_is_no_absence_but_the_day_before_and_after_are(world):
    d = world.deputy()
    session = world.session(D(2024, 1, 8), D(2024, 1, 10), meetings=3)
    first, middle, last = world.meeting_ids(session)
    world.suspend(d, D(2024, 1, 9), D(2024, 1, 9))
    world.attend(d, [first, middle, last], present=False)
    notice = world.finding(D(2024, 2, 1), "absence_notice", d)
    assert notice.count == 2
    assert [e.id for e in notice.evidence if e.type == "meeting"] == [first, last]
    marks = world.classify(D(2024, 2, 1)).deputies[d].meetings
    assert (marks[first].status, marks[middle].status, marks[last].status) == (UNEXCUSED, NOT_IN_SERVICE, UNEXCUSED)


def test_a_suspension_across_a_session_removes_its_absences_and_its_non_attendance(world):
    d = world.deputy()
    session = world.session(D(2024, 1, 8), D(2024, 1, 10), meetings=3)
    world.attend_session(d, session, present=False)
    assert world.finding(D(2024, 2, 1), "session_absence_talk", d) is not None  # without the suspension
    world.suspend(d, D(2024, 1, 1), D(2024, 3, 31))
    assert world.finding(D(2024, 2, 1), "absence_notice", d) is None
    assert world.finding(D(2024, 2, 1), "session_absence_talk", d) is None
    assert world.classify(D(2024, 2, 1)).session(d, session.id) is None  # not a session of the service period


def test_a_year_whose_only_session_was_suspended_is_not_silent_and_breaks_the_run(world):
    d = world.deputy()
    s2023 = world.session(D(2023, 1, 8), D(2023, 1, 10))
    s2024 = world.session(D(2024, 1, 8), D(2024, 1, 10))
    s2025 = world.session(D(2025, 1, 8), D(2025, 1, 10))
    for session in (s2023, s2024, s2025):
        world.attend_session(d, session)
    assert world.finding(D(2025, 6, 1), "silent_in_sessions_talk", d) is not None  # three silent years
    world.suspend(d, D(2024, 1, 1), D(2024, 1, 31))
    assert world.finding(D(2025, 6, 1), "silent_in_sessions_talk", d) is None


def test_a_confirmed_absence_on_a_suspended_day_does_not_count_toward_a93(world):
    d = world.deputy()
    world.suspend(d, D(2024, 3, 1), D(2024, 3, 31))
    world.activity(d, "inspection", D(2024, 2, 29), outcome="absent")
    world.activity(d, "inspection", D(2024, 3, 15), outcome="absent")
    assert world.finding(D(2024, 6, 1), "activity_absence_notice", d) is None
    world.activity(d, "inspection", D(2024, 4, 1), outcome="absent")
    assert world.finding(D(2024, 6, 1), "activity_absence_notice", d).trigger_date == D(2024, 4, 1)


# --- windows: pro rata on the days served --------------------------------------------------------


def test_a_suspension_inside_a_year_shortens_the_pro_rata_window_by_exactly_its_days(world):
    suspended = world.deputy()
    world.suspend(suspended, D(2025, 1, 1), D(2025, 6, 30))  # 181 days; 184 served
    by_elected = world.deputy(start=D(2025, 7, 1))  # the same 184 days, by service start
    for d in (suspended, by_elected):
        finding = world.finding(D(2025, 7, 1), "closed_session_activities", d, year=2025)
        assert finding.required == 2  # ⌈3 × 184 / 365⌉, not 3
        assert finding.status == "behind"  # one day served of 184: one activity owed by now
    finding = world.finding(D(2025, 7, 1), "closed_session_activities", suspended, year=2025)
    assert (finding.period_start, finding.period_end) == (D(2025, 1, 1), D(2025, 12, 31))  # the window's ends stay
    # On the suspension's last day nothing has elapsed: nothing owed yet.
    assert world.finding(D(2025, 6, 30), "closed_session_activities", suspended, year=2025).status == "on_track"


def test_the_pro_rata_requirement_counts_the_days_served_only(world):
    d = world.deputy()
    world.suspend(d, D(2025, 1, 1), D(2025, 3, 19))  # 78 days: 287 served → ⌈2 × 287 / 365⌉ = 2
    assert world.finding(D(2025, 12, 31), "station_receptions", d, year=2025).required == 2
    other = World()
    e = other.deputy()
    other.suspend(e, D(2025, 1, 1), D(2025, 7, 3))  # 184 days: 181 served → ⌈2 × 181 / 365⌉ = 1
    assert other.finding(D(2025, 12, 31), "station_receptions", e, year=2025).required == 1
    assert served_days(D(2025, 1, 1), D(2025, 12, 31), ((D(2025, 1, 1), D(2025, 7, 3)),)) == 181
    assert served_days(D(2025, 1, 1), D(2025, 12, 31), ((D(2025, 1, 1), D(2025, 7, 2)),)) == 182


def test_a_suspension_spanning_new_year_is_owed_pro_rata_in_each_year(world):
    d = world.deputy()
    world.suspend(d, D(2023, 7, 1), D(2024, 6, 30))
    f2023 = world.finding(D(2025, 1, 2), "closed_session_activities", d, year=2023)
    f2024 = world.finding(D(2025, 1, 2), "closed_session_activities", d, year=2024)
    assert f2023.required == 2  # 181 days served of 365: ⌈1.49⌉
    assert f2024.required == 2  # 184 days served of 366: ⌈1.51⌉
    assert (f2023.status, f2024.status) == ("missed", "missed")
    assert (f2024.period_start, f2024.period_end) == (D(2024, 1, 1), D(2024, 12, 31))


def test_a_year_wholly_suspended_owes_nothing_and_yields_no_finding(world):
    d = world.deputy()
    world.suspend(d, D(2023, 12, 20), D(2025, 1, 5))
    years = {f.period_start.year for f in world.findings(D(2025, 12, 31), "closed_session_activities", d)}
    assert years == {2022, 2023, 2025}
    assert all(f.period_start.year != 2024 for f in world.evaluate(D(2025, 12, 31), include_met=True)
               if f.deputy == d)


def test_an_open_suspension_runs_on_until_it_is_ended(world):
    d = world.deputy()
    world.suspend(d, D(2024, 6, 1))  # still open (至今)
    f2024 = world.finding(D(2025, 6, 1), "station_receptions", d, year=2024)
    assert f2024.required == 1  # 152 days served of 366: ⌈0.83⌉
    assert world.finding(D(2025, 6, 1), "station_receptions", d, year=2025) is None  # wholly suspended so far
    world.activity(d, "station_reception", D(2025, 3, 1))  # a record inside it: not counted, a data check
    assert world.finding(D(2025, 6, 1), "station_receptions", d, year=2025) is None
    assert [c.id for c in world.checks(D(2025, 6, 1), "record_outside_service")] != []


def test_a_suspension_begun_after_the_as_of_date_was_not_known_then(world):
    d = world.deputy()
    world.suspend(d, D(2025, 7, 1), D(2025, 12, 31))
    assert world.finding(D(2025, 6, 30), "closed_session_activities", d, year=2025).required == 3
    assert world.finding(D(2025, 7, 1), "closed_session_activities", d, year=2025).required == 2  # 181 served


def test_a_term_threshold_stays_owed_in_full(world):
    d = world.deputy()
    world.suspend(d, D(2022, 1, 1), D(2025, 12, 31))
    finding = world.finding(D(2026, 12, 31), "training", d)
    assert (finding.required, finding.period_start, finding.period_end) == (3, D(2022, 1, 1), D(2026, 12, 31))
    # Its elapsed share counts served days only: on the first day back one day of 365 has passed.
    assert world.finding(D(2026, 1, 1), "training", d).status == "behind"  # ⌈3 × 1 / 365⌉ = 1 owed by now
    assert world.finding(D(2025, 12, 31), "training", d).status == "on_track"  # nothing served yet


# --- A9.6 gaps -----------------------------------------------------------------------------------


def test_a_no_contact_gap_across_a_suspension_does_not_count_the_suspended_days(world):
    d = world.deputy()
    reception = world.activity(d, "station_reception", D(2023, 3, 1))
    world.suspend(d, D(2023, 6, 1), D(2023, 6, 30))  # 30 days: the talk is due 30 days later
    assert world.finding(D(2024, 3, 1), "no_contact_talk", d) is None
    assert world.finding(D(2024, 3, 30), "no_contact_talk", d) is None  # 365 days served
    finding = world.finding(D(2024, 3, 31), "no_contact_talk", d)
    assert (finding.trigger_date, finding.count, finding.required) == (D(2024, 3, 31), 366, 365)
    assert (finding.period_start, finding.period_end) == (D(2023, 3, 1), D(2024, 3, 31))
    assert [e.id for e in finding.evidence] == [reception]


def test_the_resignation_grace_does_not_count_suspended_days(world):
    d = world.deputy()
    world.activity(d, "station_reception", D(2024, 3, 1))
    world.intervention(d, "no_contact_talk", "talk", D(2025, 3, 10))
    world.suspend(d, D(2025, 4, 1), D(2025, 4, 10))  # 10 days
    assert world.finding(D(2025, 9, 16), "resignation_advice", d) is None
    finding = world.finding(D(2025, 9, 17), "resignation_advice", d)
    assert (finding.trigger_date, finding.count) == (D(2025, 9, 17), 181)


def test_a_reception_inside_the_suspension_does_not_close_the_gap(world):
    d = world.deputy()
    world.activity(d, "station_reception", D(2023, 3, 1))
    world.suspend(d, D(2023, 6, 1), D(2023, 6, 30))
    world.activity(d, "station_reception", D(2023, 6, 15))
    assert world.finding(D(2024, 3, 31), "no_contact_talk", d).period_start == D(2023, 3, 1)


def test_nth_served_day_skips_suspended_days():
    spans = ((D(2024, 1, 3), D(2024, 1, 5)), (D(2024, 1, 7), D(2024, 1, 7)))
    assert [nth_served_day(D(2024, 1, 1), n, spans) for n in (1, 2, 3, 4)] == [
        D(2024, 1, 2), D(2024, 1, 6), D(2024, 1, 8), D(2024, 1, 9),
    ]
    assert nth_served_day(D(2024, 1, 4), 1, spans) == D(2024, 1, 6)  # counted from inside a suspension


# --- data checks ---------------------------------------------------------------------------------


def test_record_outside_service_flags_records_inside_a_suspension_only(world):
    d = world.deputy()
    world.suspend(d, D(2024, 5, 1), D(2024, 5, 31))
    world.activity(d, "station_reception", D(2024, 4, 30))
    inside = world.activity(d, "station_reception", D(2024, 5, 1))
    world.activity(d, "station_reception", D(2024, 6, 1))
    session = world.session(D(2024, 5, 31), D(2024, 5, 31))
    world.attend_session(d, session, present=False)
    checks = world.checks(D(2024, 12, 31), "record_outside_service")
    assert [(c.type, c.id, c.date) for c in checks] == [
        ("activity", inside, D(2024, 5, 1)), ("meeting", world.meeting_ids(session)[0], D(2024, 5, 31)),
    ]
    assert "暂停执行代表职务期间" in checks[0].detail


def test_a_meeting_on_a_suspended_day_needs_no_roll_call(world):
    d = world.deputy()
    session = world.session(D(2024, 1, 8), D(2024, 1, 9), meetings=2)
    world.suspend(d, D(2024, 1, 9))
    unrecorded = world.checks(D(2024, 2, 1), "unrecorded_attendance")
    assert [c.id for c in unrecorded] == world.meeting_ids(session)[:1]
