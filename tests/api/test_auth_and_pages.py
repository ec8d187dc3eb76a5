"""Token login, anonymous refusal, paginated lists and the offline API docs."""
import pytest
from rest_framework.test import APIClient

from tests import factories
from tests.factories import PASSWORD

from .conftest import has_chinese


def test_a_user_exchanges_username_and_password_for_a_token_and_uses_it(db, make_user):
    user = make_user("liaison_office", username="alice")
    client = APIClient()
    response = client.post("/api/v1/auth/token/", {"username": "alice", "password": PASSWORD}, format="json")
    assert response.status_code == 200
    token = response.json()["token"]
    assert client.post("/api/v1/auth/token/", {"username": "alice", "password": PASSWORD},
                       format="json").json()["token"] == token  # the same key each time

    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/deputies/").status_code == 200
    created = client.post("/api/v1/street-committees/", {"name": "东四", "code": "DS"}, format="json")
    assert created.status_code == 201
    from deputies.models import StreetCommittee  # noqa: PLC0415

    assert StreetCommittee.objects.get(code="DS").name == "东四"
    assert user.auth_token.key == token


@pytest.mark.parametrize(
    "body",
    [
        {"username": "alice", "password": "wrong"},
        {"username": "nobody", "password": PASSWORD},
    ],
)
def test_wrong_credentials_are_a_400_with_a_chinese_message(db, make_user, body):
    make_user("deputy", username="alice")
    response = APIClient().post("/api/v1/auth/token/", body, format="json")
    assert response.status_code == 400
    assert has_chinese(response.json())
    assert "token" not in response.json()


def test_an_inactive_user_gets_no_token(db, make_user):
    user = make_user("deputy", username="bob")
    user.is_active = False
    user.save()
    response = APIClient().post("/api/v1/auth/token/", {"username": "bob", "password": PASSWORD}, format="json")
    assert response.status_code == 400


def test_a_token_request_without_fields_names_them(db):
    response = APIClient().post("/api/v1/auth/token/", {}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"username", "password"}


def test_a_bad_token_is_refused(db):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-key")
    assert client.get("/api/v1/deputies/").status_code in (401, 403)


def test_anonymous_requests_are_refused(db):
    for path in ("/api/v1/", "/api/v1/deputies/", "/api/v1/terms/"):
        assert APIClient().get(path).status_code in (401, 403)


def test_lists_are_paginated_with_a_page_size_of_at_most_1000(db, make_user):
    term = factories.TermFactory()
    street = factories.StreetCommitteeFactory()
    delegation = factories.DelegationFactory(term=term)
    factories.DeputyFactory.create_batch(1003, term=term, street_committee=street, delegation=delegation)
    client = APIClient()
    client.force_authenticate(make_user("secretariat"))

    first = client.get("/api/v1/deputies/").json()
    assert set(first) == {"count", "next", "previous", "results"}
    assert (first["count"], len(first["results"]), first["previous"]) == (1003, 50, None)
    assert "page=2" in first["next"]

    page = client.get("/api/v1/deputies/", {"page_size": 5, "page": 2}).json()
    assert len(page["results"]) == 5 and page["previous"] and page["next"]

    capped = client.get("/api/v1/deputies/", {"page_size": 5000}).json()
    assert len(capped["results"]) == 1000
    assert client.get("/api/v1/deputies/", {"page_size": 1000, "page": 2}).json()["results"].__len__() == 3


def test_the_openapi_schema_and_swagger_ui_are_served_without_a_cdn(client):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    text = schema.content.decode()
    for path in ("/api/v1/leave-requests/{id}/approve/", "/api/v1/meetings/{id}/attendance/",
                 "/api/v1/activities/{id}/participations/", "/api/v1/auth/token/", "/api/v1/contact-assignments/"):
        assert path in text
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "swagger" in html.lower()
    assert "cdn" not in html.lower() and "unpkg" not in html.lower() and "jsdelivr" not in html.lower()
