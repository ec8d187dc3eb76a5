"""terms.thresholds: every key, defaults filled; a PATCH of some keys keeps the others."""
import pytest

from deputies.models import Term
from oversight.rules.catalog import DEFAULT_THRESHOLDS
from tests import factories

from .conftest import has_chinese


@pytest.fixture
def liaison(api, make_user):
    return api(make_user("liaison_office"))


def test_a_new_term_has_every_threshold_with_its_default(liaison, db):
    body = {"number": 18, "name": "第十八届", "start_date": "2027-01-01", "end_date": "2031-12-31"}
    response = liaison.post("/api/v1/terms/", body, format="json")
    assert response.status_code == 201
    assert response.json()["thresholds"] == DEFAULT_THRESHOLDS


def test_a_term_created_with_some_thresholds_gets_the_rest_by_default(liaison, db):
    body = {"number": 18, "name": "第十八届", "start_date": "2027-01-01", "end_date": "2031-12-31",
            "thresholds": {"lectures": 4}}
    response = liaison.post("/api/v1/terms/", body, format="json")
    assert response.json()["thresholds"] == {**DEFAULT_THRESHOLDS, "lectures": 4}


def test_patching_some_thresholds_keeps_the_others(liaison, db):
    term = factories.TermFactory(thresholds={**DEFAULT_THRESHOLDS, "training": 4})
    response = liaison.patch(f"/api/v1/terms/{term.pk}/", {"thresholds": {"no_contact_days": 300}}, format="json")
    assert response.status_code == 200
    expected = {**DEFAULT_THRESHOLDS, "training": 4, "no_contact_days": 300}
    assert response.json()["thresholds"] == expected
    term.refresh_from_db()
    assert term.thresholds == expected


def test_a_term_stored_with_missing_keys_reads_with_defaults(liaison, db):
    term = factories.TermFactory()
    Term.objects.filter(pk=term.pk).update(thresholds={"lectures": 7})
    thresholds = liaison.get(f"/api/v1/terms/{term.pk}/").json()["thresholds"]
    assert thresholds == {**DEFAULT_THRESHOLDS, "lectures": 7}


@pytest.mark.parametrize(
    "thresholds, key",
    [
        ({"lectures": 0}, "lectures"),
        ({"lectures": -2}, "lectures"),
        ({"lectures": "5"}, "lectures"),
        ({"lectures": 2.5}, "lectures"),
        ({"lectures": True}, "lectures"),
        ({"lectures": None}, "lectures"),
        ({"no_such_threshold": 3}, "no_such_threshold"),
    ],
)
def test_a_bad_threshold_is_a_400_naming_the_key_and_nothing_changes(liaison, db, thresholds, key):
    term = factories.TermFactory()
    before = dict(term.thresholds)
    response = liaison.patch(f"/api/v1/terms/{term.pk}/", {"thresholds": thresholds}, format="json")
    assert response.status_code == 400
    errors = response.json()["thresholds"]
    assert key in errors and has_chinese(errors[key])
    term.refresh_from_db()
    assert term.thresholds == before


@pytest.mark.parametrize("thresholds", [[1, 2], "lectures=5", 5])
def test_thresholds_must_be_an_object(liaison, db, thresholds):
    term = factories.TermFactory()
    response = liaison.patch(f"/api/v1/terms/{term.pk}/", {"thresholds": thresholds}, format="json")
    assert response.status_code == 400
    assert has_chinese(response.json()["thresholds"])


def test_only_the_liaison_office_edits_thresholds(api, make_user, db):
    term = factories.TermFactory()
    response = api(make_user("street_staff")).patch(
        f"/api/v1/terms/{term.pk}/", {"thresholds": {"lectures": 1}}, format="json"
    )
    assert response.status_code == 403
    term.refresh_from_db()
    assert term.thresholds["lectures"] == DEFAULT_THRESHOLDS["lectures"]


def test_the_days_of_notice_before_meetings_and_activities_default_to_3_and_are_editable(liaison, db):
    term = factories.TermFactory()
    assert liaison.get(f"/api/v1/terms/{term.pk}/").json()["notice_days_before"] == 3
    assert liaison.patch(f"/api/v1/terms/{term.pk}/", {"notice_days_before": 5}, format="json").status_code == 200
    term.refresh_from_db()
    assert term.notice_days_before == 5


@pytest.mark.parametrize("days", [0, -1, 91, "三", None])
def test_days_of_notice_outside_1_to_90_are_a_400_and_nothing_changes(liaison, db, days):
    term = factories.TermFactory()
    response = liaison.patch(f"/api/v1/terms/{term.pk}/", {"notice_days_before": days}, format="json")
    assert response.status_code == 400
    assert has_chinese(response.json()["notice_days_before"][0])
    term.refresh_from_db()
    assert term.notice_days_before == 3
