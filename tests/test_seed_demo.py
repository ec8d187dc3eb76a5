"""`manage.py seed_demo`: the demo district, its deliberate cases, idempotency and the demo accounts."""
from __future__ import annotations

import datetime as dt
import time
from collections import Counter, defaultdict
from io import StringIO
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count

from activities.choices import ActivityKind, Outcome
from activities.models import Activity, Participation
from deputies.choices import DeputyStatus
from deputies.choices import HandlingUnitKind
from deputies.models import ContactAssignment, Delegation, Deputy, HandlingUnit, StreetCommittee, Term, UserScope
from dutyadmin import demo
from oversight.contacts.checks import contact_checks  # contacts
from dutyadmin.roles import Role
from meetings.choices import AttendanceStatus, ContributionKind, LeaveRoute, LeaveStatus, StepStatus
from meetings.models import Attendance, CongressSession, Contribution, LeaveRequest, Meeting
from meetings.services import LEAVE_CHAINS, deciding_index
from oversight.models import Intervention
from oversight.rules import clocks
from oversight.rules.catalog import A93_KINDS, ACTION_RULES, DATA_CHECKS, THRESHOLD_RULES
from oversight.suggestions.choices import Resolution, Satisfaction, SuggestionAction, SuggestionStatus
from oversight.suggestions.models import Suggestion, SuggestionEvent
from oversight.suggestions.selectors import (
    suggestions_due_soon,
    suggestions_feedback_missing,
    suggestions_overdue,
    suggestions_visible_to,
)

TODAY = demo.DEMO_TODAY


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """Seed once for the module inside a transaction that is rolled back afterwards."""
    with django_db_blocker.unblock():
        with transaction.atomic():
            out = StringIO()
            started, cpu = time.perf_counter(), time.process_time()
            call_command("seed_demo", stdout=out)
            seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
            yield SimpleNamespace(output=out.getvalue(), seconds=seconds, cpu_seconds=cpu_seconds)
            transaction.set_rollback(True)


@pytest.fixture
def term(seeded, db):
    return Term.objects.get(number=demo.TERM_NUMBER)


def deputy(name: str) -> Deputy:
    return Deputy.objects.select_related("term", "street_committee").get(term__number=demo.TERM_NUMBER, name=name)


def attended(dep: Deputy, kinds, start: dt.date, end: dt.date) -> int:
    end = min(end, TODAY, dep.service_until)
    start = max(start, dep.service_start)
    return Participation.objects.filter(
        deputy=dep, outcome=Outcome.ATTENDED, activity__kind__in=kinds, activity__date__range=(start, end)
    ).count()


def whole_session_approved(dep: Deputy, session: CongressSession) -> bool:
    return LeaveRequest.objects.filter(
        deputy=dep, session=session, route=LeaveRoute.WHOLE_SESSION, status=LeaveStatus.APPROVED
    ).exists()


def session_statuses(dep: Deputy, session: CongressSession) -> Counter:
    return Counter(Attendance.objects.filter(deputy=dep, meeting__session=session).values_list("status", flat=True))


def sessions() -> list[CongressSession]:
    return list(CongressSession.objects.filter(term__number=demo.TERM_NUMBER).order_by("number"))


class TestTheCommand:
    def test_it_is_fast(self, seeded):
        # The seed's own work (SQLite runs in-process): processor time, which a busy shared machine does not
        # inflate the way it does the wall clock. About 12 s in December 2026, half of it the suggestions'
        # step-by-step services.
        assert seeded.cpu_seconds < 30

    def test_it_prints_one_account_per_role_with_the_password(self, seeded):
        out = seeded.output
        assert "已载入演示数据" in out
        for spec in demo.DEMO_USERS:
            line = next(line for line in out.splitlines() if line.startswith(spec.username + " "))
            assert demo.DEMO_PASSWORD in line
            assert Role(spec.role).label in line
        assert {spec.role for spec in demo.DEMO_USERS} == set(Role.values)

    def test_every_demo_user_can_log_in_with_the_printed_password(self, term, client):
        for spec in demo.DEMO_USERS:
            assert client.login(username=spec.username, password=demo.DEMO_PASSWORD), spec.username
            client.logout()

    def test_each_demo_user_has_its_role_and_scope(self, term):
        names = [s.username for s in demo.DEMO_USERS]
        users = {u.username: u for u in get_user_model().objects.filter(username__in=names)}
        for spec in demo.DEMO_USERS:
            user = users[spec.username]
            assert list(user.groups.values_list("name", flat=True)) == [spec.role]
            scope = UserScope.objects.get(user=user)
            assert (scope.street_committee.name if scope.street_committee else None) == spec.street
            assert (scope.deputy.name if scope.deputy else None) == spec.deputy
            assert (scope.handling_unit.name if scope.handling_unit else None) == spec.unit
        head = UserScope.objects.get(user=users["dongsi_head"])
        assert head.delegation.name == "东四代表团" and head.delegation.head == head.deputy
        assert users["admin"].is_superuser and users["admin"].is_staff

    def test_running_it_again_changes_nothing_and_says_so(self, term):
        before = demo.demo_counts()
        out = StringIO()
        started = time.perf_counter()
        call_command("seed_demo", stdout=out)
        assert time.perf_counter() - started < 5
        assert demo.demo_counts() == before
        assert "演示数据已存在" in out.getvalue()

    def test_an_existing_user_is_neither_recreated_nor_reset(self, term, client):
        user = get_user_model().objects.get(username="dongsi_staff")
        user.set_password("changed-1234")
        user.save()
        call_command("seed_demo", stdout=StringIO())
        assert get_user_model().objects.filter(username="dongsi_staff").count() == 1
        assert client.login(username="dongsi_staff", password="changed-1234")

    def test_a_deleted_demo_user_comes_back(self, term, client):
        get_user_model().objects.filter(username="secretariat").delete()
        out = StringIO()
        call_command("seed_demo", stdout=out)
        assert "secretariat" in out.getvalue() and demo.DEMO_PASSWORD in out.getvalue()
        assert client.login(username="secretariat", password=demo.DEMO_PASSWORD)


