"""suspensions/ and the suspension services: the liaison office records, ends and deletes a deputy's suspension
(暂时停止执行代表职务, 代表法 Art. 61); whoever sees the deputy reads it; bad input is a 400 that changes nothing."""
import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from rest_framework.test import APIClient

from deputies.models import Suspension
from deputies.services import suspension_delete, suspension_end, suspension_save
from dutyadmin.roles import Role
from tests import factories

pytestmark = pytest.mark.django_db
URL = "/api/v1/suspensions/"
REASON = "因涉嫌犯罪被羁押，依法暂时停止执行代表职务。"


def client(user) -> APIClient:
    c = APIClient()
    c.force_authenticate(user)
    return c


@pytest.fixture
def deputy(term):
    return factories.DeputyFactory(term=term, service_start=dt.date(2022, 1, 1))


@pytest.fixture
def liaison(make_user):
    return make_user("liaison_office")


@pytest.fixture
def staff(make_user, deputy):
    return make_user("street_staff", street_committee=deputy.street_committee)


def body(who, **fields):
    return {"deputy": who.pk, "start_date": "2025-03-01", "end_date": "2025-05-31", "reason": REASON, **fields}


# --- services ----------------------------------------------------------------------------------------


def test_the_liaison_office_records_a_suspension_with_who_and_history(liaison, deputy):
    suspension = suspension_save(user=liaison, deputy=deputy, start_date=dt.date(2025, 3, 1), end_date=None,
                                 reason=f"  {REASON} ")
    assert (suspension.is_open, suspension.reason, suspension.created_by) == (True, REASON, liaison)
    ended = suspension_end(user=liaison, suspension=suspension, end_date=dt.date(2025, 5, 31))
    assert ended.end_date == dt.date(2025, 5, 31)
    history = list(ended.history.order_by("history_date"))
    assert [h.end_date for h in history] == [None, dt.date(2025, 5, 31)]
    assert {h.history_user for h in history} == {liaison}
    suspension_delete(user=liaison, suspension=ended)
    assert not Suspension.objects.exists()
    assert Suspension.history.filter(history_type="-").count() == 1


def test_street_staff_may_not_record_one(staff, deputy):
    with pytest.raises(PermissionDenied):
        suspension_save(user=staff, deputy=deputy, start_date=dt.date(2025, 3, 1), end_date=None, reason=REASON)
    assert not Suspension.objects.exists()


@pytest.mark.parametrize(("start", "end", "field"), [
    (dt.date(2021, 12, 31), None, "start_date"),  # before the service period
    (dt.date(2025, 3, 1), dt.date(2025, 2, 28), "end_date"),  # ends before it starts
    (dt.date(2027, 1, 1), None, "start_date"),  # in the future
    (dt.date(2026, 11, 1), dt.date(2099, 1, 1), "end_date"),  # an end still ahead of us
])
def test_dates_outside_what_can_be_are_refused_on_their_field(liaison, deputy, start, end, field):
    with pytest.raises(ValidationError) as error:
        suspension_save(user=liaison, deputy=deputy, start_date=start, end_date=end, reason=REASON)
    assert field in error.value.message_dict
    assert not Suspension.objects.exists()


def test_a_start_after_a_resigned_deputy_s_service_is_refused(liaison, term):
    deputy = factories.DeputyFactory(term=term, status="resigned", service_end=dt.date(2024, 6, 30))
    with pytest.raises(ValidationError) as error:
        suspension_save(user=liaison, deputy=deputy, start_date=dt.date(2024, 7, 1), end_date=None, reason=REASON)
    assert "任职期间" in error.value.message_dict["start_date"][0]


def test_a_reason_is_required(liaison, deputy):
    with pytest.raises(ValidationError) as error:
        suspension_save(user=liaison, deputy=deputy, start_date=dt.date(2025, 3, 1), end_date=None, reason="  ")
    assert error.value.message_dict["reason"] == ["请填写暂停原因。"]


@pytest.mark.parametrize(("start", "end", "clash"), [
    (dt.date(2025, 5, 31), None, True),  # starts on the other's last day
    (dt.date(2025, 1, 1), dt.date(2025, 3, 1), True),  # ends on the other's first day
    (dt.date(2025, 6, 1), None, False),  # the day after
    (dt.date(2025, 1, 1), dt.date(2025, 2, 28), False),  # the day before
])
def test_two_suspensions_of_a_deputy_may_not_overlap(liaison, deputy, start, end, clash):
    factories.SuspensionFactory(deputy=deputy)  # 2025-03-01 … 2025-05-31
    if clash:
        with pytest.raises(ValidationError) as error:
            suspension_save(user=liaison, deputy=deputy, start_date=start, end_date=end, reason=REASON)
        assert "重叠" in error.value.message_dict["start_date"][0]
    else:
        suspension_save(user=liaison, deputy=deputy, start_date=start, end_date=end, reason=REASON)
        assert Suspension.objects.count() == 2


