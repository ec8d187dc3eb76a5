"""A3 absence_notice and A9.1 session_absence_talk / qualification_termination: leave, absences, non-attendance."""
import pytest

from .world import D, World

START, END = D(2024, 1, 10), D(2024, 1, 13)


@pytest.fixture
def world():
    return World()


def _setup(world, meetings=4):
    deputy = world.deputy()
    session = world.session(START, END, meetings=meetings)
    return deputy, session, world.meeting_ids(session)


def test_missing_a_whole_session_without_leave_is_an_absence_notice_and_a_non_attendance(world):
    d, session, meetings = _setup(world)
    world.attend(d, meetings, present=False)

    notice = world.finding(END, "absence_notice", d)
    assert (notice.article, notice.status, notice.action, notice.responsible) == (
        "A3", "action_required", "notice", "secretariat",
    )
    assert (notice.count, notice.required, notice.trigger_date) == (4, 1, END)
    assert (notice.period_start, notice.period_end) == (START, END)
    assert [(e.type, e.id) for e in notice.evidence] == [("session", session.id)] + [("meeting", m) for m in meetings]
    assert notice.evidence[0].date == END  # a session's evidence date is its last day

    talk = world.finding(END, "session_absence_talk", d)
    assert (talk.article, talk.action, talk.responsible) == ("A9.1", "talk", "delegation_head")
    assert (talk.count, talk.required, talk.trigger_date) == (1, 1, END)
    assert (talk.period_start, talk.period_end) == (D(2022, 1, 1), D(2026, 12, 31))
    assert [(e.type, e.id, e.date) for e in talk.evidence] == [("session", session.id, END)]


def test_nothing_is_triggered_before_the_session_s_last_day(world):
    d, _session, meetings = _setup(world)
    world.attend(d, meetings, present=False)
    assert world.findings(D(2024, 1, 12), "absence_notice") == []
    assert world.findings(D(2024, 1, 12), "session_absence_talk") == []
    assert world.finding(D(2024, 1, 13), "session_absence_talk", d).trigger_date == END
    assert world.finding(D(2024, 1, 14), "session_absence_talk", d).trigger_date == END


def test_present_at_some_meetings_and_absent_at_others_is_only_an_absence_notice(world):
    d, _session, meetings = _setup(world)
    world.attend(d, meetings[0])
    world.attend(d, meetings[1:], present=False)
    assert world.finding(END, "absence_notice", d).count == 3
    assert world.finding(END, "session_absence_talk", d) is None


def test_present_at_every_meeting_is_nothing(world):
    d, _session, meetings = _setup(world)
    world.attend(d, meetings)
    assert world.findings(D(2024, 6, 1), "absence_notice") == []
    assert world.findings(D(2024, 6, 1), "session_absence_talk") == []


def test_a_session_with_no_attendance_recorded_is_neither_absence_nor_non_attendance(world):
    d, _session, _meetings = _setup(world)
    assert world.findings(D(2024, 6, 1), "absence_notice") == []
    assert world.findings(D(2024, 6, 1), "session_absence_talk") == []


def test_one_recorded_absence_and_no_other_record_is_only_an_absence_notice(world):
    # A meeting with no record may have seen the deputy: "present at none" is not known (issue 10).
    d, _session, meetings = _setup(world)
    world.attend(d, meetings[2], present=False)
    assert world.finding(END, "absence_notice", d).count == 1
    assert world.finding(END, "session_absence_talk", d) is None


def test_once_the_missing_roll_calls_are_entered_as_absent_it_is_a_non_attendance(world):
    d, _session, meetings = _setup(world)
    world.attend(d, meetings[2], present=False)
    world.attend(d, [m for m in meetings if m != meetings[2]], present=False)
    assert world.finding(END, "session_absence_talk", d).count == 1


def test_an_unrecorded_meeting_under_approved_leave_is_no_missing_roll_call(world):
    d, session, meetings = _setup(world)
    world.leave(d, session, "delegation_meeting", "approved", meetings=(meetings[0],))
    world.attend(d, meetings[1:], present=False)
    assert world.finding(END, "session_absence_talk", d).count == 1


@pytest.mark.parametrize("status", ["pending", "rejected", "withdrawn"])
def test_an_unrecorded_meeting_under_leave_not_approved_is_still_missing(world, status):
    d, session, meetings = _setup(world)
    world.leave(d, session, "delegation_meeting", status, meetings=(meetings[0],))
    world.attend(d, meetings[1:], present=False)
    assert world.finding(END, "session_absence_talk", d) is None


def test_an_unrecorded_presidium_meeting_is_no_missing_roll_call_for_the_others(world):
    d, session, meetings = _setup(world)
    world.meeting(session, END, kind="presidium")
    world.attend(d, meetings, present=False)
    assert world.finding(END, "session_absence_talk", d).count == 1


def test_approved_whole_session_leave_excuses_every_meeting(world):
    d, session, meetings = _setup(world)
    world.attend(d, meetings, present=False)
    world.leave(d, session, "whole_session", "approved")
    assert world.findings(D(2024, 6, 1), "absence_notice") == []
    assert world.findings(D(2024, 6, 1), "session_absence_talk") == []