def test_the_plan_is_the_same_every_time():
    first, second = demo._Plan().build(), demo._Plan().build()
    assert [d.name for d in first.deps] == [d.name for d in second.deps]
    assert first.parts == second.parts
    assert first.attendance == second.attendance
    assert first.contributions == second.contributions


class TestTheDistrict:
    def test_it_has_dongchengs_17_street_committees(self, term):
        assert list(StreetCommittee.objects.order_by("code").values_list("name", "code")) == demo.STREETS
        assert [name for name, _ in demo.STREETS] == [
            "东华门", "景山", "交道口", "安定门", "北新桥", "东四", "朝阳门", "建国门", "东直门", "和平里", "前门",
            "崇文门外", "东花市", "龙潭", "体育馆路", "天坛", "永定门外",
        ]

    def test_it_has_one_term_with_default_thresholds(self, term):
        assert Term.objects.count() == 1
        assert (term.number, term.name) == (17, "东城区第十七届人民代表大会")
        assert (term.start_date, term.end_date) == (dt.date(2022, 1, 1), dt.date(2026, 12, 31))
        assert term.thresholds["closed_session_activities"] == 3 and term.thresholds["no_contact_days"] == 365

    def test_about_280_deputies_sit_in_every_street(self, term):
        deputies = Deputy.objects.filter(term=term)
        assert 260 <= deputies.count() <= 300
        per_street = dict(deputies.values_list("street_committee__name").annotate(n=Count("id")))
        assert set(per_street) == set(demo.STREET_NAMES) and min(per_street.values()) >= 15
        names = list(deputies.values_list("street_committee_id", "name"))
        assert len(set(names)) == len(names)
        assert all(d.phone.startswith("1") and len(d.phone) == 11 and d.unit and d.constituency for d in deputies)
        assert {d.gender for d in deputies} == {"M", "F"}

    def test_some_deputies_came_by_by_election_and_some_left(self, term):
        assert Deputy.objects.filter(term=term, service_start=dt.date(2024, 10, 1)).count() >= 2
        ended = Deputy.objects.filter(term=term).exclude(status=DeputyStatus.ACTIVE)
        assert {d.status for d in ended} >= {DeputyStatus.RESIGNED, DeputyStatus.TERMINATED, DeputyStatus.DECEASED}
        assert all(d.service_end for d in ended)

    def test_every_deputy_sits_in_their_streets_delegation_headed_by_one_of_them(self, term):
        assert Deputy.objects.filter(term=term, delegation__isnull=True).count() == 0
        for delegation in Delegation.objects.filter(term=term).select_related("head"):
            assert delegation.head is not None and delegation.head.delegation_id == delegation.pk
            assert delegation.deputies.exclude(street_committee=delegation.head.street_committee).count() == 0

    def test_four_standing_committee_members_with_six_six_five_and_four_deputies(self, term):
        # contacts: members are sc_member users; 陈静 has 4 deputies to show the contact_assignment_size check.
        sizes = Counter(ContactAssignment.objects.filter(term=term).values_list("member__username", flat=True))
        assert sizes == {"sc_member": 6, "scm_li": 6, "scm_zhao": 5, "scm_chen": 4}


