"""Threshold rules A4.1, A4.4, A6.2 (yearly) and A5.3, A9.4, A9.5 (term): what counts, where, until when."""
import pytest

from oversight.rules.catalog import THRESHOLD_RULES

from .world import D, World

A41_KINDS = ["special_research", "inspection", "law_enforcement_check", "theme_activity", "work_evaluation"]


@pytest.mark.parametrize("kind", A41_KINDS)
def test_every_closed_session_kind_counts_for_a4_1(kind):
    world = World()
    a = world.deputy()
    world.activity(a, kind, D(2024, 3, 1))
    assert world.finding(D(2024, 3, 1), "closed_session_activities", a, year=2024).count == 1


@pytest.mark.parametrize(
    ("kind", "rule"),
    [
        ("group_activity", "group_activities"),
        ("station_reception", "station_receptions"),
        ("training", "training"),
        ("lecture", "lectures"),
        ("sc_meeting", "sc_meeting_attendance"),
        ("duty_report", "duty_report"),
    ],
)
def test_each_kind_counts_for_its_own_rule_only(kind, rule):
    world = World()
    a = world.deputy()
    world.activity(a, kind, D(2024, 3, 1))
    counts = {f.rule: f.count for f in world.evaluate(D(2024, 3, 1), include_met=True) if f.trigger_date is None
              and f.period_end >= D(2024, 3, 1)}
    assert counts[rule] == 1
    assert all(count == 0 for other, count in counts.items() if other != rule)


@pytest.mark.parametrize(
    "kind", ["constituent_visit", "court_hearing", "street_meeting", "card_inspection", "director_reception",
             "invited_event"],
)
def test_handbook_only_kinds_count_for_no_threshold(kind):
    world = World()
    a = world.deputy()
    world.activity(a, kind, D(2024, 3, 1))
    assert all(f.count == 0 for f in world.evaluate(D(2024, 3, 1), include_met=True) if f.trigger_date is None)


@pytest.mark.parametrize("outcome", ["pending", "excused", "absent"])
def test_only_attended_counts(outcome):
    world = World()
    a = world.deputy()
    world.activity(a, "inspection", D(2024, 3, 1), outcome=outcome)
    assert world.finding(D(2024, 6, 1), "closed_session_activities", a, year=2024).count == 0


def test_a_record_counts_in_its_own_calendar_year_including_1_january_and_31_december():
    world = World()
    a = world.deputy()
    world.activity(a, "group_activity", D(2023, 12, 31))
    world.activity(a, "group_activity", D(2024, 1, 1))
    world.activity(a, "group_activity", D(2024, 12, 31))
    world.activity(a, "group_activity", D(2025, 1, 1))
    as_of = D(2025, 6, 1)
    assert world.finding(as_of, "group_activities", a, year=2023).count == 1
    assert world.finding(as_of, "group_activities", a, year=2024).count == 2
    assert world.finding(as_of, "group_activities", a, year=2025).count == 1


def test_a_record_dated_on_the_as_of_date_counts_and_one_dated_the_day_after_does_not():
    world = World()
    a = world.deputy()
    for day in (D(2024, 2, 1), D(2024, 3, 1), D(2024, 3, 2)):
        world.activity(a, "inspection", day)
    assert world.finding(D(2024, 3, 1), "closed_session_activities", a, year=2024).count == 2
    assert world.finding(D(2024, 2, 29), "closed_session_activities", a, year=2024).count == 1
    assert world.finding(D(2024, 3, 2), "closed_session_activities", a, year=2024).status == "met"


def test_records_outside_the_service_period_do_not_count():
    world = World()
    a = world.deputy(start=D(2024, 4, 1), end=D(2024, 9, 30), status="resigned")
    world.activity(a, "inspection", D(2024, 3, 31))  # the day before service
    world.activity(a, "inspection", D(2024, 4, 1))  # first day
    world.activity(a, "inspection", D(2024, 9, 30))  # last day
    world.activity(a, "inspection", D(2024, 10, 1))  # the day after
    finding = world.finding(D(2025, 1, 1), "closed_session_activities", a, year=2024)
    assert finding.count == 2
    assert [e.date for e in finding.evidence] == [D(2024, 4, 1), D(2024, 9, 30)]


def test_a_deputy_elected_mid_year_has_a_short_first_window_owed_pro_rata():
    world = World()
    c = world.deputy(start=D(2024, 7, 2))
    finding = world.finding(D(2024, 7, 2), "station_receptions", c, year=2024)
    assert (finding.period_start, finding.period_end, finding.required) == (D(2024, 7, 2), D(2024, 12, 31), 1)
    assert world.finding(D(2024, 7, 2), "station_receptions", c, year=2023) is None


def test_the_same_short_window_in_a_common_year_owes_more():
    world = World()
    c = world.deputy(start=D(2023, 7, 2))
    assert world.finding(D(2023, 7, 2), "station_receptions", c, year=2023).required == 2


