"""Data-quality checks: unrecorded attendance, duplicate registration, leave conflict, record outside service."""
import pytest

from .world import D, World


@pytest.fixture
def world():
    return World()


class TestUnrecordedAttendance:
    def test_a_missing_roll_call_is_reported_once_the_session_has_ended(self, world):
        d = world.deputy()
        session = world.session(D(2024, 1, 10), D(2024, 1, 13), meetings=3)
        first, second, third = world.meeting_ids(session)
        world.attend(d, first)
        world.attend(d, second, present=False)
        assert world.checks(D(2024, 1, 12), "unrecorded_attendance") == []
        checks = world.checks(D(2024, 1, 13), "unrecorded_attendance")
        assert [(c.deputy, c.type, c.id, c.date) for c in checks] == [(d, "meeting", third, D(2024, 1, 12))]
        assert "没有出席记录" in checks[0].detail

    def test_a_deputy_not_in_service_at_the_meeting_is_not_expected(self, world):
        world.deputy(start=D(2024, 1, 12))
        session = world.session(D(2024, 1, 10), D(2024, 1, 13), meetings=4)
        checks = world.checks(D(2024, 6, 1), "unrecorded_attendance")
        assert [c.id for c in checks] == world.meeting_ids(session)[2:]

    @pytest.mark.parametrize("kind", ["presidium", "special_committee"])
    def test_meetings_only_some_deputies_attend_are_not_reported(self, world, kind):
        world.deputy()
        world.session(D(2024, 1, 10), D(2024, 1, 13), meetings=2, kind=kind)
        assert world.checks(D(2024, 6, 1), "unrecorded_attendance") == []

    @pytest.mark.parametrize("kind", ["preparatory", "plenary", "delegation"])
    def test_meetings_every_deputy_attends_are_reported(self, world, kind):
        world.deputy()
        world.session(D(2024, 1, 10), D(2024, 1, 13), meetings=1, kind=kind)
        assert len(world.checks(D(2024, 6, 1), "unrecorded_attendance")) == 1


class TestDuplicateRegistration:
    def test_two_attended_activities_of_one_kind_on_one_day_are_reported(self, world):
        d = world.deputy()
        first = world.activity(d, "station_reception", D(2024, 5, 1))
        second = world.activity(d, "station_reception", D(2024, 5, 1))
        checks = world.checks(D(2024, 6, 1), "duplicate_registration")
        assert [(c.deputy, c.type, c.id, c.date) for c in checks] == [
            (d, "activity", first, D(2024, 5, 1)), (d, "activity", second, D(2024, 5, 1)),
        ]
        assert f"#{second}" in checks[0].detail

    def test_different_kinds_days_or_outcomes_are_not_duplicates(self, world):
        d = world.deputy()
        world.activity(d, "station_reception", D(2024, 5, 1))
        world.activity(d, "inspection", D(2024, 5, 1))
        world.activity(d, "station_reception", D(2024, 5, 2))
        world.activity(d, "station_reception", D(2024, 5, 1), outcome="absent")
        assert world.checks(D(2024, 6, 1), "duplicate_registration") == []

    def test_two_deputies_at_the_same_kind_the_same_day_are_not_duplicates(self, world):
        world.activity(world.deputy(), "inspection", D(2024, 5, 1))
        world.activity(world.deputy(), "inspection", D(2024, 5, 1))
        assert world.checks(D(2024, 6, 1), "duplicate_registration") == []

    def test_records_after_the_as_of_date_are_not_seen(self, world):
        d = world.deputy()
        world.activity(d, "inspection", D(2024, 5, 1))
        world.activity(d, "inspection", D(2024, 5, 1))
        assert world.checks(D(2024, 4, 30), "duplicate_registration") == []