class TestSessionsAndLeave:
    def test_five_sessions_in_january_with_meetings_and_attendance(self, term):
        assert [(s.name, s.start_date.year, s.start_date.month) for s in sessions()] == [
            (f"第十七届第{n}次会议", year, 1) for n, year in zip("一二三四五", range(2022, 2027))
        ]
        for session in sessions():
            meetings = Meeting.objects.filter(session=session)
            assert {m.kind for m in meetings} == {"preparatory", "plenary", "delegation"}
            assert {m.half_day for m in meetings} == {"am", "pm"}
            assert Attendance.objects.filter(meeting__session=session).count() > 200 * meetings.count()
        statuses = Counter(Attendance.objects.values_list("status", flat=True))
        assert statuses[AttendanceStatus.ABSENT] < statuses[AttendanceStatus.PRESENT] / 20

    def test_attendance_is_recorded_only_for_deputies_in_service(self, term):
        for a in Attendance.objects.select_related("meeting", "deputy__term"):
            assert a.deputy.service_start <= a.meeting.date <= a.deputy.service_until

    def test_leave_requests_use_every_route_in_every_status(self, term):
        pairs = set(LeaveRequest.objects.values_list("route", "status"))
        assert pairs == {(route, status) for route in LeaveRoute.values for status in LeaveStatus.values}
        assert LeaveRequest.objects.filter(backfilled=True, status=LeaveStatus.APPROVED).exists()

    def test_leave_steps_follow_the_routes_chain(self, term):
        for leave in LeaveRequest.objects.prefetch_related("steps", "meetings"):
            steps = list(leave.steps.order_by("order"))
            chain = LEAVE_CHAINS[leave.route]
            if leave.status == LeaveStatus.DRAFT:
                assert steps == []
                continue
            if steps or leave.status != LeaveStatus.WITHDRAWN:
                assert [(s.code, s.role) for s in steps] == [(c.code, c.role) for c in chain]
            status = [s.status for s in steps]
            if leave.status == LeaveStatus.APPROVED:
                # Issue 12: every step up to the deciding one is done; a filing step after it may still wait.
                decided = deciding_index(leave.route) + 1
                assert set(status[:decided]) == {StepStatus.DONE}
                assert all(s.acted_by_name and s.acted_at for s in steps[:decided])
                assert all(s.status == StepStatus.WAITING or (s.acted_by_name and s.acted_at) for s in steps[decided:])
            elif leave.status == LeaveStatus.PENDING:
                waiting = [i for i, s in enumerate(status) if s == StepStatus.WAITING]
                assert waiting and waiting == list(range(waiting[0], len(status)))
                assert set(status[: waiting[0]]) <= {StepStatus.DONE}
            elif leave.status == LeaveStatus.REJECTED:
                rejected = [s for s in steps if s.status == StepStatus.REJECTED]
                assert len(rejected) == 1 and rejected[0].comment
            if leave.route == LeaveRoute.WHOLE_SESSION:
                assert not leave.meetings.exists()
            else:
                assert leave.meetings.exists()
                assert all(m.session_id == leave.session_id for m in leave.meetings.all())
        pending_steps = {
            next(s.order for s in leave.steps.all() if s.status == StepStatus.WAITING)
            for leave in LeaveRequest.objects.filter(status=LeaveStatus.PENDING).prefetch_related("steps")
        }
        assert pending_steps >= {1, 2, 3}

    def test_some_approved_leave_excuses_absences(self, term):
        excused = 0
        for leave in LeaveRequest.objects.filter(status=LeaveStatus.APPROVED).exclude(route=LeaveRoute.WHOLE_SESSION):
            excused += Attendance.objects.filter(
                deputy=leave.deputy, meeting__in=leave.meetings.all(), status=AttendanceStatus.ABSENT
            ).count()
        assert excused > 0

    def test_deputies_speak_at_sessions(self, term):
        at_sessions = Contribution.objects.filter(session__isnull=False)
        assert at_sessions.filter(kind=ContributionKind.REVIEW_OPINION).count() > 1000
        assert set(Contribution.objects.values_list("kind", flat=True)) == set(ContributionKind.values)
        assert Contribution.objects.filter(session__isnull=True).exists()


