"""Approval locks the year's records of the street (Art. 8(二)): pages, API and bulk services refuse with a
clear Chinese message; another year or street is unaffected; after a reopen the edits go through."""
import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from activities.choices import ActivityKind, Outcome
from activities.models import Participation
from activities.services import activity_save, participation_bulk_upsert, participation_save
from dutyadmin.roles import Role
from dutyadmin.services import record_delete
from meetings.choices import ContributionKind, HalfDay, MeetingKind
from meetings.models import Attendance, Contribution
from meetings.services import attendance_bulk_upsert
from oversight.models import Intervention
from oversight.review.services import year_review_approve, year_review_open, year_review_reopen, year_review_submit
from tests import factories

LOCKED = "东四2024年度的履职记录已由代表联络机构审核通过并锁定"


@pytest.fixture
def locked(world, personas):
    """东四's 2024 approved by the liaison office; records of 张东 in 2024 and 2025, of 王朝 in 2024."""
    term, zhang = world["term"], world["zhang"]
    a2024 = factories.ActivityFactory(term=term, kind=ActivityKind.INSPECTION, date=dt.date(2024, 5, 1),
                                      title="2024年视察")
    a2025 = factories.ActivityFactory(term=term, kind=ActivityKind.INSPECTION, date=dt.date(2025, 5, 1),
                                      title="2025年视察")
    records = {
        "activity": a2024, "activity_2025": a2025,
        "participation": factories.ParticipationFactory(activity=a2024, deputy=zhang, outcome=Outcome.ATTENDED),
        "participation_2025": factories.ParticipationFactory(activity=a2025, deputy=zhang),
        "participation_wang": factories.ParticipationFactory(activity=a2024, deputy=world["wang"]),
        "contribution": factories.ContributionFactory(deputy=zhang, kind=ContributionKind.SUGGESTION,
                                                      date=dt.date(2024, 8, 1), title="关于停车难的建议"),
        "intervention": factories.InterventionFactory(deputy=zhang, rule="absence_notice", kind="notice",
                                                      date=dt.date(2024, 1, 20), conducted_by="大会秘书处"),
        "meeting": factories.MeetingFactory(session=world["session"], kind=MeetingKind.PLENARY,
                                            date=dt.date(2024, 1, 10), half_day=HalfDay.AM),
    }
    review = year_review_open(term=term, year=2024, street_committee=world["dongsi"])
    year_review_submit(user=personas[Role.STREET_STAFF], review=review, today=dt.date(2026, 3, 1))
    year_review_approve(user=personas[Role.LIAISON_OFFICE], review=review)
    records["review"] = review
    return records


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def message(response) -> str:
    return str(response.json())


# --- services -------------------------------------------------------------------------------------


def test_the_shared_write_path_refuses_a_change_in_the_locked_year(personas, locked):
    staff = personas[Role.STREET_STAFF]
    with pytest.raises(ValidationError) as error:
        participation_save(user=personas[Role.LIAISON_OFFICE], participation=locked["participation"],
                           data={"outcome": Outcome.ABSENT})
    assert LOCKED in str(error.value)
    with pytest.raises(ValidationError):
        record_delete(locked["contribution"], user=staff)
    locked["participation"].refresh_from_db()
    assert locked["participation"].outcome == Outcome.ATTENDED and Contribution.objects.filter(
        pk=locked["contribution"].pk).exists()


def test_moving_a_record_out_of_the_locked_year_is_refused_too(personas, locked):
    contribution = locked["contribution"]
    contribution.date = dt.date(2025, 1, 5)
    with pytest.raises(ValidationError):
        from meetings.services import contribution_save

        contribution_save(user=personas[Role.STREET_STAFF], contribution=contribution)


def test_another_year_and_another_street_stay_open(personas, locked):
    participation_save(user=personas[Role.LIAISON_OFFICE], participation=locked["participation_2025"],
                       data={"outcome": Outcome.EXCUSED})
    participation_save(user=personas[Role.LIAISON_OFFICE], participation=locked["participation_wang"],
                       data={"outcome": Outcome.EXCUSED})
    assert Participation.objects.filter(outcome=Outcome.EXCUSED).count() == 2


