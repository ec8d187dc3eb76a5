"""Settings that change over time (RULES.md "Settings change over time (choice)"): which numbers judge a window."""
from oversight.rules import SettingsTimeline, ThresholdChangeFact
from oversight.rules.catalog import DEFAULT_THRESHOLDS

from .world import D, World


def test_a_change_from_1_july_leaves_that_year_as_it_was_and_sets_the_next():
    world = World()
    a = world.deputy()
    world.change(D(2025, 7, 1), station_receptions=3)
    world.activity(a, "station_reception", D(2025, 3, 1))
    world.activity(a, "station_reception", D(2025, 9, 1))
    year_2025 = world.finding(D(2026, 3, 1), "station_receptions", a, year=2025)
    year_2026 = world.finding(D(2026, 3, 1), "station_receptions", a, year=2026)
    assert (year_2025.status, year_2025.required, year_2025.settings_from) == ("met", 2, D(2022, 1, 1))
    assert (year_2026.required, year_2026.settings_from) == (3, D(2025, 7, 1))


def test_a_change_from_new_year_s_day_sets_that_year():
    world = World()
    a = world.deputy()
    world.change(D(2026, 1, 1), station_receptions=3)
    assert world.finding(D(2026, 1, 1), "station_receptions", a, year=2026).required == 3
    assert world.finding(D(2026, 1, 1), "station_receptions", a, year=2025).required == 2


def test_a_deputy_who_took_office_after_the_change_owes_the_new_number_pro_rata():
    world = World()
    world.change(D(2025, 7, 1), station_receptions=4)
    a = world.deputy(start=D(2025, 10, 1))  # window 2025-10-01..12-31: 92 of 365 days
    finding = world.finding(D(2025, 10, 1), "station_receptions", a, year=2025)
    assert (finding.required, finding.settings_from) == (2, D(2025, 7, 1))  # ceil(4 × 92 / 365) = 2


def test_a_term_rule_follows_the_change_from_its_day():
    world = World()
    a = world.deputy()
    world.change(D(2025, 7, 1), training=4)
    before = world.finding(D(2025, 6, 30), "training", a)
    after = world.finding(D(2025, 7, 1), "training", a)
    assert (before.required, before.settings_from) == (3, D(2022, 1, 1))
    assert (after.required, after.settings_from) == (4, D(2025, 7, 1))


def test_a_term_window_that_ended_is_judged_by_the_settings_on_its_last_day():
    world = World()
    a = world.deputy(end=D(2024, 12, 31), status="resigned")
    world.change(D(2025, 7, 1), training=4)
    finding = world.finding(D(2026, 1, 1), "training", a)
    assert (finding.required, finding.settings_from) == (3, D(2022, 1, 1))


def test_an_action_rule_follows_the_change_from_its_day():
    world = World()
    a = world.deputy()
    world.activity(a, "station_reception", D(2024, 3, 1))
    world.change(D(2025, 4, 1), no_contact_days=400)
    # 366 days since the last reception: a talk under 365 days, nothing under 400 from 2025-04-01 on.
    talk = world.finding(D(2025, 3, 2), "no_contact_talk", a)
    assert (talk.status, talk.required, talk.settings_from) == ("action_required", 365, D(2022, 1, 1))
    assert world.finding(D(2025, 4, 1), "no_contact_talk", a) is None
    later = world.finding(D(2025, 4, 5), "no_contact_talk", a)  # 400 days: not > 400 yet
    assert later is None
    triggered = world.finding(D(2025, 4, 6), "no_contact_talk", a)
    assert (triggered.required, triggered.trigger_date, triggered.settings_from) == (400, D(2025, 4, 6), D(2025, 4, 1))


def test_the_termination_count_follows_a_change():
    world = World()
    a = world.deputy()
    s1 = world.session(D(2023, 1, 9), D(2023, 1, 12))
    s2 = world.session(D(2024, 1, 8), D(2024, 1, 11))
    world.attend_session(a, s1, present=False)
    world.attend_session(a, s2, present=False)
    world.change(D(2025, 1, 1), termination_at=3)
    assert world.finding(D(2024, 12, 31), "qualification_termination", a).status == "action_required"
    assert world.finding(D(2025, 1, 1), "qualification_termination", a) is None


def test_an_as_of_before_the_change_sees_the_old_numbers():
    world = World()
    a = world.deputy()
    world.change(D(2026, 1, 1), station_receptions=3, lectures=6, no_contact_days=200)
    as_of = D(2025, 12, 31)
    assert world.finding(as_of, "station_receptions", a, year=2025).required == 2
    assert world.finding(as_of, "station_receptions", a, year=2026) is None  # not begun
    lectures = world.finding(as_of, "lectures", a)
    assert (lectures.required, lectures.settings_from) == (5, D(2022, 1, 1))
    assert all(f.settings_from == D(2022, 1, 1) for f in world.evaluate(as_of, include_met=True))


def test_later_changes_overlay_earlier_ones_key_by_key():
    world = World()
    a = world.deputy()
    world.change(D(2024, 1, 1), station_receptions=3, training=4)
    world.change(D(2025, 1, 1), station_receptions=5)
    assert world.finding(D(2025, 2, 1), "station_receptions", a, year=2025).required == 5
    training = world.finding(D(2025, 2, 1), "training", a)
    # training still 4 from the first change; the settings are those of the latest change in force.
    assert (training.required, training.settings_from) == (4, D(2025, 1, 1))
    assert world.finding(D(2025, 2, 1), "station_receptions", a, year=2024).required == 3


def test_every_finding_carries_settings_from_the_term_start_when_nothing_changed():
    world = World()
    a = world.deputy()
    world.activity(a, "inspection", D(2024, 2, 1))
    findings = world.evaluate(D(2024, 6, 1), include_met=True)
    assert findings and {f.settings_from for f in findings} == {D(2022, 1, 1)}


def test_the_timeline_merges_changes_of_one_day_and_changes_before_the_term_start():
    start = D(2022, 1, 1)
    timeline = SettingsTimeline(start=start, base={"training": 4}, changes=[
        ThresholdChangeFact(2, D(2024, 1, 1), {"lectures": 7}),
        ThresholdChangeFact(1, D(2021, 6, 1), {"duty_report": 2}),
        ThresholdChangeFact(3, D(2024, 1, 1), {"lectures": 8, "training": 5}),
    ])
    assert [step.since for step in timeline.steps] == [start, D(2024, 1, 1)]
    assert timeline.on(D(2023, 12, 31)).values == {**DEFAULT_THRESHOLDS, "training": 4, "duty_report": 2}
    assert timeline.on(D(2024, 1, 1)).values == {**DEFAULT_THRESHOLDS, "training": 5, "duty_report": 2,
                                                 "lectures": 8}
    assert timeline.on(D(2021, 1, 1)).since == start
