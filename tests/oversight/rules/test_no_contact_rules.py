"""A9.6 no_contact_talk and resignation_advice: more than a year without a liaison-station reception."""
import pytest

from .world import D, World


@pytest.fixture
def world():
    return World()


def test_exactly_365_days_without_contact_is_not_yet_a_finding_and_366_is(world):
    d = world.deputy()
    reception = world.activity(d, "station_reception", D(2023, 3, 1))
    assert world.finding(D(2024, 2, 29), "no_contact_talk", d) is None  # 365 days (2024 is leap)
    finding = world.finding(D(2024, 3, 1), "no_contact_talk", d)
    assert (finding.article, finding.status, finding.action, finding.responsible) == (
        "A9.6", "action_required", "talk", "street_director",
    )
    assert (finding.trigger_date, finding.count, finding.required) == (D(2024, 3, 1), 366, 365)
    assert (finding.period_start, finding.period_end) == (D(2023, 3, 1), D(2024, 3, 1))
    assert [(e.type, e.id, e.date) for e in finding.evidence] == [("activity", reception, D(2023, 3, 1))]


def test_the_count_is_the_days_since_the_last_reception(world):
    d = world.deputy()
    world.activity(d, "station_reception", D(2023, 3, 1))
    finding = world.finding(D(2024, 6, 1), "no_contact_talk", d)
    assert (finding.count, finding.trigger_date, finding.period_end) == (458, D(2024, 3, 1), D(2024, 6, 1))


def test_a_leap_day_is_a_day(world):
    d = world.deputy()
    world.activity(d, "station_reception", D(2024, 1, 1))
    assert world.finding(D(2024, 12, 31), "no_contact_talk", d) is None  # 365 days
    assert world.finding(D(2025, 1, 1), "no_contact_talk", d).trigger_date == D(2025, 1, 1)


def test_without_any_reception_the_gap_runs_from_the_term_start(world):
    d = world.deputy()
    assert world.finding(D(2023, 1, 1), "no_contact_talk", d) is None  # 365 days since 2022-01-01
    finding = world.finding(D(2023, 1, 2), "no_contact_talk", d)
    assert (finding.period_start, finding.trigger_date, finding.count, finding.evidence) == (
        D(2022, 1, 1), D(2023, 1, 2), 366, (),
    )


def test_without_any_reception_a_by_elected_deputy_s_gap_runs_from_their_service_start(world):
    d = world.deputy(start=D(2024, 10, 1))
    assert world.finding(D(2025, 10, 1), "no_contact_talk", d) is None  # 365 days
    assert world.finding(D(2025, 10, 2), "no_contact_talk", d).trigger_date == D(2025, 10, 2)


def test_a_gap_closed_by_a_reception_is_history(world):
    d = world.deputy()
    world.activity(d, "station_reception", D(2022, 1, 5))
    world.activity(d, "station_reception", D(2024, 1, 5))  # two years later
    assert world.finding(D(2023, 6, 1), "no_contact_talk", d) is not None  # while the gap was open
    assert world.finding(D(2024, 6, 1), "no_contact_talk", d) is None


@pytest.mark.parametrize("outcome", ["absent", "excused", "pending"])
def test_a_reception_not_attended_does_not_close_the_gap(world, outcome):
    d = world.deputy()
    world.activity(d, "station_reception", D(2023, 3, 1))
    world.activity(d, "station_reception", D(2023, 9, 1), outcome=outcome)
    assert world.finding(D(2024, 3, 1), "no_contact_talk", d) is not None


@pytest.mark.parametrize("kind", ["constituent_visit", "group_activity", "inspection"])
def test_other_contact_does_not_close_the_gap(world, kind):
    d = world.deputy()
    world.activity(d, kind, D(2023, 9, 1))
    assert world.finding(D(2023, 10, 1), "no_contact_talk", d) is not None


def test_a_reception_after_the_as_of_date_is_not_known_yet(world):
    d = world.deputy()
    world.activity(d, "station_reception", D(2023, 3, 1))
    world.activity(d, "station_reception", D(2024, 3, 2))
    assert world.finding(D(2024, 3, 1), "no_contact_talk", d) is not None
    assert world.finding(D(2024, 3, 2), "no_contact_talk", d) is None


def test_a_reception_before_the_service_period_does_not_count(world):
    d = world.deputy(start=D(2023, 1, 1))
    world.activity(d, "station_reception", D(2022, 12, 31))
    assert world.finding(D(2024, 1, 1), "no_contact_talk", d) is None  # 365 days from service start
    assert world.finding(D(2024, 1, 2), "no_contact_talk", d).period_start == D(2023, 1, 1)


def test_the_gap_stops_growing_when_the_service_ends(world):
    d = world.deputy(end=D(2023, 6, 1), status="resigned")
    world.activity(d, "station_reception", D(2022, 6, 1))
    assert world.finding(D(2025, 1, 1), "no_contact_talk", d) is None  # 365 days up to the service end

    world2 = World()
    d2 = world2.deputy(end=D(2023, 6, 1), status="resigned")
    world2.activity(d2, "station_reception", D(2022, 5, 31))
    finding = world2.finding(D(2025, 1, 1), "no_contact_talk", d2)
    assert (finding.count, finding.trigger_date, finding.period_end) == (366, D(2023, 6, 1), D(2023, 6, 1))