def test_the_bulk_services_refuse_the_locked_year(world, personas, locked):
    with pytest.raises(ValidationError) as error:
        attendance_bulk_upsert(user=personas[Role.SECRETARIAT], meeting=locked["meeting"],
                               records=[{"deputy": world["zhang"].pk, "status": "present"}])
    assert LOCKED in str(error.value)
    with pytest.raises(ValidationError):
        participation_bulk_upsert(user=personas[Role.LIAISON_OFFICE], activity=locked["activity"],
                                  records=[{"deputy": world["li"].pk, "outcome": "attended"}])
    assert not Attendance.objects.exists()
    # 朝阳门 is not locked: its roll call goes through.
    attendance_bulk_upsert(user=personas[Role.SECRETARIAT], meeting=locked["meeting"],
                           records=[{"deputy": world["wang"].pk, "status": "present"}])


def test_an_activity_with_a_locked_participant_cannot_change(personas, locked):
    with pytest.raises(ValidationError):
        activity_save(user=personas[Role.LIAISON_OFFICE], activity=locked["activity"], data={"title": "改名"})
    activity_save(user=personas[Role.LIAISON_OFFICE], activity=locked["activity_2025"], data={"title": "改名"})


def test_reopening_lets_the_edit_through(personas, locked):
    year_review_reopen(user=personas[Role.LIAISON_OFFICE], review=locked["review"], reason="更正一条参加记录")
    participation_save(user=personas[Role.LIAISON_OFFICE], participation=locked["participation"],
                       data={"outcome": Outcome.ABSENT})
    locked["participation"].refresh_from_db()
    assert locked["participation"].outcome == Outcome.ABSENT


# --- the API ----------------------------------------------------------------------------------------


def test_the_api_refuses_edits_in_the_locked_year_with_a_400_in_chinese(world, personas, locked):
    liaison, secretariat = api(personas[Role.LIAISON_OFFICE]), api(personas[Role.SECRETARIAT])
    response = liaison.patch(f"/api/v1/participations/{locked['participation'].pk}/", {"outcome": "absent"},
                             format="json")
    assert response.status_code == 400 and LOCKED in message(response)
    response = liaison.post("/api/v1/contributions/", {
        "deputy": world["zhang"].pk, "kind": "suggestion", "date": "2024-09-01", "title": "补录的建议"}, format="json")
    assert response.status_code == 400 and LOCKED in message(response)
    response = liaison.delete(f"/api/v1/interventions/{locked['intervention'].pk}/")
    assert response.status_code == 400 and LOCKED in message(response)
    response = secretariat.post(f"/api/v1/meetings/{locked['meeting'].pk}/attendance/",
                                {"records": [{"deputy": world["zhang"].pk, "status": "absent"}]}, format="json")
    assert response.status_code == 400 and LOCKED in message(response)
    response = liaison.post(f"/api/v1/activities/{locked['activity'].pk}/participations/",
                            {"records": [{"deputy": world["li"].pk, "outcome": "attended"}]}, format="json")
    assert response.status_code == 400 and LOCKED in message(response)
    assert Intervention.objects.filter(pk=locked["intervention"].pk).exists()


def test_the_api_accepts_the_edit_after_a_reopen(world, personas, locked):
    year_review_reopen(user=personas[Role.LIAISON_OFFICE], review=locked["review"], reason="补录")
    response = api(personas[Role.LIAISON_OFFICE]).patch(
        f"/api/v1/participations/{locked['participation'].pk}/", {"outcome": "absent"}, format="json")
    assert response.status_code == 200 and response.json()["outcome"] == "absent"


# --- pages ------------------------------------------------------------------------------------------


def test_a_page_form_shows_the_lock_above_the_form(login, world, locked):
    contribution = locked["contribution"]
    response = login(Role.STREET_STAFF).post(f"/meetings/contributions/{contribution.pk}/edit/", {
        "deputy": world["zhang"].pk, "session": "", "kind": "suggestion", "date": "2024-08-01", "title": "改过的标题",
    })
    assert response.status_code in (200, 400)
    assert LOCKED in response.content.decode()
    contribution.refresh_from_db()
    assert contribution.title == "关于停车难的建议"


def test_the_intervention_page_refuses_a_new_record_in_the_locked_year(login, world, locked):
    response = login(Role.LIAISON_OFFICE).post("/oversight/interventions/new/", {
        "deputy": world["zhang"].pk, "rule": "no_contact_talk", "kind": "talk", "date": "2024-11-02",
        "conducted_by": "东四街工委主任", "notes": "",
    })
    assert LOCKED in response.content.decode()
    assert Intervention.objects.count() == 1
    response = login(Role.LIAISON_OFFICE).post("/oversight/interventions/new/", {
        "deputy": world["zhang"].pk, "rule": "no_contact_talk", "kind": "talk", "date": "2025-02-02",
        "conducted_by": "东四街工委主任", "notes": "",
    })
    assert response.status_code == 302 and Intervention.objects.count() == 2