class TestActivities:
    def test_every_kind_is_present_in_every_year(self, term):
        kinds_by_year = defaultdict(set)
        for kind, day in Activity.objects.values_list("kind", "date"):
            kinds_by_year[day.year].add(kind)
        assert set().union(*kinds_by_year.values()) == set(ActivityKind.values)
        for year in range(2022, 2027):
            assert kinds_by_year[year] >= set(ActivityKind.values) - {ActivityKind.DUTY_REPORT}

    def test_district_activities_come_from_the_standing_committee_and_street_ones_from_each_street(self, term):
        assert Activity.objects.filter(organizer_level="standing_committee", street_committee__isnull=True).exists()
        streets = set(Activity.objects.filter(organizer_level="street_committee").values_list(
            "street_committee__name", flat=True))
        assert streets == set(demo.STREET_NAMES)

    def test_only_planned_activities_lie_after_today_and_their_outcome_is_pending(self, term):
        future = Participation.objects.filter(activity__date__gt=TODAY)
        assert future.exists()
        assert set(future.values_list("outcome", flat=True)) == {Outcome.PENDING}
        assert not Participation.objects.filter(activity__date__lte=TODAY, outcome=Outcome.PENDING).exists()

    def test_participations_lie_in_service_except_the_planted_one(self, term):
        outside = [
            p.deputy.name for p in Participation.objects.select_related("deputy__term", "activity")
            if not p.deputy.service_start <= p.activity.date <= p.deputy.service_until
        ]
        assert outside == [demo.DEMO_CASES["record_outside_service"]]

    def test_the_demo_deputy_meets_every_threshold_every_year(self, term):
        dep = deputy(demo.DEMO_DEPUTY_NAME)
        for rule in THRESHOLD_RULES:
            threshold = term.thresholds[rule.threshold_key]
            if rule.window == "term":
                assert attended(dep, rule.kinds, term.start_date, term.end_date) >= threshold, rule.id
            else:
                for year in range(2022, 2027):
                    assert attended(dep, rule.kinds, dt.date(year, 1, 1), dt.date(year, 12, 31)) >= threshold


