"""Dates from 1900-01-01 to 2100-12-31 only, everywhere a date is written, always four-digit YYYY-MM-DD
(issue 17: "0115-12-27" was stored and came back as "115-12-27")."""
import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from activities.models import Activity
from dutyadmin.roles import Role
from dutyadmin.services import record_save
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(client):
    client.force_login(factories.make_user(Role.LIAISON_OFFICE))
    return client


def activity_body(term, day):
    return {"term": term.pk, "kind": "special_research", "title": "调研", "date": day, "organizer_level": "district",
            "location": "区人大"}


@pytest.mark.parametrize("day", ["0115-12-27", "1899-12-31", "2101-01-01", "115-12-27", "20240-01-01", "2024-1-5"])
def test_a_date_outside_the_range_or_not_four_digits_is_a_400_and_changes_nothing(office, term, day):
    response = office.post("/api/v1/activities/", activity_body(term, day), content_type="application/json")
    assert response.status_code == 400, response.content
    assert "date" in response.json()
    assert not Activity.objects.exists()


@pytest.mark.parametrize("day", ["1900-01-01", "2100-12-31"])
def test_the_edges_are_accepted_by_the_field(office, term, day):
    response = office.post("/api/v1/activities/", activity_body(term, day), content_type="application/json")
    assert "日期应在1900年1月1日至2100年12月31日之间" not in response.content.decode()


def test_dates_are_written_with_four_digits(office, term):
    factories.DeputyFactory(term=term, service_start=dt.date(1950, 1, 1))
    rows = office.get("/api/v1/deputies/").json()["results"]
    assert rows[0]["service_start"] == "1950-01-01"


def test_the_shared_write_path_refuses_out_of_range_dates_from_pages_and_imports(term):
    activity = Activity(term=term, kind="special_research", title="调研", date=dt.date(115, 12, 27),
                        organizer_level="district", location="区人大")
    with pytest.raises(ValidationError) as excinfo:
        record_save(activity, user=factories.make_user(Role.LIAISON_OFFICE))
    assert "1900年1月1日" in excinfo.value.message_dict["date"][0]
    assert not Activity.objects.exists()