@pytest.mark.parametrize("status", ["draft", "pending", "rejected", "withdrawn"])
def test_leave_that_is_not_approved_excuses_nothing(world, status):
    d, session, meetings = _setup(world)
    world.attend(d, meetings, present=False)
    world.leave(d, session, "whole_session", status)
    assert world.finding(END, "absence_notice", d).count == 4
    assert world.finding(END, "session_absence_talk", d).status == "action_required"


@pytest.mark.parametrize("route", ["plenary", "delegation_meeting"])
def test_approved_meeting_leave_covers_only_the_meetings_it_names(world, route):
    d, session, meetings = _setup(world)
    world.attend(d, meetings, present=False)
    world.leave(d, session, route, "approved", meetings=tuple(meetings[:2]))
    notice = world.finding(END, "absence_notice", d)
    assert notice.count == 2
    assert [e.id for e in notice.evidence if e.type == "meeting"] == meetings[2:]
    # no whole-session leave, present at none, unexcused absences remain: a non-attendance
    assert world.finding(END, "session_absence_talk", d).count == 1


@pytest.mark.parametrize("route", ["plenary", "delegation_meeting"])
def test_approved_meeting_leave_naming_every_absence_excuses_the_session(world, route):
    d, session, meetings = _setup(world)
    world.attend(d, meetings, present=False)
    world.leave(d, session, route, "approved", meetings=tuple(meetings[:2]))
    world.leave(d, session, route, "approved", meetings=tuple(meetings[2:]))
    assert world.findings(D(2024, 6, 1), "absence_notice") == []
    assert world.findings(D(2024, 6, 1), "session_absence_talk") == []


@pytest.mark.parametrize("status", ["pending", "rejected", "withdrawn"])
def test_meeting_leave_that_is_not_approved_excuses_nothing(world, status):
    d, session, meetings = _setup(world)
    world.attend(d, meetings, present=False)
    world.leave(d, session, "plenary", status, meetings=tuple(meetings))
    assert world.finding(END, "absence_notice", d).count == 4


def test_leave_for_another_session_does_not_cover_this_one(world):
    d, _session, meetings = _setup(world)
    other = world.session(D(2025, 1, 10), D(2025, 1, 13))
    world.attend(d, meetings, present=False)
    world.leave(d, other, "whole_session", "approved")
    assert world.finding(END, "session_absence_talk", d) is not None


def test_another_deputy_s_leave_covers_nothing_for_this_deputy(world):
    d, session, meetings = _setup(world)
    other = world.deputy()
    world.attend(d, meetings, present=False)
    world.leave(other, session, "whole_session", "approved")
    assert world.finding(END, "session_absence_talk", d) is not None


def test_a_session_before_the_deputy_took_office_is_not_theirs(world):
    d = world.deputy(start=D(2024, 2, 1))
    session = world.session(START, END, meetings=4)
    world.attend_session(d, session, present=False)  # wrongly entered records
    assert world.findings(D(2024, 6, 1), "absence_notice") == []
    assert world.findings(D(2024, 6, 1), "session_absence_talk") == []


def test_a_session_after_the_service_ended_is_not_theirs(world):
    d = world.deputy(end=D(2024, 1, 9), status="resigned")
    session = world.session(START, END, meetings=4)
    world.attend_session(d, session, present=False)
    assert world.findings(D(2024, 6, 1), "absence_notice") == []
    assert world.findings(D(2024, 6, 1), "session_absence_talk") == []


def test_each_session_with_unexcused_absences_has_its_own_absence_notice(world):
    d = world.deputy()
    first = world.session(D(2024, 1, 10), D(2024, 1, 13), meetings=2)
    second = world.session(D(2025, 1, 10), D(2025, 1, 13), meetings=2)
    world.attend(d, world.meeting_ids(first)[0], present=False)
    world.attend(d, world.meeting_ids(first)[1])
    world.attend(d, world.meeting_ids(second)[1], present=False)
    world.attend(d, world.meeting_ids(second)[0])
    notices = world.findings(D(2025, 6, 1), "absence_notice", d)
    assert [(f.period_start, f.trigger_date, f.count) for f in notices] == [
        (D(2024, 1, 10), D(2024, 1, 13), 1), (D(2025, 1, 10), D(2025, 1, 13), 1),
    ]


def test_two_non_attendances_trigger_termination_on_the_second_session_s_last_day_and_the_talk_stays(world):
    d = world.deputy()
    first = world.session(D(2024, 1, 10), D(2024, 1, 13), meetings=2)
    second = world.session(D(2025, 1, 8), D(2025, 1, 11), meetings=2)
    world.attend_session(d, first, present=False)
    world.attend_session(d, second, present=False)

    assert world.finding(D(2025, 1, 10), "qualification_termination", d) is None
    termination = world.finding(D(2025, 1, 11), "qualification_termination", d)
    assert (termination.article, termination.action, termination.responsible) == ("A9.1", "termination", "sc")
    assert (termination.trigger_date, termination.count, termination.required) == (D(2025, 1, 11), 2, 2)
    assert [e.id for e in termination.evidence] == [first.id, second.id]
    talk = world.finding(D(2025, 1, 11), "session_absence_talk", d)
    assert (talk.trigger_date, talk.count, talk.required) == (D(2024, 1, 13), 2, 1)