class TestDeliberateCases:
    def test_every_rule_and_data_check_has_a_demo_deputy(self, term):
        ids = {r.id for r in THRESHOLD_RULES} | {r.id for r in ACTION_RULES} | set(DATA_CHECKS)
        assert set(demo.DEMO_CASES) == ids
        for name in [*demo.DEMO_CASES.values(), *demo.DEMO_EXTRA_CASES.values()]:
            deputy(name)

    def test_threshold_cases_fall_short(self, term):
        cases = demo.DEMO_CASES

        def y(year: int) -> tuple[dt.date, dt.date]:
            return dt.date(year, 1, 1), dt.date(year, 12, 31)

        a41 = {"special_research", "inspection", "law_enforcement_check", "theme_activity", "work_evaluation"}
        assert attended(deputy(cases["closed_session_activities"]), a41, *y(2025)) == 1
        assert attended(deputy(cases["closed_session_activities"]), a41, *y(2026)) == 1
        assert attended(deputy(cases["group_activities"]), {"group_activity"}, *y(2024)) == 2
        assert attended(deputy(cases["station_receptions"]), {"station_reception"}, *y(2025)) == 1
        term_span = (term.start_date, term.end_date)
        assert attended(deputy(cases["training"]), {"training"}, *term_span) == 1
        assert attended(deputy(cases["lectures"]), {"lecture"}, *term_span) == 2
        assert attended(deputy(cases["sc_meeting_attendance"]), {"sc_meeting"}, *term_span) == 0
        assert attended(deputy(cases["duty_report"]), {"duty_report"}, *term_span) == 0

    def test_absence_notice_case_missed_some_meetings_of_the_last_session_unexcused(self, term):
        dep, last = deputy(demo.DEMO_CASES["absence_notice"]), sessions()[-1]
        statuses = session_statuses(dep, last)
        assert statuses[AttendanceStatus.ABSENT] == 2 and statuses[AttendanceStatus.PRESENT] > 0
        assert not LeaveRequest.objects.filter(deputy=dep, status=LeaveStatus.APPROVED).exists()
        assert not Intervention.objects.filter(deputy=dep, rule="absence_notice", date__gte=last.end_date).exists()

    def test_session_absence_talk_case_missed_a_whole_session_with_only_pending_leave(self, term):
        dep, fourth = deputy(demo.DEMO_CASES["session_absence_talk"]), sessions()[3]
        assert session_statuses(dep, fourth) == Counter({AttendanceStatus.ABSENT: 8})
        leave = LeaveRequest.objects.get(deputy=dep, session=fourth)
        assert (leave.route, leave.status) == (LeaveRoute.WHOLE_SESSION, LeaveStatus.PENDING)
        assert not Intervention.objects.filter(deputy=dep, rule="session_absence_talk").exists()

    def test_the_resolved_session_absence_talk_was_held_after_the_session(self, term):
        dep, third = deputy(demo.DEMO_EXTRA_CASES["session_absence_talk_resolved"]), sessions()[2]
        assert session_statuses(dep, third) == Counter({AttendanceStatus.ABSENT: 8})
        assert not LeaveRequest.objects.filter(deputy=dep).exists()
        talk = Intervention.objects.get(deputy=dep, rule="session_absence_talk")
        assert talk.kind == "talk" and talk.date >= third.end_date

    def test_qualification_termination_case_missed_two_whole_sessions_without_approved_leave(self, term):
        dep = deputy(demo.DEMO_CASES["qualification_termination"])
        missed = []
        for session in sessions():
            marks = session_statuses(dep, session)
            if not marks[AttendanceStatus.PRESENT] and marks[AttendanceStatus.ABSENT]:
                assert not whole_session_approved(dep, session)
                missed.append(session)
        assert len(missed) == 2
        assert LeaveRequest.objects.get(deputy=dep, session=missed[1]).status == LeaveStatus.REJECTED
        assert not Intervention.objects.filter(deputy=dep, rule="qualification_termination").exists()

    def test_silent_case_attended_two_years_of_sessions_without_opinion_or_suggestion(self, term):
        dep = deputy(demo.DEMO_CASES["silent_in_sessions_talk"])
        for session in sessions()[2:4]:
            assert session_statuses(dep, session)[AttendanceStatus.PRESENT] == 8
            kinds = set(Contribution.objects.filter(deputy=dep, session=session).values_list("kind", flat=True))
            assert kinds and not kinds & {ContributionKind.REVIEW_OPINION, ContributionKind.SUGGESTION}
        assert Contribution.objects.filter(deputy=dep, session__isnull=True, date__year=2024).exists()

    def test_activity_absence_notice_case_missed_two_accepted_invitations(self, term):
        dep = deputy(demo.DEMO_CASES["activity_absence_notice"])
        absences = Participation.objects.filter(deputy=dep, confirmed=True, outcome=Outcome.ABSENT,
                                                activity__kind__in=A93_KINDS)
        assert absences.count() == 2
        assert not Intervention.objects.filter(deputy=dep, rule="activity_absence_notice").exists()

    def test_activity_absence_talk_case_missed_another_after_the_notice(self, term):
        dep = deputy(demo.DEMO_CASES["activity_absence_talk"])
        notice = Intervention.objects.get(deputy=dep, rule="activity_absence_notice")
        absences = Participation.objects.filter(deputy=dep, confirmed=True, outcome=Outcome.ABSENT,
                                                activity__kind__in=A93_KINDS)
        assert absences.filter(activity__date__lt=notice.date).count() == 2
        assert absences.filter(activity__date__gt=notice.date).count() == 1
        assert not Intervention.objects.filter(deputy=dep, rule="activity_absence_talk").exists()

    def test_ordinary_deputies_miss_at_most_one_accepted_invitation(self, term):
        per_deputy = Counter(Participation.objects.filter(
            confirmed=True, outcome=Outcome.ABSENT, activity__kind__in=A93_KINDS
        ).values_list("deputy__name", flat=True))
        repeaters = {name for name, n in per_deputy.items() if n >= 2}
        assert repeaters == {demo.DEMO_CASES["activity_absence_notice"], demo.DEMO_CASES["activity_absence_talk"]}

    def test_no_contact_case_has_not_received_anyone_for_over_a_year(self, term):
        dep = deputy(demo.DEMO_CASES["no_contact_talk"])
        receptions = Participation.objects.filter(deputy=dep, activity__kind="station_reception",
                                                  outcome=Outcome.ATTENDED)
        last = max(receptions.values_list("activity__date", flat=True))
        assert (TODAY - last).days > 365
        assert not Intervention.objects.filter(deputy=dep, rule="no_contact_talk").exists()

    def test_resignation_advice_case_has_not_improved_since_the_talk(self, term):
        dep = deputy(demo.DEMO_CASES["resignation_advice"])
        talk = Intervention.objects.get(deputy=dep, rule="no_contact_talk")
        assert (TODAY - talk.date).days > 180
        assert not Participation.objects.filter(deputy=dep, activity__kind="station_reception",
                                                outcome=Outcome.ATTENDED, activity__date__gte=talk.date).exists()

    def test_historical_no_contact_case_had_a_gap_closed_since(self, term):
        dep = deputy(demo.DEMO_EXTRA_CASES["no_contact_talk_historical"])
        dates = sorted(Participation.objects.filter(deputy=dep, activity__kind="station_reception",
                                                    outcome=Outcome.ATTENDED).values_list("activity__date", flat=True))
        gaps = [(b - a).days for a, b in zip(dates, dates[1:])]
        assert max(gaps) > 365 and (TODAY - dates[-1]).days <= 365
        assert Intervention.objects.filter(deputy=dep, rule="no_contact_talk").exists()

    def test_unrecorded_attendance_case_lacks_a_record_of_an_ended_session(self, term):
        dep = deputy(demo.DEMO_CASES["unrecorded_attendance"])
        second = sessions()[1]
        assert Attendance.objects.filter(deputy=dep, meeting__session=second).count() == second.meetings.count() - 1

    def test_duplicate_registration_case_attended_one_kind_twice_on_one_day(self, term):
        dep = deputy(demo.DEMO_CASES["duplicate_registration"])
        days = Counter(Participation.objects.filter(deputy=dep, outcome=Outcome.ATTENDED).values_list(
            "activity__kind", "activity__date"))
        assert [n for n in days.values() if n > 1] == [2]
        everyone = Counter(Participation.objects.filter(outcome=Outcome.ATTENDED).values_list(
            "deputy_id", "activity__kind", "activity__date"))
        assert [key[0] for key, n in everyone.items() if n > 1] == [dep.pk]

    def test_leave_conflict_case_was_present_at_a_meeting_their_approved_leave_covers(self, term):
        dep = deputy(demo.DEMO_CASES["leave_conflict"])
        leave = LeaveRequest.objects.get(deputy=dep, status=LeaveStatus.APPROVED)
        assert Attendance.objects.filter(deputy=dep, meeting__in=leave.meetings.all(),
                                         status=AttendanceStatus.PRESENT).exists()

    def test_record_outside_service_case_has_a_participation_after_resigning(self, term):
        dep = deputy(demo.DEMO_CASES["record_outside_service"])
        assert dep.status == DeputyStatus.RESIGNED and dep.service_end
        assert Participation.objects.filter(deputy=dep, activity__date__gt=dep.service_end).exists()


