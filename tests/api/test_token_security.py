"""Issue 15: the token endpoint is locked after failed logins; tokens expire, are revoked, and end on a
password change or deactivation."""
from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import PASSWORD

from .conftest import has_chinese

pytestmark = pytest.mark.django_db
URL = "/api/v1/auth/token/"


def _token(client, username="alice", password=PASSWORD, **extra):
    return client.post(URL, {"username": username, "password": password}, format="json", **extra)


def test_five_wrong_passwords_lock_the_token_endpoint_with_a_429_in_chinese(make_user):
    make_user("liaison_office", username="alice")
    client = APIClient()
    statuses = [_token(client, password="wrong").status_code for _ in range(5)]
    assert statuses == [400, 400, 400, 400, 429]
    locked = _token(client)
    assert locked.status_code == 429
    body = locked.json()
    assert "登录失败次数过多，账户已暂时锁定" in body["detail"] and "token" not in body
    assert parse_datetime(body["locked_until"]) > timezone.now() + timedelta(minutes=14)


def test_an_address_trying_many_accounts_is_locked_on_the_api(make_user):
    make_user("deputy", username="alice")
    client = APIClient()
    for name in ("x1", "x2", "x3", "x4", "x5"):
        _token(client, username=name, password="wrong", REMOTE_ADDR="10.9.9.9")
    assert _token(client, REMOTE_ADDR="10.9.9.9").status_code == 429
    assert _token(client, REMOTE_ADDR="10.9.9.8").status_code == 200


def test_a_token_says_when_it_expires_and_is_refused_after(make_user, settings):
    make_user("secretariat", username="alice")
    client = APIClient()
    body = _token(client).json()
    expires = parse_datetime(body["expires"])
    assert timedelta(days=29, hours=23) < expires - timezone.now() <= timedelta(days=30)
    Token.objects.filter(key=body["token"]).update(created=timezone.now() - timedelta(days=31))
    client.credentials(HTTP_AUTHORIZATION=f"Token {body['token']}")
    refused = client.get("/api/v1/deputies/")
    assert refused.status_code == 401
    assert refused.json()["detail"] == "登录令牌已过期，请重新获取。"
    fresh = _token(APIClient()).json()["token"]
    assert fresh != body["token"]


def test_the_token_lifetime_is_a_setting(make_user, settings):
    settings.DUTYADMIN_API_TOKEN_DAYS = 1
    make_user("secretariat", username="alice")
    body = _token(APIClient()).json()
    assert parse_datetime(body["expires"]) - timezone.now() <= timedelta(days=1)


def test_delete_revokes_the_callers_token(make_user):
    make_user("secretariat", username="alice")
    client = APIClient()
    key = _token(client).json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.delete(URL).status_code == 204
    assert client.get("/api/v1/deputies/").status_code == 401
    assert not Token.objects.filter(key=key).exists()


def test_delete_without_a_token_is_a_401_in_chinese(db):
    response = APIClient().delete(URL)
    assert response.status_code == 401 and has_chinese(response.json())


def test_a_password_change_ends_the_users_tokens(make_user):
    user = make_user("secretariat", username="alice")
    key = _token(APIClient()).json()["token"]
    user.set_password("Xq7-lantern-42")
    user.save()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/deputies/").status_code == 401


def test_deactivating_a_user_ends_their_tokens(make_user):
    user = make_user("secretariat", username="alice")
    _token(APIClient())
    user.is_active = False
    user.save()
    assert not Token.objects.filter(user=user).exists()


def test_other_changes_to_a_user_keep_their_token(make_user):
    user = make_user("secretariat", username="alice")
    key = _token(APIClient()).json()["token"]
    user.first_name = "爱丽丝"
    user.save()
    _token(APIClient())  # a login updates last_login
    assert Token.objects.get(user=user).key == key
