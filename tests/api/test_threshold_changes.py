"""threshold-changes/: the liaison office changes some thresholds from a day of the term on; no update; delete
only before the change takes effect; every user reads them."""
import datetime as dt

import pytest
from django.utils import timezone

from deputies.models import ThresholdChange
from deputies.services import threshold_change_create
from tests import factories

from .conftest import has_chinese

URL = "/api/v1/threshold-changes/"


@pytest.fixture
def liaison_user(make_user):
    return make_user("liaison_office")


@pytest.fixture
def liaison(api, liaison_user):
    return api(liaison_user)


@pytest.fixture
def future_term(db):
    """A term that runs around today, so a change can still be ahead of us."""
    today = timezone.localdate()
    return factories.TermFactory(number=30, start_date=today - dt.timedelta(days=400),
                                 end_date=today + dt.timedelta(days=800))


def body(term, **fields):
    return {"term": term.pk, "effective_from": "2026-01-01", "values": {"station_receptions": 3},
            "reason": "区人大常委会主任会议决定:2026年起每年至少接待群众3次。", **fields}


def test_the_liaison_office_records_a_change_with_who_and_when(liaison, liaison_user, term):
    response = liaison.post(URL, body(term), format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert {k: data[k] for k in ("term", "effective_from", "values")} == {
        "term": term.pk, "effective_from": "2026-01-01", "values": {"station_receptions": 3},
    }
    assert data["created_by"] == liaison_user.pk and data["created_at"]
    change = ThresholdChange.objects.get()
    assert change.created_by == liaison_user
    assert change.history.count() == 1 and change.history.get().history_user == liaison_user


def test_created_by_and_created_at_cannot_be_sent(liaison, make_user, liaison_user, term):
    other = make_user("admin")
    response = liaison.post(URL, body(term, created_by=other.pk, created_at="2020-01-01T00:00:00Z"), format="json")
    assert response.status_code == 201
    assert ThresholdChange.objects.get().created_by == liaison_user


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"effective_from": "2021-12-31"}, "effective_from"),
        ({"effective_from": "2027-01-01"}, "effective_from"),
        ({"effective_from": None}, "effective_from"),
        ({"values": {"no_such_threshold": 3}}, "values"),
        ({"values": {"station_receptions": 0}}, "values"),
        ({"values": {"station_receptions": -1}}, "values"),
        ({"values": {"station_receptions": "3"}}, "values"),
        ({"values": {}}, "values"),
        ({"values": [3]}, "values"),
        ({"reason": ""}, "reason"),
        ({"reason": "   "}, "reason"),
    ],
)
def test_bad_input_is_a_400_in_chinese_next_to_the_field_and_nothing_is_saved(liaison, term, fields, field):
    response = liaison.post(URL, body(term, **fields), format="json")
    assert response.status_code == 400
    errors = response.json()
    assert field in errors and has_chinese(errors[field]), errors
    assert not ThresholdChange.objects.exists()


def test_a_missing_reason_is_a_400(liaison, term):
    data = body(term)
    del data["reason"]
    response = liaison.post(URL, data, format="json")
    assert response.status_code == 400 and has_chinese(response.json()["reason"])


def test_an_unknown_key_is_named_in_the_message(liaison, term):
    response = liaison.post(URL, body(term, values={"no_such_threshold": 3, "training": 4}), format="json")
    assert "no_such_threshold" in str(response.json()["values"])


def test_a_change_outside_the_term_names_the_term_s_days(liaison, term):
    response = liaison.post(URL, body(term, effective_from="2027-03-01"), format="json")
    assert "2022-01-01" in str(response.json()["effective_from"])


@pytest.mark.parametrize("method", ["put", "patch"])
def test_a_change_is_never_updated(liaison, liaison_user, term, method):
    change = threshold_change_create(user=liaison_user, term=term, effective_from=dt.date(2026, 1, 1),
                                     values={"training": 4}, reason="试行")
    response = getattr(liaison, method)(f"{URL}{change.pk}/", body(term, values={"training": 9}), format="json")
    assert response.status_code == 405
    change.refresh_from_db()
    assert change.values == {"training": 4}


def test_a_change_not_yet_in_force_can_be_deleted(liaison, liaison_user, future_term):
    day = timezone.localdate() + dt.timedelta(days=1)
    change = threshold_change_create(user=liaison_user, term=future_term, effective_from=day,
                                     values={"training": 4}, reason="录入有误")
    assert liaison.delete(f"{URL}{change.pk}/").status_code == 204
    assert not ThresholdChange.objects.exists()
    assert ThresholdChange.history.filter(history_type="-").get().history_user == liaison_user


@pytest.mark.parametrize("days_ago", [0, 1, 300])
def test_a_change_in_force_cannot_be_deleted(liaison, liaison_user, future_term, days_ago):
    day = timezone.localdate() - dt.timedelta(days=days_ago)
    change = threshold_change_create(user=liaison_user, term=future_term, effective_from=day,
                                     values={"training": 4}, reason="已施行")
    response = liaison.delete(f"{URL}{change.pk}/")
    assert response.status_code == 400
    assert has_chinese(response.json()["effective_from"]) and "不能删除" in str(response.json())
    assert ThresholdChange.objects.filter(pk=change.pk).exists()


@pytest.mark.parametrize("role", ["street_staff", "secretariat", "sc_office", "deputy", "street_director"])
def test_other_roles_read_but_cannot_write(api, make_user, liaison_user, future_term, role):
    street = factories.StreetCommitteeFactory()
    deputy = factories.DeputyFactory(term=future_term, street_committee=street)
    user = make_user(role, street_committee=street, deputy=deputy if role == "deputy" else None)
    client = api(user)
    change = threshold_change_create(user=liaison_user, term=future_term,
                                     effective_from=timezone.localdate() + dt.timedelta(days=5),
                                     values={"training": 4}, reason="试行")
    listed = client.get(URL, {"term": future_term.pk})
    assert listed.status_code == 200 and [c["id"] for c in listed.json()["results"]] == [change.pk]
    assert client.post(URL, body(future_term, effective_from=str(future_term.end_date)), format="json").status_code == 403
    assert client.delete(f"{URL}{change.pk}/").status_code == 403
    assert ThresholdChange.objects.count() == 1


def test_an_admin_may_write(api, make_user, term):
    assert api(make_user("admin")).post(URL, body(term), format="json").status_code == 201


def test_anonymous_users_are_refused(api, term):
    assert api().get(URL).status_code in (401, 403)


def test_findings_carry_settings_from(liaison, liaison_user, term):
    factories.DeputyFactory(term=term)
    threshold_change_create(user=liaison_user, term=term, effective_from=dt.date(2025, 7, 1),
                            values={"station_receptions": 3}, reason="试行")
    results = liaison.get("/api/v1/findings/", {"term": term.pk, "as_of": "2026-03-01", "rule": "station_receptions",
                                                "include_met": "true"}).json()["results"]
    by_year = {r["period_start"][:4]: r for r in results}
    assert (by_year["2025"]["settings_from"], by_year["2025"]["required"]) == ("2022-01-01", 2)
    assert (by_year["2026"]["settings_from"], by_year["2026"]["required"]) == ("2025-07-01", 3)