class TestSuspension:
    def test_one_deputy_is_suspended_in_the_past_year_with_a_reason_entered_by_the_liaison_office(self, term):
        from deputies.models import Suspension

        name, first, last, _ = demo.DEMO_SUSPENSION
        (suspension,) = Suspension.objects.select_related("deputy", "created_by")
        assert (suspension.deputy.name, suspension.start_date, suspension.end_date) == (name, first, last)
        assert "因涉嫌犯罪被羁押" in suspension.reason
        assert TODAY - dt.timedelta(days=366) < first <= last < TODAY
        assert suspension.created_by.username == "liaison"
        assert suspension.history.get().history_user == suspension.created_by
        assert not CongressSession.objects.filter(end_date__gte=first, start_date__lte=last).exists()

    def test_the_suspended_deputy_has_no_record_inside_the_suspension(self, term):
        name, first, last, _ = demo.DEMO_SUSPENSION
        dep = deputy(name)
        assert not Participation.objects.filter(deputy=dep, activity__date__range=(first, last)).exists()
        assert not Attendance.objects.filter(deputy=dep, meeting__date__range=(first, last)).exists()


# The rules engine's view of the demo (every rule fires for its planted deputy) is tested through the
# app's own loader in tests/oversight/test_demo_cases.py.


class TestReviewQueues:
    def test_dongsi_staff_find_a_deputys_own_entries_waiting_and_they_count_for_nothing_yet(self, term):
        from activities.models import SelfRegistration
        from meetings.models import Contribution

        deputy = Deputy.objects.get(term=term, name=demo.DEMO_DEPUTY_NAME)
        statuses = sorted(SelfRegistration.objects.filter(deputy=deputy).values_list("status", flat=True))
        assert statuses == ["pending", "pending", "returned"]
        assert SelfRegistration.objects.filter(activity__isnull=False).count() == 0
        assert Contribution.objects.filter(deputy=deputy, confirmed=False).count() == 1


S = SuggestionStatus


def demo_user(username: str):
    return get_user_model().objects.get(username=username)


def suggestions() -> list[Suggestion]:
    return list(Suggestion.objects.select_related("lead_deputy", "lead_unit", "session", "contribution")
                .prefetch_related("co_units", "cosigners", "events", "replies"))


