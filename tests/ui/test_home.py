"""The home page: what each role's scope holds, counted."""
import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from dutyadmin.roles import Role
from tests import factories

pytestmark = pytest.mark.django_db
HOME = reverse("home")


@pytest.mark.parametrize("role", [*Role, "nobody"])
def test_every_role_has_a_home_page(login, role):
    assert login(role).get(HOME).status_code == 200


def test_street_staff_count_their_streets_deputies_by_status(login, world):
    factories.DeputyFactory(
        term=world["term"], street_committee=world["dongsi"], delegation=world["del_ds"], status="resigned",
        service_end=dt.date(2024, 6, 30),
    )
    context = login(Role.STREET_STAFF).get(HOME).context
    assert context["deputy_total"] == 3
    counts = {row["status"]: row["count"] for row in context["status_counts"]}
    assert counts["active"] == 2 and counts["resigned"] == 1
    assert "by_street" not in context  # one street: no table of streets


def test_district_roles_see_deputies_by_street(login, world):
    context = login(Role.LIAISON_OFFICE).get(HOME).context
    assert context["deputy_total"] == 3
    rows = {row["street_committee__name"]: row["active"] for row in context["by_street"]}
    assert rows == {"东四": 2, "朝阳门": 1}


def test_a_deputy_sees_their_own_profile(login, world):
    response = login(Role.DEPUTY).get(HOME)
    assert response.context["own_deputy"] == world["zhang"]
    assert reverse("deputies:detail", args=[world["zhang"].pk]) in response.text
    assert "deputy_total" not in response.context


def test_this_years_records_are_counted_within_scope(login, world):
    today = timezone.localdate()
    term = world["term"]
    term.end_date = dt.date(today.year + 1, 12, 31)
    term.save()
    factories.ContributionFactory(deputy=world["zhang"], date=today)
    factories.ContributionFactory(deputy=world["wang"], date=today)
    factories.ContributionFactory(deputy=world["zhang"], date=dt.date(today.year - 1, 6, 1))
    assert login(Role.STREET_STAFF).get(HOME).context["year_counts"]["contributions"] == 1
    assert login(Role.LIAISON_OFFICE).get(HOME).context["year_counts"]["contributions"] == 2


def test_quick_actions_follow_the_write_policy(login):
    liaison = login(Role.LIAISON_OFFICE).get(HOME).text
    assert reverse("deputies:create") in liaison
    staff = login(Role.STREET_STAFF).get(HOME).text
    assert reverse("deputies:create") not in staff
    assert reverse("meetings:contribution_create") in staff
    assert reverse("oversight:intervention_create") not in staff
    director = login(Role.STREET_DIRECTOR).get(HOME).text
    assert reverse("oversight:intervention_create") in director


# --- 待办 (issue 11, part 1) -------------------------------------------------------------------------

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from activities.choices import OrganizerLevel, SelfRegistrationStatus  # noqa: E402
from activities.models import SelfRegistration  # noqa: E402
from meetings.choices import AttendanceStatus, MeetingKind  # noqa: E402
from oversight.choices import ReviewStatus  # noqa: E402
from oversight.models import YearReview  # noqa: E402


def todo_of(client) -> dict[str, object]:
    """The to-do lines of the home page by label."""
    return {item.label: item for item in client.get(HOME).context["todo"]}


def open_term(world):
    term = world["term"]
    term.end_date = timezone.localdate() + dt.timedelta(days=400)
    term.save()
    return term


def unexcused_session(world, deputy, number: int, year: int):
    """A session of which the deputy attended nothing without leave: an A9.1 non-attendance."""
    session = factories.CongressSessionFactory(term=world["term"], number=number, name=f"第{number}次会议",
                                               start_date=dt.date(year, 1, 8), end_date=dt.date(year, 1, 9))
    meeting = factories.MeetingFactory(session=session, kind=MeetingKind.PLENARY, date=dt.date(year, 1, 8))
    factories.AttendanceFactory(meeting=meeting, deputy=deputy, status=AttendanceStatus.ABSENT)