def test_one_non_attendance_and_one_partial_absence_is_not_termination(world):
    d = world.deputy()
    first = world.session(D(2024, 1, 10), D(2024, 1, 13), meetings=2)
    second = world.session(D(2025, 1, 8), D(2025, 1, 11), meetings=2)
    world.attend_session(d, first, present=False)
    world.attend(d, world.meeting_ids(second)[0])
    world.attend(d, world.meeting_ids(second)[1], present=False)
    assert world.finding(D(2025, 6, 1), "qualification_termination", d) is None
    assert world.finding(D(2025, 6, 1), "session_absence_talk", d).count == 1


def test_the_numbers_that_trigger_a_talk_and_termination_are_term_settings():
    world = World(session_absence_talk_at=2, termination_at=3)
    d = world.deputy()
    sessions = [world.session(D(year, 1, 10), D(year, 1, 13)) for year in (2023, 2024, 2025)]
    for session in sessions:
        world.attend_session(d, session, present=False)
    assert world.finding(D(2023, 6, 1), "session_absence_talk", d) is None
    assert world.finding(D(2024, 6, 1), "session_absence_talk", d).trigger_date == D(2024, 1, 13)
    assert world.finding(D(2024, 6, 1), "qualification_termination", d) is None
    assert world.finding(D(2025, 6, 1), "qualification_termination", d).trigger_date == D(2025, 1, 13)


class TestResolution:
    """An intervention of the rule's kind, for that rule and deputy, dated on or after the trigger resolves it."""

    @pytest.fixture
    def absent(self, world):
        d, _session, meetings = _setup(world)
        world.attend(d, meetings, present=False)
        return d

    def test_a_talk_the_day_before_the_trigger_does_not_resolve(self, world, absent):
        world.intervention(absent, "session_absence_talk", "talk", D(2024, 1, 12))
        assert world.finding(D(2024, 6, 1), "session_absence_talk", absent).status == "action_required"

    def test_a_talk_on_the_trigger_date_resolves(self, world, absent):
        talk = world.intervention(absent, "session_absence_talk", "talk", END)
        finding = world.finding(D(2024, 6, 1), "session_absence_talk", absent)
        assert finding.status == "resolved"
        assert (finding.evidence[-1].type, finding.evidence[-1].id, finding.evidence[-1].date) == (
            "intervention", talk, END,
        )

    def test_a_talk_after_the_trigger_resolves_from_its_own_date(self, world, absent):
        world.intervention(absent, "session_absence_talk", "talk", D(2024, 2, 1))
        assert world.finding(D(2024, 1, 31), "session_absence_talk", absent).status == "action_required"
        assert world.finding(D(2024, 2, 1), "session_absence_talk", absent).status == "resolved"

    def test_an_intervention_of_the_wrong_kind_does_not_resolve(self, world, absent):
        world.intervention(absent, "session_absence_talk", "notice", D(2024, 2, 1))
        assert world.finding(D(2024, 6, 1), "session_absence_talk", absent).status == "action_required"

    def test_a_talk_for_another_rule_does_not_resolve(self, world, absent):
        world.intervention(absent, "silent_in_sessions_talk", "talk", D(2024, 2, 1))
        assert world.finding(D(2024, 6, 1), "session_absence_talk", absent).status == "action_required"

    def test_a_talk_with_another_deputy_does_not_resolve(self, world, absent):
        other = world.deputy()
        world.intervention(other, "session_absence_talk", "talk", D(2024, 2, 1))
        assert world.finding(D(2024, 6, 1), "session_absence_talk", absent).status == "action_required"

    def test_a_notice_resolves_the_absence_notice_but_not_the_talk(self, world, absent):
        world.intervention(absent, "absence_notice", "notice", D(2024, 1, 15))
        assert world.finding(D(2024, 6, 1), "absence_notice", absent).status == "resolved"
        assert world.finding(D(2024, 6, 1), "session_absence_talk", absent).status == "action_required"

    def test_the_talk_does_not_resolve_termination_and_termination_does_not_remove_the_talk(self, world, absent):
        second = world.session(D(2025, 1, 8), D(2025, 1, 11), meetings=1)
        world.attend_session(absent, second, present=False)
        world.intervention(absent, "session_absence_talk", "talk", D(2025, 1, 20))
        assert world.finding(D(2025, 2, 1), "qualification_termination", absent).status == "action_required"
        world.intervention(absent, "qualification_termination", "termination", D(2025, 1, 25))
        assert world.finding(D(2025, 2, 1), "qualification_termination", absent).status == "resolved"
        assert world.finding(D(2025, 2, 1), "session_absence_talk", absent).status == "resolved"