def test_a_service_ended_mid_year_closes_the_window_and_later_years_have_none():
    world = World()
    a = world.deputy(end=D(2024, 3, 31), status="deceased")
    world.activity(a, "inspection", D(2024, 2, 1))
    world.activity(a, "inspection", D(2024, 5, 1))  # after service: ignored
    found = world.findings(D(2025, 6, 1), "closed_session_activities", a)
    by_year = {f.period_start.year: f for f in found}
    assert sorted(by_year) == [2022, 2023, 2024]
    assert (by_year[2024].period_end, by_year[2024].required, by_year[2024].count) == (D(2024, 3, 31), 1, 1)
    assert by_year[2024].status == "met"
    assert by_year[2023].status == "missed"


def test_a_term_threshold_is_owed_in_full_even_for_a_short_service():
    world = World()
    a = world.deputy(start=D(2026, 6, 1))
    world.activity(a, "lecture", D(2026, 7, 1))
    finding = world.finding(D(2027, 1, 1), "lectures", a)
    assert (finding.period_start, finding.period_end) == (D(2026, 6, 1), D(2026, 12, 31))
    assert (finding.required, finding.count, finding.status) == (5, 1, "missed")


def test_a_term_window_is_behind_when_below_the_share_owed_by_now():
    world = World()
    a = world.deputy()
    # training 3 a term of 1826 days: one is owed from the first day
    assert world.finding(D(2022, 1, 1), "training", a).status == "behind"
    world.activity(a, "training", D(2022, 1, 1))
    # the second becomes owed when 3 × elapsed / 1826 > 1, i.e. from elapsed 609 (1 September 2023)
    assert world.finding(D(2023, 8, 31), "training", a).status == "on_track"  # elapsed 608
    assert world.finding(D(2023, 9, 1), "training", a).status == "behind"  # elapsed 609


def test_a_window_starting_after_the_as_of_date_yields_no_finding():
    world = World()
    a = world.deputy()
    assert world.finding(D(2024, 12, 31), "group_activities", a, year=2025) is None
    assert world.finding(D(2025, 1, 1), "group_activities", a, year=2025).status == "behind"


def test_a_deputy_whose_service_starts_after_the_as_of_date_has_no_findings():
    world = World()
    world.deputy(start=D(2024, 10, 1))
    assert world.evaluate(D(2024, 9, 30), include_met=True) == []
    assert world.evaluate(D(2024, 10, 1), include_met=True) != []


def test_windows_after_the_term_end_do_not_exist():
    world = World()
    a = world.deputy()
    years = sorted(f.period_start.year for f in world.findings(D(2028, 6, 1), "station_receptions", a))
    assert years == [2022, 2023, 2024, 2025, 2026]
    training = world.finding(D(2028, 6, 1), "training", a)
    assert (training.period_end, training.status) == (D(2026, 12, 31), "missed")


def test_the_term_s_own_thresholds_replace_the_defaults():
    world = World(closed_session_activities=1, lectures=2)
    a = world.deputy()
    world.activity(a, "inspection", D(2024, 3, 1))
    world.activity(a, "lecture", D(2024, 3, 1))
    assert world.finding(D(2024, 3, 1), "closed_session_activities", a, year=2024).status == "met"
    assert world.finding(D(2024, 3, 1), "lectures", a).required == 2
    assert world.finding(D(2024, 3, 1), "group_activities", a, year=2024).required == 3  # default kept


def test_threshold_findings_carry_the_contract_fields():
    world = World()
    a = world.deputy()
    second = world.activity(a, "inspection", D(2024, 5, 1))
    first = world.activity(a, "inspection", D(2024, 2, 1))
    finding = world.finding(D(2024, 6, 1), "closed_session_activities", a, year=2024)
    assert finding.deputy == a
    assert (finding.article, finding.action, finding.responsible, finding.trigger_date) == (
        "A4.1", "none", "deputy", None,
    )
    assert [(e.type, e.id, e.date) for e in finding.evidence] == [
        ("activity", first, D(2024, 2, 1)), ("activity", second, D(2024, 5, 1)),
    ]


def test_met_findings_are_left_out_unless_asked_for():
    world = World()
    a = world.deputy()
    for day in (D(2024, 2, 1), D(2024, 3, 1), D(2024, 4, 1)):
        world.activity(a, "group_activity", day)
    assert world.finding(D(2024, 6, 1), "group_activities", a, year=2024, include_met=False) is None
    assert world.finding(D(2024, 6, 1), "group_activities", a, year=2024).status == "met"


@pytest.mark.parametrize("rule", THRESHOLD_RULES, ids=lambda rule: rule.id)
def test_every_threshold_rule_cites_its_article(rule):
    world = World()
    a = world.deputy()
    found = world.findings(D(2024, 6, 1), rule.id, a)
    assert found and {f.article for f in found} == {rule.article}
