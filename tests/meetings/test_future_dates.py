"""Dates that cannot be (issue 11, part 4): attendance, outcomes and interventions after today are refused
with a reason, in every write path; an intervention dated before its finding's trigger date is saved only
after a warning (the form) or says so (the API)."""
import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from activities.choices import OrganizerLevel, Outcome
from activities.models import Participation
from activities.services import participation_bulk_upsert, participation_save
from dutyadmin.dates import chinese_date
from dutyadmin.roles import Role
from meetings.choices import AttendanceStatus, HalfDay, MeetingKind
from meetings.models import Attendance
from meetings.services import attendance_bulk_upsert, attendance_save
from oversight.findings.selectors import deputy_findings
from oversight.interventions.services import intervention_record
from oversight.models import Intervention
from tests import factories

pytestmark = pytest.mark.django_db
ONE_DAY = dt.timedelta(days=1)


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def held_today(district, today):
    """A session running today, with a meeting today and one tomorrow."""
    session = factories.CongressSessionFactory(term=district["term"], number=6, name="第十七届第六次会议",
                                               start_date=today, end_date=today + ONE_DAY)
    return {
        "today": factories.MeetingFactory(session=session, kind=MeetingKind.PLENARY, title="第一次全体会议",
                                          date=today, half_day=HalfDay.AM),
        "tomorrow": factories.MeetingFactory(session=session, kind=MeetingKind.PLENARY, title="第二次全体会议",
                                             date=today + ONE_DAY, half_day=HalfDay.AM),
    }


# --- attendance ---------------------------------------------------------------------------------


def test_attendance_for_a_meeting_today_is_saved_and_for_tomorrow_refused_with_its_date(district, people,
                                                                                         held_today, today):
    secretariat = people[Role.SECRETARIAT]
    attendance_save(user=secretariat, data={"meeting": held_today["today"], "deputy": district["zhang"],
                                            "status": AttendanceStatus.PRESENT})
    with pytest.raises(ValidationError) as caught:
        attendance_save(user=secretariat, data={"meeting": held_today["tomorrow"], "deputy": district["zhang"],
                                                "status": AttendanceStatus.PRESENT})
    expected = f"会议日期({chinese_date(today + ONE_DAY)})在今天之后,不能登记出席情况。"
    assert caught.value.message_dict["meeting"] == [expected]
    assert Attendance.objects.filter(meeting=held_today["tomorrow"]).count() == 0


def test_a_roll_call_for_a_meeting_still_to_come_is_refused_and_says_why(district, people, held_today, as_):
    records = [{"deputy": district["zhang"].pk, "status": "present"}]
    assert attendance_bulk_upsert(user=people[Role.SECRETARIAT], meeting=held_today["today"], records=records) == {
        "created": 1, "updated": 0, "unchanged": 0}
    response = as_(Role.SECRETARIAT).post(reverse("meetings:attendance_sheet", args=[held_today["tomorrow"].pk]),
                                          {f"status_{district['zhang'].pk}": "present"})
    assert response.status_code == 400
    assert "在今天之后,不能登记出席情况" in response.text
    assert not Attendance.objects.filter(meeting=held_today["tomorrow"]).exists()


def test_the_api_refuses_future_attendance_with_a_chinese_400_and_changes_nothing(district, people, held_today):
    client = api(people[Role.SECRETARIAT])
    url = f"/api/v1/meetings/{held_today['tomorrow'].pk}/attendance/"
    response = client.post(url, {"records": [{"deputy": district["zhang"].pk, "status": "present"}]}, format="json")
    assert response.status_code == 400
    assert "在今天之后" in response.content.decode()
    single = client.post("/api/v1/attendance/", {"meeting": held_today["tomorrow"].pk, "deputy": district["li"].pk,
                                                 "status": "absent"}, format="json")
    assert single.status_code == 400
    assert "在今天之后" in single.content.decode()
    assert Attendance.objects.count() == 0


# --- activity outcomes --------------------------------------------------------------------------


@pytest.fixture
def activities_now(district, today):
    def make(day):
        return factories.ActivityFactory(term=district["term"], date=day, organizer_level=OrganizerLevel.STREET_COMMITTEE,
                                         street_committee=district["dongsi"])
    return {"today": make(today), "tomorrow": make(today + ONE_DAY)}