def test_an_open_suspension_overlaps_everything_after_it(liaison, deputy):
    factories.SuspensionFactory(deputy=deputy, start_date=dt.date(2025, 3, 1), end_date=None)
    with pytest.raises(ValidationError):
        suspension_save(user=liaison, deputy=deputy, start_date=dt.date(2026, 1, 1), end_date=None, reason=REASON)


# --- API ---------------------------------------------------------------------------------------------


def test_the_api_speaks_the_contract_s_field_names(liaison, deputy):
    response = client(liaison).post(URL, body(deputy, end_date=None), format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert {k: data[k] for k in ("deputy", "start_date", "end_date", "reason")} == {
        "deputy": deputy.pk, "start_date": "2025-03-01", "end_date": None, "reason": REASON,
    }
    assert data["created_by"] == liaison.pk
    response = client(liaison).patch(f"{URL}{data['id']}/", {"end_date": "2025-05-31"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["end_date"] == "2025-05-31"
    assert client(liaison).delete(f"{URL}{data['id']}/").status_code == 204


@pytest.mark.parametrize(("fields", "field"), [
    ({"reason": ""}, "reason"),
    ({"start_date": "2025-13-01"}, "start_date"),
    ({"start_date": None}, "start_date"),
    ({"start_date": "2021-06-01"}, "start_date"),
    ({"end_date": "2025-01-01"}, "end_date"),
    ({"deputy": 999999}, "deputy"),
    ({"deputy": "x"}, "deputy"),
])
def test_bad_input_is_a_400_on_its_field_and_changes_nothing(liaison, deputy, fields, field):
    response = client(liaison).post(URL, body(deputy, **fields), format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not Suspension.objects.exists()


def test_an_overlap_is_a_400(liaison, deputy):
    factories.SuspensionFactory(deputy=deputy)
    response = client(liaison).post(URL, body(deputy, start_date="2025-04-01", end_date=None), format="json")
    assert response.status_code == 400
    assert "重叠" in str(response.json())
    assert Suspension.objects.count() == 1


def test_street_staff_read_their_deputies_suspensions_but_may_not_write(staff, deputy):
    suspension = factories.SuspensionFactory(deputy=deputy)
    c = client(staff)
    listed = c.get(URL, {"deputy": deputy.pk}).json()
    assert [row["id"] for row in listed["results"]] == [suspension.pk]
    assert c.post(URL, body(deputy, start_date="2024-01-01", end_date="2024-01-31"), format="json").status_code == 403
    assert c.patch(f"{URL}{suspension.pk}/", {"reason": "改"}, format="json").status_code == 403
    assert c.delete(f"{URL}{suspension.pk}/").status_code == 403
    assert Suspension.objects.get().reason == suspension.reason


def test_staff_of_another_street_do_not_see_it(make_user, deputy):
    suspension = factories.SuspensionFactory(deputy=deputy)
    other = make_user("street_staff", street_committee=factories.StreetCommitteeFactory())
    assert client(other).get(URL).json()["count"] == 0
    assert client(other).get(f"{URL}{suspension.pk}/").status_code == 404


def test_the_list_filters_by_deputy_and_term(liaison, deputy, term):
    mine = factories.SuspensionFactory(deputy=deputy)
    other_term = factories.TermFactory(number=18, start_date=dt.date(2027, 1, 1), end_date=dt.date(2031, 12, 31))
    factories.SuspensionFactory(deputy=factories.DeputyFactory(term=term), start_date=dt.date(2024, 1, 1),
                                end_date=dt.date(2024, 2, 1))
    c = client(liaison)
    assert [r["id"] for r in c.get(URL, {"deputy": deputy.pk}).json()["results"]] == [mine.pk]
    assert c.get(URL, {"term": term.pk}).json()["count"] == 2
    assert c.get(URL, {"term": other_term.pk}).json()["count"] == 0
    assert c.get(URL, {"deputy": "x"}).status_code == 400


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_only_the_liaison_office_and_the_admin_may_write_and_everyone_in_scope_reads(make_user, deputy, role):
    factories.SuspensionFactory(deputy=deputy, start_date=dt.date(2024, 1, 1), end_date=dt.date(2024, 1, 31))
    scope = {"street_committee": deputy.street_committee} if role in ("street_staff", "street_director") else {}
    if role == "deputy":
        scope = {"deputy": deputy}
    if role == "delegation_head":
        scope = {"delegation": deputy.delegation}
    c = client(make_user(role, **scope))
    # A handling unit's staff and a standing-committee member have no deputies in view.
    assert c.get(URL).json()["count"] == (0 if role in ("handling_unit", "sc_member") else 1)
    expected = 201 if role in ("liaison_office", "admin") else 403
    assert c.post(URL, body(deputy), format="json").status_code == expected
    assert Suspension.objects.count() == (2 if expected == 201 else 1)


def test_a_suspension_cannot_be_moved_to_another_deputy(liaison, deputy, term):
    suspension = factories.SuspensionFactory(deputy=deputy)
    other = factories.DeputyFactory(term=term)
    response = client(liaison).patch(f"{URL}{suspension.pk}/", {"deputy": other.pk}, format="json")
    assert response.status_code == 400 and "deputy" in response.json()
    assert Suspension.objects.get().deputy == deputy
