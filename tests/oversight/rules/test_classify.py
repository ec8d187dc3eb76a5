"""The classification every page reads: each meeting, session and participation of a deputy, on its edges."""
import pytest

from oversight.rules.classify import (
    AFTER_AS_OF,
    CONFIRMED_ABSENCE,
    COUNTS,
    COUNTS_FOR_NOTHING,
    EXCUSED,
    NOT_ATTENDED,
    NOT_IN_SERVICE,
    NOT_RECORDED,
    OUTSIDE_SERVICE,
    PRESENT,
    UNEXCUSED,
)

from .world import D, World

START, END = D(2024, 1, 10), D(2024, 1, 13)


@pytest.fixture
def world():
    return World()


def _setup(world, meetings=4, **deputy):
    d = world.deputy(**deputy)
    session = world.session(START, END, meetings=meetings)
    return d, session, world.meeting_ids(session)


def _statuses(world, d, meetings, as_of=END):
    reading = world.classify(as_of)
    return [reading.meeting(d, m).status for m in meetings]


def test_each_record_reads_as_present_unexcused_or_not_recorded(world):
    d, _s, (m1, m2, _m3, _m4) = _setup(world)
    world.attend(d, m1)
    world.attend(d, m2, present=False)
    assert _statuses(world, d, world.meeting_ids(_s)) == [PRESENT, UNEXCUSED, NOT_RECORDED, NOT_RECORDED]


@pytest.mark.parametrize("status, excused", [("approved", True), ("pending", False), ("rejected", False),
                                             ("withdrawn", False), ("draft", False)])
def test_only_approved_leave_excuses_a_recorded_or_unrecorded_meeting(world, status, excused):
    d, session, (m1, m2, m3, m4) = _setup(world)
    leave = world.leave(d, session, "plenary", status, meetings=(m1, m2))
    world.attend(d, m1, present=False)
    reading = world.classify(END)
    assert [reading.meeting(d, m).status for m in (m1, m2)] == (
        [EXCUSED, EXCUSED] if excused else [UNEXCUSED, NOT_RECORDED])
    assert reading.meeting(d, m1).leave_id == (leave if excused else None)
    assert reading.meeting(d, m3).status == NOT_RECORDED


def test_approved_whole_session_leave_excuses_every_meeting_but_present_stays_present(world):
    d, session, meetings = _setup(world)
    leave = world.leave(d, session, "whole_session", "approved")
    world.attend(d, meetings[0])
    world.attend(d, meetings[1], present=False)
    reading = world.classify(END)
    assert _statuses(world, d, meetings) == [PRESENT, EXCUSED, EXCUSED, EXCUSED]
    assert reading.session(d, session.id).whole_leave_id == leave
    assert reading.meeting(d, meetings[0]).leave_id == leave  # present under leave: the leave_conflict check


def test_a_meeting_the_day_before_service_starts_is_not_in_service_and_the_first_day_is(world):
    d, _s, meetings = _setup(world, start=D(2024, 1, 11))
    world.attend(d, meetings, present=False)
    assert _statuses(world, d, meetings) == [NOT_IN_SERVICE, UNEXCUSED, UNEXCUSED, UNEXCUSED]


def test_a_meeting_after_service_ended_is_not_in_service_and_the_last_day_is(world):
    d, _s, meetings = _setup(world, end=D(2024, 1, 11))
    world.attend(d, meetings, present=False)
    assert _statuses(world, d, meetings) == [UNEXCUSED, UNEXCUSED, NOT_IN_SERVICE, NOT_IN_SERVICE]


def test_a_record_dated_after_as_of_is_not_known_yet(world):
    d, _s, meetings = _setup(world)
    world.attend(d, meetings)
    assert _statuses(world, d, meetings, as_of=D(2024, 1, 11)) == [PRESENT, PRESENT, NOT_RECORDED, NOT_RECORDED]


