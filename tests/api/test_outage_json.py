"""When the database cannot be reached the API answers JSON 503 with a retry hint, never an HTML page or a
traceback (issue 17); the health check says which service is down."""
import pytest
from django.db import OperationalError, connection

from dutyadmin.roles import Role
from tests import factories

pytestmark = pytest.mark.django_db


def refuse(execute, sql, params, many, context):
    raise OperationalError("connection to server at \"127.0.0.1\", port 5432 failed: Connection refused")


@pytest.fixture
def api_client(client):
    user = factories.make_user(Role.LIAISON_OFFICE)
    client.force_login(user)
    client.get("/api/v1/deputies/")  # the session and user are read once while the database is up
    client.raise_request_exception = False  # answer as a real client sees it
    return client


@pytest.mark.parametrize("path", ["/api/v1/deputies/", "/api/v1/findings/", "/api/v1/leave-requests/"])
def test_an_unreachable_database_is_a_json_503_with_retry_after(api_client, path, settings):
    settings.DEBUG = True  # even in dev: a client expects JSON, the traceback goes to the log
    with connection.execute_wrapper(refuse):
        response = api_client.get(path)
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response["Retry-After"] == "30"
    body = response.json()
    assert body["code"] == "service_unavailable" and "稍后重试" in body["detail"]
    assert "Traceback" not in response.content.decode() and "5432" not in response.content.decode()


def test_a_write_during_an_outage_is_a_503_too(api_client):
    with connection.execute_wrapper(refuse):
        response = api_client.post("/api/v1/street-committees/", {"name": "新街道", "code": "X1"},
                                   content_type="application/json")
    assert response.status_code == 503 and response.json()["code"] == "service_unavailable"


def test_pages_keep_djangos_own_handling(client):
    client.force_login(factories.make_user(Role.LIAISON_OFFICE))
    client.get("/deputies/")
    client.raise_request_exception = True
    with connection.execute_wrapper(refuse), pytest.raises(OperationalError):
        client.get("/deputies/")