def test_the_greeting_uses_a_full_width_comma(login):
    text = login(Role.STREET_STAFF).get(HOME).content.decode()
    assert "您好\uff0c陈静" in text and "您好," not in text


def test_nobody_with_nothing_to_do_reads_so(login):
    assert "目前没有需要您办理的事项。" in login(Role.SECRETARIAT).get(HOME).content.decode()


def test_a_talk_owed_is_the_director_s_and_the_head_s_line_not_the_other_street_s(login, world, personas):
    unexcused_session(world, world["zhang"], 4, 2025)
    director = todo_of(login(Role.STREET_DIRECTOR))
    talk = director["待约谈:未经批准一次不出席"]
    assert (talk.count, talk.detail, talk.tone) == (1, "张东", "bad")
    assert f"deputy={world['zhang'].pk}" in talk.url and "rule=session_absence_talk" in talk.url
    assert login(Role.STREET_DIRECTOR).get(talk.url).status_code == 200
    assert "待约谈:未经批准一次不出席" in todo_of(login(Role.DELEGATION_HEAD))
    assert "待约谈:未经批准一次不出席" not in todo_of(login(Role.SC_LEADER))
    other = factories.make_user(Role.STREET_DIRECTOR, username="cy-dir", street_committee=world["chaoyang"])
    client = Client()
    client.force_login(other)
    assert "待约谈:未经批准一次不出席" not in todo_of(client)


def test_the_query_count_does_not_grow_with_the_findings_or_the_records(login, world, personas):
    """Findings are read once per request: more deputies in trouble, more registrations, same queries."""
    roles = [Role.LIAISON_OFFICE, Role.STREET_STAFF, Role.STREET_DIRECTOR, Role.SC_LEADER, Role.DEPUTY,
             Role.SECRETARIAT]
    unexcused_session(world, world["zhang"], 4, 2025)

    def counts():
        out = {}
        for role in roles:
            client = login(role)
            client.get(HOME)  # warm the session and caches
            with CaptureQueriesContext(connection) as queries:
                client.get(HOME)
            out[role] = len(queries)
        return out

    before = counts()
    for i in range(4):
        deputy = factories.DeputyFactory(term=world["term"], street_committee=world["dongsi"],
                                         delegation=world["del_ds"], name=f"新代表{i}")
        unexcused_session(world, deputy, 10 + i, 2025)
        SelfRegistration.objects.create(deputy=deputy, kind="station_reception", title="接待", date=dt.date(2024, 5, 1),
                                        status=SelfRegistrationStatus.PENDING)
        factories.ContributionFactory(deputy=deputy, confirmed=False)
    after = counts()
    assert after == before
    assert todo_of(login(Role.STREET_STAFF))["代表个人登记待审核"].count == 4


def test_a_declined_invitation_waits_for_its_organizer(login, world, personas):
    term = open_term(world)
    soon = timezone.localdate() + dt.timedelta(days=5)
    street = factories.ActivityFactory(term=term, date=soon, title="街道视察",
                                       organizer_level=OrganizerLevel.STREET_COMMITTEE, street_committee=world["dongsi"])
    district = factories.ActivityFactory(term=term, date=soon, title="全区培训")
    for activity in (street, district):
        factories.ParticipationFactory(activity=activity, deputy=world["zhang"], confirmed=False, outcome="pending",
                                       answered_at=timezone.now(), decline_reason="出差")
    staff = todo_of(login(Role.STREET_STAFF))
    line = staff["代表不能参加“街道视察”,待决定是否准假"]
    assert (line.count, line.detail, line.url) == (1, "张东", reverse("activities:participations", args=[street.pk]))
    assert not any("全区培训" in label for label in staff)
    liaison = todo_of(login(Role.LIAISON_OFFICE))
    assert "代表不能参加“全区培训”,待决定是否准假" in liaison and not any("街道视察" in label for label in liaison)
    assert login(Role.STREET_STAFF).get(line.url).status_code == 200