class TestSession:
    def test_absent_from_every_meeting_is_a_non_attendance_once_the_session_has_ended(self, world):
        d, session, meetings = _setup(world)
        world.attend(d, meetings, present=False)
        assert not world.classify(D(2024, 1, 12)).session(d, session.id).non_attendance
        mark = world.classify(END).session(d, session.id)
        assert mark.non_attendance and mark.ended
        assert [m.id for m in mark.unexcused] == meetings

    def test_a_missing_roll_call_keeps_it_from_being_a_non_attendance(self, world):
        d, session, meetings = _setup(world)
        world.attend(d, meetings[1:], present=False)
        mark = world.classify(D(2024, 6, 1)).session(d, session.id)
        assert [m.id for m in mark.missing] == meetings[:1]
        assert not mark.non_attendance

    def test_present_once_is_no_non_attendance(self, world):
        d, session, meetings = _setup(world)
        world.attend(d, meetings[0])
        world.attend(d, meetings[1:], present=False)
        assert not world.classify(END).session(d, session.id).non_attendance

    def test_a_session_outside_service_has_no_mark(self, world):
        d = world.deputy(start=D(2024, 2, 1))
        session = world.session(START, END, meetings=2)
        assert world.classify(END).session(d, session.id) is None


class TestParticipation:
    def _reading(self, world, outcome="attended", kind="inspection", day=D(2024, 5, 1), confirmed=True,
                 as_of=D(2024, 12, 31), **deputy):
        d = world.deputy(**deputy)
        activity = world.activity(d, kind, day, outcome=outcome, confirmed=confirmed)
        mark = world.classify(as_of).participation(d, activity)
        return mark.rule, mark.reason

    def test_attended_counts_toward_its_kind_s_rule(self, world):
        assert self._reading(world) == ("closed_session_activities", COUNTS)

    def test_attended_on_the_as_of_date_counts_and_the_day_after_does_not(self, world):
        assert self._reading(world, as_of=D(2024, 5, 1)) == ("closed_session_activities", COUNTS)
        assert self._reading(world, as_of=D(2024, 4, 30)) == (None, AFTER_AS_OF)

    def test_a_kind_that_counts_for_nothing(self, world):
        assert self._reading(world, kind="court_hearing") == (None, COUNTS_FOR_NOTHING)

    def test_outside_service(self, world):
        assert self._reading(world, start=D(2024, 5, 2)) == (None, OUTSIDE_SERVICE)
        assert self._reading(world, start=D(2024, 5, 1)) == ("closed_session_activities", COUNTS)
        assert self._reading(world, end=D(2024, 4, 30)) == (None, OUTSIDE_SERVICE)

    def test_a_confirmed_absence_at_an_a93_kind_counts_toward_a93(self, world):
        assert self._reading(world, outcome="absent") == ("activity_absence_notice", CONFIRMED_ABSENCE)

    @pytest.mark.parametrize("outcome, confirmed, kind", [
        ("absent", False, "inspection"), ("excused", True, "inspection"), ("pending", True, "inspection"),
        ("absent", True, "group_activity"),
    ])
    def test_what_is_not_attended_counts_for_nothing(self, world, outcome, confirmed, kind):
        assert self._reading(world, outcome=outcome, confirmed=confirmed, kind=kind) == (None, NOT_ATTENDED)


def test_the_rules_count_exactly_what_the_classification_says_counts(world):
    d = world.deputy()
    for day, outcome in [(D(2023, 3, 1), "attended"), (D(2023, 4, 1), "absent"), (D(2023, 5, 1), "attended")]:
        world.activity(d, "inspection", day, outcome=outcome)
    finding = world.finding(D(2024, 1, 1), "closed_session_activities", d, year=2023)
    reading = world.classify(D(2024, 1, 1)).deputies[d]
    counted = [m.participation.activity_id for m in reading.participations.values()
               if m.rule == "closed_session_activities"]
    assert finding.count == len(counted) == 2
    assert sorted(e.id for e in finding.evidence) == sorted(counted)
