"""Issue 15: failed logins lock an account and an address (page, admin), the liaison office unlocks,
sessions end when idle or too old, passwords are changed with Chinese rules, 忘记密码 is explained."""
import re
import time
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.auth.signals import user_login_failed
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dutyadmin import accounts
from dutyadmin.roles import Role
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LOCKED = "登录失败次数过多，账户已暂时锁定"


def _fail(client, username="staff", times=5, **extra):
    return [client.post(reverse("login"), {"username": username, "password": "wrong"}, **extra)
            for _ in range(times)]


def _sign_in(client, username="staff", password=PASSWORD, **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def test_four_wrong_passwords_still_let_the_right_one_in(client, personas):
    assert [r.status_code for r in _fail(client, times=4)] == [200] * 4
    assert _sign_in(client).status_code == 302
    assert SESSION_KEY in client.session


def test_the_fifth_wrong_password_locks_the_account_and_says_until_when(client, personas):
    responses = _fail(client)
    assert [r.status_code for r in responses[:4]] == [200] * 4
    locked = responses[4]
    assert locked.status_code == 429
    text = locked.content.decode()
    assert LOCKED in text and "联系人大常委会代表联络室解锁" in text
    until = re.search(r"请于 (\d\d:\d\d) 后再试", text).group(1)
    expected = timezone.localtime(timezone.now() + timedelta(minutes=15))
    assert until in {expected.strftime("%H:%M"), (expected - timedelta(minutes=1)).strftime("%H:%M")}
    # Now even the right password is refused, and the page says so again.
    again = _sign_in(client)
    assert again.status_code == 429 and LOCKED in again.content.decode()
    assert SESSION_KEY not in client.session


def test_the_account_is_locked_whatever_address_the_attempts_come_from(client, personas):
    for n in range(5):
        _fail(client, times=1, REMOTE_ADDR=f"10.0.0.{n + 1}")
    assert _sign_in(Client(), REMOTE_ADDR="10.0.9.9").status_code == 429
    # Another account from the same addresses is not affected by the account lock alone.
    assert _sign_in(Client(), username="director", REMOTE_ADDR="10.0.9.8").status_code == 302


def test_an_address_trying_many_accounts_is_locked_for_every_account(client, personas):
    for name in ("a1", "a2", "a3", "a4", "a5"):
        _fail(client, username=name, times=1, REMOTE_ADDR="10.1.1.1")
    assert _sign_in(Client(), username="director", REMOTE_ADDR="10.1.1.1").status_code == 429
    # The same user from another address gets in.
    assert _sign_in(Client(), username="director", REMOTE_ADDR="10.1.1.2").status_code == 302


def test_the_lock_ends_by_itself_after_the_cool_off(client, personas):
    _fail(client)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert _sign_in(client).status_code == 302


def test_the_admin_login_is_locked_too(client, db):
    get_user_model().objects.create_superuser("root", "root@example.org", PASSWORD)
    url = reverse("admin:login")
    statuses = [client.post(url, {"username": "root", "password": "wrong"}).status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429]
    locked = client.post(url, {"username": "root", "password": PASSWORD, "next": "/admin/"})
    assert locked.status_code == 429 and LOCKED in locked.content.decode()
    assert SESSION_KEY not in client.session


def test_the_login_signals_are_sent_for_the_audit_log(client, personas):
    failed, locked = [], []

    def on_failed(sender, **kwargs):
        failed.append(kwargs["credentials"]["username"])

    def on_locked(sender, **kwargs):
        locked.append(kwargs["username"])

    user_login_failed.connect(on_failed)
    user_locked_out.connect(on_locked)
    try:
        _fail(client)
    finally:
        user_login_failed.disconnect(on_failed)
        user_locked_out.disconnect(on_locked)
    assert failed == ["staff"] * 5
    assert locked == ["staff"]


# --- the liaison office's page of lockouts --------------------------------------------------------------


def test_the_liaison_office_sees_the_lockouts_and_unlocks_an_account(login, personas, django_assert_max_num_queries):
    _fail(Client(), REMOTE_ADDR="10.2.2.2")
    office = login(Role.LIAISON_OFFICE)
    with django_assert_max_num_queries(12):
        page = office.get(reverse("lockouts"))
    text = page.content.decode()
    assert page.status_code == 200
    assert "staff" in text and "10.2.2.2" in text and "解锁" in text
    response = office.post(reverse("lockouts"), {"kind": "username", "value": "staff"}, follow=True)
    assert "已解除账户“staff”的登录锁定" in response.content.decode()
    assert _sign_in(Client(), REMOTE_ADDR="10.2.2.3").status_code == 302


def test_unlocking_an_address_lets_its_users_in_again(login, personas):
    for name in ("b1", "b2", "b3", "b4", "b5"):
        _fail(Client(), username=name, times=1, REMOTE_ADDR="10.3.3.3")
    login(Role.ADMIN).post(reverse("lockouts"), {"kind": "ip_address", "value": "10.3.3.3"})
    assert _sign_in(Client(), REMOTE_ADDR="10.3.3.3").status_code == 302


def test_the_lockout_list_searches_and_says_when_it_is_empty(login, personas):
    office = login(Role.LIAISON_OFFICE)
    assert "当前没有被锁定的账户或地址" in office.get(reverse("lockouts")).content.decode()
    _fail(Client(), REMOTE_ADDR="10.4.4.4")
    found = office.get(reverse("lockouts"), {"q": "10.4"}).content.decode()
    assert "10.4.4.4" in found and "staff</td>" not in found
    assert "没有符合条件的锁定" in office.get(reverse("lockouts"), {"q": "nobody-here"}).content.decode()


def test_a_bad_unlock_request_is_refused_with_a_message(login, personas):
    response = login(Role.LIAISON_OFFICE).post(reverse("lockouts"), {"kind": "everyone", "value": ""}, follow=True)
    assert response.status_code == 200 and "解锁请求无效" in response.content.decode()


@pytest.mark.parametrize("role", [Role.STREET_STAFF, Role.DEPUTY, Role.SECRETARIAT, Role.SC_OFFICE])
def test_others_may_not_see_or_unlock(login, personas, role):
    client = login(role)
    assert client.get(reverse("lockouts")).status_code == 403
    assert client.post(reverse("lockouts"), {"kind": "username", "value": "staff"}).status_code == 403
    assert "登录锁定" not in client.get(reverse("home")).content.decode()


def test_the_menu_offers_the_lockouts_to_the_liaison_office(login, personas):
    assert reverse("lockouts") in login(Role.LIAISON_OFFICE).get(reverse("home")).content.decode()


# --- session timeouts ------------------------------------------------------------------------------------


def _signed_in(client, personas):
    assert _sign_in(client).status_code == 302
    return client


def _age(client, key, seconds):
    session = client.session
    session[key] = time.time() - seconds
    session.save()


def test_a_session_idle_for_more_than_30_minutes_ends_with_a_message(client, personas):
    _signed_in(client, personas)
    _age(client, accounts.ACTIVE_KEY, 31 * 60)
    response = client.get(reverse("deputies:list"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert SESSION_KEY not in client.session
    page = client.get(response.url)
    assert "您已超过 30 分钟未操作，请重新登录。" in page.content.decode()


def test_a_session_used_within_30_minutes_goes_on(client, personas):
    _signed_in(client, personas)
    _age(client, accounts.ACTIVE_KEY, 29 * 60)
    assert client.get(reverse("home")).status_code == 200
    assert time.time() - client.session[accounts.ACTIVE_KEY] < 5  # the request counted as activity


def test_the_idle_minutes_are_a_setting(client, personas, settings):
    settings.DUTYADMIN_SESSION_IDLE_MINUTES = 10
    _signed_in(client, personas)
    _age(client, accounts.ACTIVE_KEY, 11 * 60)
    response = client.get(reverse("home"), follow=True)
    assert "您已超过 10 分钟未操作" in response.content.decode()


def test_a_session_ends_12_hours_after_the_login_even_when_busy(client, personas):
    _signed_in(client, personas)
    _age(client, accounts.STARTED_KEY, 12 * 3600 + 60)
    response = client.get(reverse("home"), follow=True)
    assert SESSION_KEY not in client.session
    assert "您已连续登录超过 12 小时" in response.content.decode()


def test_an_expired_session_on_the_api_is_simply_anonymous(client, personas):
    _signed_in(client, personas)
    _age(client, accounts.ACTIVE_KEY, 31 * 60)
    assert client.get("/api/v1/deputies/").status_code in (401, 403)


# --- passwords -------------------------------------------------------------------------------------------


def test_the_password_change_page_is_linked_from_the_header(login, personas):
    assert reverse("password_change") in login(Role.DEPUTY).get(reverse("home")).content.decode()


def test_a_short_or_numeric_password_is_refused_in_chinese(login, personas):
    client = login(Role.DEPUTY)
    url = reverse("password_change")
    short = client.post(url, {"old_password": PASSWORD, "new_password1": "Ab3-xyz", "new_password2": "Ab3-xyz"})
    assert short.status_code == 200
    assert "密码太短：至少需要 10 个字符。" in short.content.decode()
    numeric = client.post(url, {"old_password": PASSWORD, "new_password1": "8264913570",
                                "new_password2": "8264913570"})
    assert "你的密码不能全都是数字" in numeric.content.decode() or "密码只包含数字" in numeric.content.decode()
    wrong_old = client.post(url, {"old_password": "nope", "new_password1": "Xq7-lantern-42",
                                  "new_password2": "Xq7-lantern-42"})
    assert re.search("[\u4e00-\u9fff]", wrong_old.context["form"].errors["old_password"][0])


def test_a_user_changes_their_password_and_stays_signed_in(login, personas):
    client = login(Role.DEPUTY)
    response = client.post(reverse("password_change"), {
        "old_password": PASSWORD, "new_password1": "Xq7-lantern-42", "new_password2": "Xq7-lantern-42",
    }, follow=True)
    assert "密码已修改" in response.content.decode()
    assert client.get(reverse("home")).status_code == 200
    assert _sign_in(Client(), username="zhangdong", password="Xq7-lantern-42").status_code == 302


def test_the_password_change_page_needs_a_login(client):
    response = client.get(reverse("password_change"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_the_login_page_explains_who_resets_a_forgotten_password(client):
    login_page = client.get(reverse("login")).content.decode()
    assert reverse("password_forgotten") in login_page and "忘记密码" in login_page
    text = client.get(reverse("password_forgotten")).content.decode()
    assert "代表联络室" in text and "系统管理员" in text and "临时密码" in text and "修改密码" in text
