"""Issue 17: the bulk upserts keep the dates every write keeps (1900-01-01 … 2100-12-31). A roll call or a
participation list for a meeting or activity dated outside (a row saved before the rule) is refused with the
shared Chinese message, and nothing is saved."""
import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from activities.models import Activity, Participation
from activities.services import participation_bulk_upsert
from dutyadmin.dates import DATE_RANGE_MESSAGE
from meetings.models import Attendance, Meeting
from meetings.services import attendance_bulk_upsert
from tests import factories


@pytest.fixture
def world(db, make_user):
    term = factories.TermFactory()
    ds = factories.StreetCommitteeFactory(name="东四", code="DS")
    deputies = factories.DeputyFactory.create_batch(2, term=term, street_committee=ds)
    meeting = factories.MeetingFactory(session=factories.CongressSessionFactory(term=term))
    activity = factories.ActivityFactory(term=term, organizer_level="street_committee", street_committee=ds)
    return {"deputies": deputies, "meeting": meeting, "activity": activity,
            "secretariat": make_user("secretariat"), "street_staff": make_user("street_staff", street_committee=ds)}


def test_a_roll_call_of_a_meeting_dated_out_of_range_is_refused(api, world):
    Meeting.objects.filter(pk=world["meeting"].pk).update(date=dt.date(1899, 12, 31))  # stored before the rule
    records = [{"deputy": d.pk, "status": "present"} for d in world["deputies"]]
    response = api(world["secretariat"]).post(f"/api/v1/meetings/{world['meeting'].pk}/attendance/",
                                              {"records": records}, format="json")
    assert response.status_code == 400
    assert DATE_RANGE_MESSAGE in str(response.json()["meeting"])
    assert not Attendance.objects.exists()


def test_a_participation_list_of_an_activity_ending_out_of_range_is_refused(api, world):
    Activity.objects.filter(pk=world["activity"].pk).update(end_date=dt.date(2101, 1, 1))
    records = [{"deputy": d.pk, "confirmed": True, "outcome": "attended"} for d in world["deputies"]]
    response = api(world["street_staff"]).post(f"/api/v1/activities/{world['activity'].pk}/participations/",
                                               {"records": records}, format="json")
    assert response.status_code == 400
    assert DATE_RANGE_MESSAGE in str(response.json()["activity"]) and "结束日期" in str(response.json()["activity"])
    assert not Participation.objects.exists()


def test_the_services_refuse_alike_and_an_in_range_parent_is_saved(world):
    records = [{"deputy": world["deputies"][0].pk, "confirmed": True, "outcome": "attended"}]
    assert participation_bulk_upsert(user=world["street_staff"], activity=world["activity"],
                                     records=records)["created"] == 1
    meeting = Meeting.objects.get(pk=world["meeting"].pk)
    meeting.date = dt.date(1, 1, 15)  # a typo like 0001-01-15, as a legacy row could hold it
    with pytest.raises(ValidationError) as caught:
        attendance_bulk_upsert(user=world["secretariat"], meeting=meeting,
                               records=[{"deputy": world["deputies"][0].pk, "status": "absent"}])
    assert DATE_RANGE_MESSAGE in str(caught.value)
    assert not Attendance.objects.exists()
