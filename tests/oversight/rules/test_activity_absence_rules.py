"""A9.3 activity_absence_notice and activity_absence_talk: confirmed invitations missed without leave."""
import pytest

from oversight.rules.catalog import A93_KINDS

from .world import D, World


@pytest.fixture
def world():
    return World()


def _miss(world, deputy, day, kind="inspection", confirmed=True, outcome="absent"):
    return world.activity(deputy, kind, day, outcome=outcome, confirmed=confirmed)


def test_the_second_confirmed_absence_triggers_a_notice_on_its_date(world):
    d = world.deputy()
    first = _miss(world, d, D(2024, 3, 1))
    assert world.finding(D(2024, 6, 1), "activity_absence_notice", d) is None
    second = _miss(world, d, D(2024, 5, 1), "training")
    finding = world.finding(D(2024, 5, 1), "activity_absence_notice", d)
    assert (finding.article, finding.status, finding.action, finding.responsible) == (
        "A9.3", "action_required", "notice", "sc_office",
    )
    assert (finding.trigger_date, finding.count, finding.required) == (D(2024, 5, 1), 2, 2)
    assert (finding.period_start, finding.period_end) == (D(2022, 1, 1), D(2026, 12, 31))
    assert [(e.type, e.id) for e in finding.evidence] == [("activity", first), ("activity", second)]
    assert world.finding(D(2024, 4, 30), "activity_absence_notice", d) is None


def test_the_absences_count_over_the_term_not_a_year(world):
    d = world.deputy()
    _miss(world, d, D(2022, 3, 1))
    _miss(world, d, D(2025, 3, 1))
    assert world.finding(D(2025, 3, 1), "activity_absence_notice", d).trigger_date == D(2025, 3, 1)


def test_a_third_absence_keeps_one_finding_and_its_trigger(world):
    d = world.deputy()
    for day in (D(2024, 3, 1), D(2024, 4, 1), D(2024, 5, 1)):
        _miss(world, d, day)
    finding = world.finding(D(2024, 6, 1), "activity_absence_notice", d)
    assert (finding.trigger_date, finding.count) == (D(2024, 4, 1), 3)


@pytest.mark.parametrize("kind", sorted(A93_KINDS))
def test_every_a9_3_kind_counts(world, kind):
    d = world.deputy()
    _miss(world, d, D(2024, 3, 1), kind)
    _miss(world, d, D(2024, 4, 1), kind)
    assert world.finding(D(2024, 6, 1), "activity_absence_notice", d) is not None


@pytest.mark.parametrize("kind", ["group_activity", "station_reception", "duty_report", "court_hearing",
                                  "constituent_visit", "invited_event"])
def test_other_kinds_do_not_count(world, kind):
    d = world.deputy()
    _miss(world, d, D(2024, 3, 1), kind)
    _miss(world, d, D(2024, 4, 1), kind)
    assert world.finding(D(2024, 6, 1), "activity_absence_notice", d) is None


def test_an_absence_from_an_invitation_never_confirmed_does_not_count(world):
    d = world.deputy()
    _miss(world, d, D(2024, 3, 1))
    _miss(world, d, D(2024, 4, 1), confirmed=False)
    assert world.finding(D(2024, 6, 1), "activity_absence_notice", d) is None


@pytest.mark.parametrize("outcome", ["attended", "excused", "pending"])
def test_only_the_outcome_absent_counts(world, outcome):
    d = world.deputy()
    _miss(world, d, D(2024, 3, 1))
    _miss(world, d, D(2024, 4, 1), outcome=outcome)
    assert world.finding(D(2024, 6, 1), "activity_absence_notice", d) is None


def test_absences_after_the_as_of_date_or_outside_service_do_not_count(world):
    d = world.deputy(start=D(2023, 1, 1), end=D(2024, 12, 31), status="resigned")
    _miss(world, d, D(2022, 12, 31))  # before service
    _miss(world, d, D(2024, 3, 1))
    _miss(world, d, D(2025, 1, 1))  # after service
    _miss(world, d, D(2024, 7, 1))  # after the first as_of below
    assert world.finding(D(2024, 6, 30), "activity_absence_notice", d) is None
    assert world.finding(D(2024, 7, 1), "activity_absence_notice", d).count == 2
    assert world.finding(D(2025, 6, 1), "activity_absence_notice", d).count == 2


def test_two_absences_on_the_same_day_trigger_on_that_day(world):
    d = world.deputy()
    _miss(world, d, D(2024, 3, 1), "inspection")
    _miss(world, d, D(2024, 3, 1), "training")
    assert world.finding(D(2024, 3, 1), "activity_absence_notice", d).trigger_date == D(2024, 3, 1)


def test_the_number_of_absences_before_a_notice_is_a_term_setting():
    world = World(activity_absence_notice_at=3)
    d = world.deputy()
    for day in (D(2024, 3, 1), D(2024, 4, 1), D(2024, 5, 1)):
        _miss(world, d, day)
    assert world.finding(D(2024, 4, 30), "activity_absence_notice", d) is None
    assert world.finding(D(2024, 5, 1), "activity_absence_notice", d).required == 3