def test_the_number_of_days_is_a_term_setting():
    world = World(no_contact_days=180)
    d = world.deputy()
    world.activity(d, "station_reception", D(2024, 1, 1))
    assert world.finding(D(2024, 6, 29), "no_contact_talk", d) is None  # 180 days
    assert world.finding(D(2024, 6, 30), "no_contact_talk", d).trigger_date == D(2024, 6, 30)


class TestTalkResolution:
    @pytest.fixture
    def gap(self, world):
        d = world.deputy()
        world.activity(d, "station_reception", D(2023, 3, 1))
        return d  # trigger 2024-03-01

    def test_a_talk_before_the_trigger_does_not_resolve(self, world, gap):
        world.intervention(gap, "no_contact_talk", "talk", D(2024, 2, 29))
        assert world.finding(D(2024, 4, 1), "no_contact_talk", gap).status == "action_required"

    def test_a_talk_on_the_trigger_resolves(self, world, gap):
        world.intervention(gap, "no_contact_talk", "talk", D(2024, 3, 1))
        assert world.finding(D(2024, 4, 1), "no_contact_talk", gap).status == "resolved"

    def test_a_talk_recorded_under_another_rule_does_not_resolve(self, world, gap):
        world.intervention(gap, "activity_absence_talk", "talk", D(2024, 3, 5))
        assert world.finding(D(2024, 4, 1), "no_contact_talk", gap).status == "action_required"


class TestResignationAdvice:
    @pytest.fixture
    def talked(self, world):
        d = world.deputy()
        world.activity(d, "station_reception", D(2024, 3, 1))
        world.intervention(d, "no_contact_talk", "talk", D(2025, 3, 10))
        return d

    def test_180_days_after_the_talk_is_nothing_and_181_is_advice(self, world, talked):
        assert world.finding(D(2025, 9, 6), "resignation_advice", talked) is None
        finding = world.finding(D(2025, 9, 7), "resignation_advice", talked)
        assert (finding.article, finding.status, finding.trigger_date, finding.count, finding.required) == (
            "A9.6", "action_required", D(2025, 9, 7), 181, 180,
        )
        assert (finding.period_start, finding.period_end) == (D(2025, 3, 10), D(2025, 9, 7))
        assert [e.type for e in finding.evidence] == ["intervention"]

    def test_a_reception_on_the_day_of_the_talk_is_improvement(self, world, talked):
        world.activity(talked, "station_reception", D(2025, 3, 10))
        assert world.finding(D(2025, 12, 1), "resignation_advice", talked) is None

    def test_a_reception_after_the_talk_is_improvement(self, world, talked):
        world.activity(talked, "station_reception", D(2025, 8, 1))
        assert world.finding(D(2025, 12, 1), "resignation_advice", talked) is None

    def test_a_reception_the_day_before_the_talk_is_not_improvement(self, world, talked):
        world.activity(talked, "station_reception", D(2025, 3, 9))
        assert world.finding(D(2025, 12, 1), "resignation_advice", talked) is not None

    def test_a_reception_after_the_as_of_date_is_not_known_yet(self, world, talked):
        world.activity(talked, "station_reception", D(2025, 10, 1))
        assert world.finding(D(2025, 9, 30), "resignation_advice", talked) is not None
        assert world.finding(D(2025, 10, 1), "resignation_advice", talked) is None

    def test_without_a_talk_there_is_no_advice(self, world):
        d = world.deputy()
        world.activity(d, "station_reception", D(2022, 3, 1))
        assert world.finding(D(2026, 6, 1), "resignation_advice", d) is None

    def test_a_talk_dated_after_the_as_of_date_is_not_known_yet(self, world, talked):
        assert world.finding(D(2025, 3, 9), "resignation_advice", talked) is None

    def test_the_latest_talk_restarts_the_wait(self, world, talked):
        world.intervention(talked, "no_contact_talk", "talk", D(2025, 6, 1))
        assert world.finding(D(2025, 9, 7), "resignation_advice", talked) is None
        assert world.finding(D(2025, 11, 29), "resignation_advice", talked).trigger_date == D(2025, 11, 29)

    def test_the_grace_period_is_a_term_setting(self):
        world = World(resignation_grace_days=30)
        d = world.deputy()
        world.intervention(d, "no_contact_talk", "talk", D(2025, 3, 10))
        assert world.finding(D(2025, 4, 9), "resignation_advice", d) is None
        assert world.finding(D(2025, 4, 10), "resignation_advice", d).trigger_date == D(2025, 4, 10)

    def test_no_waiting_counts_after_the_service_ended(self):
        world = World()
        d = world.deputy(end=D(2025, 6, 1), status="resigned")
        world.intervention(d, "no_contact_talk", "talk", D(2025, 3, 10))
        assert world.finding(D(2026, 6, 1), "resignation_advice", d) is None

    def test_advice_on_or_after_the_trigger_resolves_and_the_wrong_kind_does_not(self, world, talked):
        world.intervention(talked, "resignation_advice", "talk", D(2025, 9, 10))
        assert world.finding(D(2025, 10, 1), "resignation_advice", talked).status == "action_required"
        world.intervention(talked, "resignation_advice", "resignation_advice", D(2025, 9, 6))
        assert world.finding(D(2025, 10, 1), "resignation_advice", talked).status == "action_required"
        world.intervention(talked, "resignation_advice", "resignation_advice", D(2025, 9, 7))
        assert world.finding(D(2025, 10, 1), "resignation_advice", talked).status == "resolved"