class TestSuggestions:
    def test_the_handling_units_are_the_districts_bodies_and_one_street_office_per_street(self, term):
        units = HandlingUnit.objects.all()
        kinds = Counter(units.values_list("kind", flat=True))
        assert kinds[HandlingUnitKind.STREET_OFFICE] == len(demo.STREETS)
        assert {HandlingUnitKind.COURT, HandlingUnitKind.PROCURATORATE, HandlingUnitKind.SUPERVISION_COMMISSION} <= set(kinds)
        assert kinds[HandlingUnitKind.GOVERNMENT_DEPARTMENT] >= 10
        names = set(units.values_list("name", flat=True))
        assert {"区城市管理委", "区教委", "区人民法院", "区人民检察院", "区监委", "东四街道办事处"} <= names
        assert all(units.values_list("code", flat=True))

    def test_about_fifty_from_the_last_session_and_after_it(self, term):
        rows = suggestions()
        last = CongressSession.objects.get(term=term, number=len(demo.SESSION_DATES))
        at_session = [s for s in rows if s.session_id]
        assert 40 <= len(rows) <= 60
        assert {s.session_id for s in at_session} == {last.pk} and len(at_session) > 30
        assert all(s.submitted_on > last.end_date for s in rows if not s.session_id)

    def test_every_state_is_there(self, term):
        rows = suggestions()
        assert {s.status for s in rows} == set(S.values)
        liaison = demo_user("liaison")
        overdue = list(suggestions_overdue(liaison, TODAY))
        assert {s.status for s in overdue} == {S.ASSIGNED, S.REHANDLING}
        assert any(s.extended for s in overdue) and any(not s.extended for s in overdue)
        due_soon = list(suggestions_due_soon(liaison, TODAY))
        assert len(due_soon) >= 2 and all(0 <= clocks.days_left(s.reply_due, TODAY) <= 15 for s in due_soon)
        on_time = [s for s in rows if s.status == S.ASSIGNED and clocks.days_left(s.due_date, TODAY) > 15]
        assert len(on_time) >= 2
        assert [s for s in rows if s.status == S.SUBMITTED and s.lead_unit_id is None]
        assert [s for s in rows if s.status == S.ASSIGNED and s.extended and s.extension_reason
                and not s.overdue_on(TODAY)]
        awaiting = [s for s in rows if s.status == S.REPLIED and not s.feedback_missing_on(TODAY)]
        assert awaiting and any(s.rehandled for s in awaiting) and any(not s.rehandled for s in awaiting)
        assert list(suggestions_feedback_missing(liaison, TODAY))
        closed = [s for s in rows if s.status == S.CLOSED]
        assert {s.satisfaction for s in closed} == set(Satisfaction.values) | {None}  # None: closed by the office
        assert any(s.rehandled for s in closed) and any(s.replied_on_time is False for s in closed)
        assert [s for s in rows if s.status == S.REHANDLING and not s.overdue_on(TODAY)]
        withdrawn = [s for s in rows if s.status == S.WITHDRAWN]
        assert {s.lead_unit_id is None for s in withdrawn} == {True, False}  # before and after assignment
        assert {s.resolution for s in rows if s.resolution} == set(Resolution.values)
        assert any(s.co_units.all() for s in rows) and any(s.cosigners.all() for s in rows)

    def test_every_step_lies_before_today_and_every_clock_inside_the_known_calendar(self, term):
        assert not SuggestionEvent.objects.filter(date__gt=TODAY).exists()
        for s in suggestions():
            for due in (s.due_date, s.feedback_due, s.rehandling_due):
                assert due is None or due.year in clocks.known_years()
            assert [e.at for e in s.events.all()] == sorted(e.at for e in s.events.all())
            assert all(e.at.astimezone(demo.TZ).date() == e.date for e in s.events.all())

    def test_each_step_went_through_the_services_with_its_history(self, term):
        secretariat, liaison = demo_user("secretariat"), demo_user("liaison")
        for s in suggestions():
            events = list(s.events.all())
            assert events[0].action == SuggestionAction.SUBMIT
            assert [e.after_status for e in events][-1] == s.status
            assert s.history.count() == len(events)
            if s.session_id:
                assert events[0].actor == secretariat
            for event in events:
                if event.action == SuggestionAction.EVALUATE:
                    assert event.actor.scope.deputy_id == s.lead_deputy_id  # the lead deputy in person
                elif event.action in (SuggestionAction.ASSIGN, SuggestionAction.EXTEND, SuggestionAction.CLOSE):
                    assert event.actor == liaison
            assert (s.due_date is None) == (s.assigned_on is None)
            if s.assigned_on:
                assert s.due_date == clocks.suggestion_due(s.assigned_on, extended=s.extended)

    def test_the_a92_contribution_of_a_session_suggestion_exists_once(self, term):
        rows = [s for s in suggestions() if s.session_id and s.status != S.WITHDRAWN]
        for s in rows:
            same = Contribution.objects.filter(deputy=s.lead_deputy, session=s.session, kind=ContributionKind.SUGGESTION,
                                               title=s.title)
            assert list(same) == [s.contribution] and s.contribution.confirmed
        # No plain `suggestion` contribution left at that session: each is a suggestion's own.
        assert Contribution.objects.filter(session=rows[0].session, kind=ContributionKind.SUGGESTION).count() == len(rows)
        assert all(s.contribution is None for s in suggestions() if s.status == S.WITHDRAWN)

    def test_the_unit_user_sees_only_their_units_suggestions(self, term, client):
        user = demo_user("chengguan_unit")
        unit = HandlingUnit.objects.get(name="区城市管理委")
        seen = set(suggestions_visible_to(user).values_list("pk", flat=True))
        theirs = {s.pk for s in suggestions() if s.lead_unit_id == unit.pk or unit in s.co_units.all()}
        assert seen == theirs and len(seen) < Suggestion.objects.count()
        assert Suggestion.objects.filter(pk__in=seen, co_units=unit).exclude(lead_unit=unit).exists()
        statuses = set(Suggestion.objects.filter(pk__in=seen, lead_unit=unit).values_list("status", flat=True))
        assert {S.ASSIGNED, S.REPLIED, S.CLOSED} <= statuses
        assert suggestions_overdue(user, TODAY).exists() and suggestions_due_soon(user, TODAY).exists()
        replies = SuggestionEvent.objects.filter(suggestion__lead_unit=unit, action=SuggestionAction.REPLY)
        assert set(replies.values_list("actor", flat=True)) == {user.pk}
        assert client.login(username="chengguan_unit", password=demo.DEMO_PASSWORD)

    def test_the_demo_deputy_has_a_reply_to_evaluate_and_his_own_entry_waiting(self, term):
        dep = deputy(demo.DEMO_DEPUTY_NAME)
        led = Suggestion.objects.filter(lead_deputy=dep)
        assert led.filter(status=S.REPLIED).exists()
        own = led.get(status=S.SUBMITTED)
        assert own.created_by == demo_user("dongsi_deputy") and not own.contribution.confirmed
        assert Suggestion.objects.filter(cosigners=dep).exists()