def test_a_notice_on_the_trigger_date_resolves_and_one_the_day_before_does_not(world):
    d = world.deputy()
    _miss(world, d, D(2024, 3, 1))
    _miss(world, d, D(2024, 4, 1))
    world.intervention(d, "activity_absence_notice", "notice", D(2024, 3, 31))
    assert world.finding(D(2024, 6, 1), "activity_absence_notice", d).status == "action_required"
    world.intervention(d, "activity_absence_notice", "notice", D(2024, 4, 1))
    assert world.finding(D(2024, 6, 1), "activity_absence_notice", d).status == "resolved"


class TestTalkAfterTheNotice:
    @pytest.fixture
    def noticed(self, world):
        d = world.deputy()
        _miss(world, d, D(2024, 3, 1))
        _miss(world, d, D(2024, 4, 1))
        world.intervention(d, "activity_absence_notice", "notice", D(2024, 4, 10))
        return d

    def test_without_a_notice_there_is_no_talk(self, world):
        d = world.deputy()
        for day in (D(2024, 3, 1), D(2024, 4, 1), D(2024, 5, 1)):
            _miss(world, d, day)
        assert world.finding(D(2024, 6, 1), "activity_absence_talk", d) is None

    def test_an_absence_on_the_day_of_the_notice_is_not_after_it(self, world, noticed):
        _miss(world, noticed, D(2024, 4, 10))
        assert world.finding(D(2024, 6, 1), "activity_absence_talk", noticed) is None

    def test_an_absence_the_day_after_the_notice_triggers_a_talk(self, world, noticed):
        missed = _miss(world, noticed, D(2024, 4, 11), "lecture")
        finding = world.finding(D(2024, 4, 11), "activity_absence_talk", noticed)
        assert (finding.article, finding.status, finding.action, finding.responsible) == (
            "A9.3", "action_required", "talk", "street_director",
        )
        assert (finding.trigger_date, finding.count, finding.required) == (D(2024, 4, 11), 1, 1)
        assert [e.type for e in finding.evidence] == ["intervention", "activity"]
        assert finding.evidence[1].id == missed

    def test_later_absences_raise_the_count_but_keep_the_first_trigger(self, world, noticed):
        _miss(world, noticed, D(2024, 5, 1))
        _miss(world, noticed, D(2024, 6, 1))
        finding = world.finding(D(2024, 7, 1), "activity_absence_talk", noticed)
        assert (finding.trigger_date, finding.count) == (D(2024, 5, 1), 2)

    def test_the_first_notice_is_the_one_that_counts(self, world, noticed):
        _miss(world, noticed, D(2024, 5, 1))
        world.intervention(noticed, "activity_absence_notice", "notice", D(2024, 5, 20))
        assert world.finding(D(2024, 6, 1), "activity_absence_talk", noticed).trigger_date == D(2024, 5, 1)

    def test_a_notice_dated_after_the_as_of_date_is_not_known_yet(self, world):
        d = world.deputy()
        _miss(world, d, D(2024, 3, 1))
        _miss(world, d, D(2024, 4, 1))
        world.intervention(d, "activity_absence_notice", "notice", D(2024, 6, 1))
        _miss(world, d, D(2024, 6, 2))
        assert world.finding(D(2024, 5, 31), "activity_absence_talk", d) is None
        assert world.finding(D(2024, 6, 2), "activity_absence_talk", d) is not None

    def test_a_notice_recorded_under_another_rule_is_not_the_a9_3_notice(self, world):
        d = world.deputy()
        _miss(world, d, D(2024, 3, 1))
        world.intervention(d, "absence_notice", "notice", D(2024, 3, 5))
        _miss(world, d, D(2024, 4, 1))
        assert world.finding(D(2024, 6, 1), "activity_absence_talk", d) is None

    def test_confirmed_excused_or_unconfirmed_absences_after_the_notice_do_not_count(self, world, noticed):
        _miss(world, noticed, D(2024, 5, 1), outcome="excused")
        _miss(world, noticed, D(2024, 5, 2), confirmed=False)
        _miss(world, noticed, D(2024, 5, 3), kind="group_activity")
        assert world.finding(D(2024, 6, 1), "activity_absence_talk", noticed) is None

    def test_a_talk_on_or_after_the_trigger_resolves(self, world, noticed):
        _miss(world, noticed, D(2024, 5, 1))
        world.intervention(noticed, "activity_absence_talk", "talk", D(2024, 4, 30))
        assert world.finding(D(2024, 6, 1), "activity_absence_talk", noticed).status == "action_required"
        world.intervention(noticed, "activity_absence_talk", "talk", D(2024, 5, 1))
        assert world.finding(D(2024, 6, 1), "activity_absence_talk", noticed).status == "resolved"