def test_an_outcome_for_todays_activity_is_saved_and_for_tomorrows_refused(district, people, activities_now, today):
    staff = people[Role.STREET_STAFF]
    participation_save(user=staff, data={"activity": activities_now["today"], "deputy": district["zhang"],
                                         "confirmed": True, "outcome": Outcome.ATTENDED})
    with pytest.raises(ValidationError) as caught:
        participation_save(user=staff, data={"activity": activities_now["tomorrow"], "deputy": district["zhang"],
                                             "confirmed": True, "outcome": Outcome.ABSENT})
    assert caught.value.message_dict["outcome"] == [
        f"活动日期({chinese_date(today + ONE_DAY)})在今天之后,不能登记“缺席”:活动结束后再登记参加情况。"]
    # an invitation to tomorrow's activity is fine while its outcome is still 待定
    participation_save(user=staff, data={"activity": activities_now["tomorrow"], "deputy": district["li"],
                                         "confirmed": True, "outcome": Outcome.PENDING})


def test_a_bulk_of_outcomes_for_tomorrow_names_each_bad_row_and_saves_none(district, people, activities_now):
    records = [{"deputy": district["zhang"].pk, "outcome": "pending"},
               {"deputy": district["li"].pk, "outcome": "attended"}]
    with pytest.raises(ValidationError) as caught:
        participation_bulk_upsert(user=people[Role.STREET_STAFF], activity=activities_now["tomorrow"], records=records)
    rows = caught.value.error_dict["records"]
    assert [(e.params["index"], e.params["field"]) for e in rows] == [(1, "outcome")]
    assert "在今天之后" in rows[0].message
    assert not Participation.objects.exists()
    response = api(people[Role.STREET_STAFF]).post(
        f"/api/v1/activities/{activities_now['tomorrow'].pk}/participations/", {"records": records}, format="json")
    assert response.status_code == 400
    assert response.json()["records"][0]["index"] == 1 and "在今天之后" in response.json()["records"][0]["message"]
    assert not Participation.objects.exists()


# --- interventions ------------------------------------------------------------------------------


@pytest.fixture
def absent_li(district):
    """李四 absent without leave from the past session's group meeting: an A3 finding, triggered on its last day."""
    m = district["pm"]
    for meeting in m.values():
        factories.AttendanceFactory(meeting=meeting, deputy=district["li"],
                                    status=AttendanceStatus.ABSENT if meeting is m["group"] else AttendanceStatus.PRESENT)
    return district["past"].end_date


def test_an_intervention_dated_today_is_saved_and_tomorrow_refused(district, people, today):
    secretariat = people[Role.SECRETARIAT]
    intervention_record(user=secretariat, deputy=district["li"], rule="absence_notice", date=today,
                        conducted_by="大会秘书处")
    with pytest.raises(ValidationError) as caught:
        intervention_record(user=secretariat, deputy=district["li"], rule="absence_notice", date=today + ONE_DAY,
                            conducted_by="大会秘书处")
    assert "date" in caught.value.message_dict
    assert Intervention.objects.count() == 1


def test_the_api_refuses_a_future_intervention_with_a_chinese_400(district, people, today):
    response = api(people[Role.SECRETARIAT]).post("/api/v1/interventions/", {
        "deputy": district["li"].pk, "rule": "absence_notice", "kind": "notice",
        "date": (today + ONE_DAY).isoformat(), "conducted_by": "大会秘书处"}, format="json")
    assert response.status_code == 400
    assert "在今天之后" in response.json()["date"][0]
    assert not Intervention.objects.exists()


def post_form(client, district, day, **extra):
    return client.post(reverse("oversight:intervention_create"), {
        "deputy": district["li"].pk, "rule": "absence_notice", "kind": "notice", "date": day.isoformat(),
        "conducted_by": "大会秘书处", "notes": "", **extra})


def test_the_form_refuses_a_date_after_today_next_to_the_field(district, as_, today):
    response = post_form(as_(Role.SECRETARIAT), district, today + ONE_DAY)
    assert response.status_code == 200
    assert "在今天之后" in str(response.context["form"].errors["date"])
    assert not Intervention.objects.exists()


def notice_status(district, today) -> str:
    (finding,) = [f for f in deputy_findings(deputy=district["li"], as_of=today) if f.rule == "absence_notice"]
    return finding.status