# --- contacts: A10.5 demo (dutyadmin/demo_contacts.py) ----------------------------------------------------
class TestContacts:
    def test_the_demo_shows_each_contact_check_once(self, term):
        checks = contact_checks(term=term, as_of=demo.DEMO_TODAY)
        assert sorted((c.check, c.year) for c in checks) == [("contact_assignment_size", None),
                                                             ("contact_missing", 2025)]
        size = next(c for c in checks if c.check == "contact_assignment_size")
        assert size.member_id == demo_user("scm_chen").pk

    def test_sc_member_has_six_deputies_two_not_contacted_this_year(self, term):
        assignments = ContactAssignment.objects.filter(term=term, member=demo_user("sc_member"))
        assert assignments.count() == 6
        contacted = {a.pk for a in assignments if a.contact_records.filter(date__year=2026).exists()}
        assert len(contacted) == 4


# --- opinions: constituents' opinions at the stations (dutyadmin/demo_opinions.py) ---------------------------


class TestDemoOpinions:
    def test_opinions_in_every_state_at_station_receptions_made_by_the_services(self, term):
        Opinion = Intervention._meta.apps.get_model("oversight", "Opinion")  # noqa: N806 (no import outside this block)
        opinions = list(Opinion.objects.select_related("reception").prefetch_related("deputies", "events"))
        states = Counter(o.status for o in opinions)
        assert set(states) == {"received", "forwarded", "replied", "closed"}
        assert all(o.reception.kind == ActivityKind.STATION_RECEPTION and o.deputies.all() for o in opinions)
        assert len({o.reception_id for o in opinions}) >= 5
        overdue = [o for o in opinions if o.overdue_on(TODAY)]
        due_soon = [o for o in opinions if o.status == "forwarded" and not o.overdue_on(TODAY)
                    and (o.reply_due - TODAY).days <= clocks.REMINDER_DAYS_BEFORE]
        assert len(overdue) >= 2 and due_soon
        assert any(o.replied_on_time is False for o in opinions)
        assert all(o.events.first().action == "record" for o in opinions)
        for o in opinions:
            if o.forwarded_on:
                assert o.reply_due == clocks.opinion_reply_due(o.forwarded_on, days=30)


# --- gaps14a: 自助签到 marks (dutyadmin/demo_checkin.py) ---------------------------------------------------


class TestDemoCheckin:
    def test_some_present_and_attended_records_of_the_latest_session_and_activities_were_scanned(self, term):
        scanned = Attendance.objects.filter(self_checked_in=True).select_related("meeting__session")
        assert scanned.count() >= 20
        latest = max(s.start_date for s in sessions() if s.start_date <= TODAY)
        assert {a.meeting.session.start_date for a in scanned} == {latest}
        assert all(a.status == "present" and a.self_checked_in_at.date() == a.meeting.date for a in scanned)
        assert Attendance.objects.filter(meeting__session__start_date=latest, status="present",
                                         self_checked_in=False).exists()  # the others were entered by staff
        marked = Participation.objects.filter(self_checked_in=True).select_related("activity")
        assert marked.exists() and all(p.outcome == "attended" and p.activity.date <= TODAY for p in marked)