class TestLeaveConflict:
    def test_present_at_a_meeting_covered_by_approved_whole_session_leave(self, world):
        d = world.deputy()
        session = world.session(D(2024, 1, 10), D(2024, 1, 13), meetings=2)
        first, second = world.meeting_ids(session)
        world.attend(d, first)
        world.attend(d, second, present=False)
        leave = world.leave(d, session, "whole_session", "approved")
        checks = world.checks(D(2024, 6, 1), "leave_conflict")
        assert [(c.deputy, c.type, c.id) for c in checks] == [(d, "meeting", first)]
        assert f"#{leave}" in checks[0].detail

    def test_present_at_a_meeting_named_by_approved_meeting_leave(self, world):
        d = world.deputy()
        session = world.session(D(2024, 1, 10), D(2024, 1, 13), meetings=2)
        first, second = world.meeting_ids(session)
        world.attend(d, [first, second])
        world.leave(d, session, "plenary", "approved", meetings=(second,))
        assert [c.id for c in world.checks(D(2024, 6, 1), "leave_conflict")] == [second]

    @pytest.mark.parametrize("status", ["draft", "pending", "rejected", "withdrawn"])
    def test_leave_that_is_not_approved_conflicts_with_nothing(self, world, status):
        d = world.deputy()
        session = world.session(D(2024, 1, 10), D(2024, 1, 13), meetings=2)
        world.attend_session(d, session)
        world.leave(d, session, "whole_session", status)
        assert world.checks(D(2024, 6, 1), "leave_conflict") == []


class TestRecordOutsideService:
    def test_participations_and_attendance_outside_the_service_period_are_reported(self, world):
        d = world.deputy(start=D(2023, 1, 1), end=D(2024, 12, 31), status="resigned")
        before = world.activity(d, "inspection", D(2022, 12, 31), outcome="pending")
        world.activity(d, "inspection", D(2023, 1, 1))
        world.activity(d, "inspection", D(2024, 12, 31))
        after = world.activity(d, "inspection", D(2025, 1, 1))
        session = world.session(D(2025, 1, 10), D(2025, 1, 13))
        world.attend_session(d, session)
        checks = world.checks(D(2025, 6, 1), "record_outside_service")
        assert [(c.type, c.id, c.date) for c in checks] == [
            ("activity", before, D(2022, 12, 31)),
            ("activity", after, D(2025, 1, 1)),
            ("meeting", world.meeting_ids(session)[0], D(2025, 1, 10)),
        ]

    def test_records_dated_after_the_as_of_date_are_not_seen(self, world):
        d = world.deputy(end=D(2024, 12, 31), status="resigned")
        world.activity(d, "inspection", D(2025, 3, 1))
        assert world.checks(D(2025, 2, 28), "record_outside_service") == []
        assert len(world.checks(D(2025, 3, 1), "record_outside_service")) == 1


class TestLeaveNotFiled:
    """Issue 12: an approved leave whose filing step (备案) is still open after its session has ended."""

    def test_an_unfiled_approved_leave_is_reported_from_the_day_after_the_session(self, world):
        d = world.deputy()
        session = world.session(D(2024, 1, 10), D(2024, 1, 13), meetings=2, kind="delegation")
        leave = world.leave(d, session, route="delegation_meeting", meetings=tuple(world.meeting_ids(session)[:1]),
                            filing_open=True)
        assert world.checks(D(2024, 1, 12), "leave_not_filed") == []  # the session is still on
        assert world.checks(D(2024, 1, 13), "leave_not_filed") == []  # its last day: the office may still file
        checks = world.checks(D(2024, 1, 14), "leave_not_filed")
        assert [(c.deputy, c.type, c.id, c.date) for c in checks] == [(d, "leave_request", leave, D(2024, 1, 13))]
        assert "仍未备案" in checks[0].detail

    @pytest.mark.parametrize(("status", "filing_open"), [
        ("approved", False),  # filed
        ("pending", True), ("rejected", False), ("withdrawn", False),  # not approved: nothing to file
    ])
    def test_a_filed_or_unapproved_leave_is_not_reported(self, world, status, filing_open):
        d = world.deputy()
        session = world.session(D(2024, 1, 10), D(2024, 1, 13))
        world.leave(d, session, status=status, filing_open=filing_open)
        assert world.checks(D(2024, 6, 1), "leave_not_filed") == []

    def test_it_is_a_data_check_not_a_finding_and_the_leave_still_excuses(self, world):
        d = world.deputy()
        session = world.session(D(2024, 1, 10), D(2024, 1, 13), meetings=1)
        world.attend_session(d, session, present=False)
        world.leave(d, session, filing_open=True)
        assert [c.check for c in world.checks(D(2024, 6, 1))] == ["leave_not_filed"]
        sessions = {"absence_notice", "session_absence_talk", "qualification_termination"}
        assert [f for f in world.evaluate(D(2024, 6, 1)) if f.rule in sessions and f.status != "met"] == []