def test_an_intervention_the_day_before_the_trigger_warns_and_needs_the_checkbox(district, as_, absent_li, today):
    client = as_(Role.SECRETARIAT)
    trigger = absent_li
    first = post_form(client, district, trigger - ONE_DAY)
    assert not Intervention.objects.exists()
    expected = (f"该处置日期早于触发日期{chinese_date(trigger)},保存后该提示仍为“待处置”:"
                f"处置须在触发日期当天或之后。")
    assert expected in first.text
    assert 'type="checkbox" name="confirm_early"' in first.text
    second = post_form(client, district, trigger - ONE_DAY, confirm_early="on")
    assert second.status_code == 302
    assert Intervention.objects.count() == 1
    assert notice_status(district, today) == "action_required"  # saved, and the finding stays 待处置


def test_an_intervention_on_the_trigger_day_resolves_without_a_warning(district, as_, absent_li, people, today):
    client = as_(Role.SECRETARIAT)
    response = post_form(client, district, absent_li)
    assert response.status_code == 302
    assert notice_status(district, today) == "resolved"
    saved = Intervention.objects.get()
    api_view = api(people[Role.SECRETARIAT]).patch(f"/api/v1/interventions/{saved.pk}/", {"notes": "已通报"},
                                                   format="json")
    assert api_view.json()["resolves_finding"] is True


def test_the_api_accepts_an_early_intervention_and_says_it_resolves_nothing(district, people, absent_li):
    response = api(people[Role.SECRETARIAT]).post("/api/v1/interventions/", {
        "deputy": district["li"].pk, "rule": "absence_notice", "kind": "notice",
        "date": (absent_li - ONE_DAY).isoformat(), "conducted_by": "大会秘书处"}, format="json")
    assert response.status_code == 201
    assert response.json()["resolves_finding"] is False
    on_time = api(people[Role.SECRETARIAT]).post("/api/v1/interventions/", {
        "deputy": district["li"].pk, "rule": "absence_notice", "kind": "notice",
        "date": absent_li.isoformat(), "conducted_by": "大会秘书处"}, format="json")
    assert on_time.json()["resolves_finding"] is True


def test_the_sheet_of_a_meeting_still_to_come_is_read_only_and_says_why(district, held_today, as_, today):
    client = as_(Role.SECRETARIAT)
    tomorrow = client.get(reverse("meetings:attendance_sheet", args=[held_today["tomorrow"].pk]))
    assert f"会议日期({chinese_date(today + ONE_DAY)})在今天之后,不能登记出席情况。" in tomorrow.text
    assert "保存出席情况" not in tomorrow.text
    todays = client.get(reverse("meetings:attendance_sheet", args=[held_today["today"].pk]))
    assert "保存出席情况" in todays.text and "在今天之后" not in todays.text


def test_a_meeting_or_activity_with_records_cannot_move_after_today(district, held_today, activities_now, today):
    meeting = held_today["today"]
    factories.AttendanceFactory(meeting=meeting, deputy=district["zhang"], status=AttendanceStatus.PRESENT)
    meeting.date = today + ONE_DAY
    with pytest.raises(ValidationError) as caught:
        meeting.full_clean()
    assert "日期不能改到今天之后" in str(caught.value.message_dict["date"])

    activity = activities_now["today"]
    factories.ParticipationFactory(activity=activity, deputy=district["zhang"], outcome=Outcome.ATTENDED)
    activity.date = today + ONE_DAY
    with pytest.raises(ValidationError) as caught:
        activity.full_clean()
    assert "日期不能改到今天之后" in str(caught.value.message_dict["date"])


def test_changing_a_resolving_intervention_to_before_the_trigger_warns_too(district, as_, absent_li):
    saved = factories.InterventionFactory(deputy=district["li"], rule="absence_notice", kind="notice", date=absent_li,
                                          conducted_by="大会秘书处")
    client = as_(Role.SECRETARIAT)
    edit = reverse("oversight:intervention_edit", args=[saved.pk])
    body = {"deputy": district["li"].pk, "rule": "absence_notice", "kind": "notice",
            "date": (absent_li - ONE_DAY).isoformat(), "conducted_by": "大会秘书处", "notes": ""}
    first = client.post(edit, body)
    assert first.status_code == 200 and "早于触发日期" in first.text
    saved.refresh_from_db()
    assert saved.date == absent_li
    assert client.post(edit, {**body, "confirm_early": "on"}).status_code == 302
    saved.refresh_from_db()
    assert saved.date == absent_li - ONE_DAY