def test_a_deputy_answers_invitations_and_follows_their_leave(login, world, personas):
    term = open_term(world)
    activity = factories.ActivityFactory(term=term, date=timezone.localdate() + dt.timedelta(days=5))
    factories.ParticipationFactory(activity=activity, deputy=world["zhang"], confirmed=False, outcome="pending")
    factories.LeaveRequestFactory(deputy=world["zhang"], session=world["session"], status="pending")
    client = login(Role.DEPUTY)
    todo = todo_of(client)
    invitations = todo["活动邀请待答复"]
    assert invitations.count == 1 and invitations.url == reverse("activities:my_invitations")
    assert client.get(invitations.url).status_code == 200
    assert todo["请假申请审批中"].count == 1 and todo["请假申请审批中"].tone == "info"


def test_a_returned_year_end_submission_is_the_street_staff_s_and_a_submitted_one_the_liaison_s(login, world):
    year = world["term"].start_date.year + 1
    YearReview.objects.create(term=world["term"], year=year, street_committee=world["dongsi"],
                              status=ReviewStatus.RETURNED, reviewed_at=timezone.now())
    YearReview.objects.create(term=world["term"], year=year, street_committee=world["chaoyang"],
                              status=ReviewStatus.SUBMITTED, submitted_at=timezone.now())
    staff = todo_of(login(Role.STREET_STAFF))
    returned = staff[f"{year}年度履职手册被退回,待修改后重新报送"]
    assert returned.url == reverse("oversight:review_street", args=[world["term"].pk, year, world["dongsi"].pk])
    assert login(Role.STREET_STAFF).get(returned.url).status_code == 200
    liaison = todo_of(login(Role.LIAISON_OFFICE))
    assert liaison["街工委报送的年度履职手册待审核"].count == 1
    assert login(Role.LIAISON_OFFICE).get(liaison["街工委报送的年度履职手册待审核"].url).status_code == 200


def test_a_deputy_s_progress_draws_bars_only_for_thresholds(login, world):
    unexcused_session(world, world["zhang"], 4, 2025)
    response = login(Role.DEPUTY).get(HOME)
    progress = response.context["progress"]
    assert [row["finding"].rule for row in progress["rules"]] == [
        "closed_session_activities", "group_activities", "station_receptions", "training", "lectures",
        "sc_meeting_attendance", "duty_report"]
    assert {row["finding"].rule for row in progress["actions"]} >= {"session_absence_talk"}
    text = response.content.decode()
    assert text.count('class="rp-bar"') == 7  # no bar for the absences


def test_an_approved_leave_still_to_file_is_the_filer_s_line_until_filed(login, world):
    from meetings.choices import LeaveRoute, LeaveStatus
    from meetings.services import leave_request_file
    from tests.meetings.helpers import leave_in_state

    session = factories.CongressSessionFactory(term=world["term"], number=7, name="第7次会议",
                                               start_date=dt.date(2026, 1, 8), end_date=dt.date(2026, 1, 9))
    meeting = factories.MeetingFactory(session=session, date=dt.date(2026, 1, 8), kind=MeetingKind.DELEGATION)
    leave = leave_in_state(deputy=world["zhang"], session=session, status=LeaveStatus.APPROVED,
                           route=LeaveRoute.DELEGATION_MEETING, meetings=[meeting], filed=False)
    secretariat = login(Role.SECRETARIAT)
    line = todo_of(secretariat)["请假已批准,待备案"]
    assert line.count == 1 and secretariat.get(line.url).status_code == 200
    assert "请假已批准,待备案" not in todo_of(login(Role.STREET_STAFF))
    leave_request_file(user=factories.make_user(Role.SECRETARIAT, username="sec2"), leave_request=leave)
    assert "请假已批准,待备案" not in todo_of(secretariat)
