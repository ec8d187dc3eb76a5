"""/api/v1/users/ (issue 15): the administrator makes, changes and deactivates accounts; a role's missing or foreign
scope is a 400 in Chinese on that field; the password is write-only, validated, and its change (or a deactivation)
ends the user's tokens and sessions; every change is in the audit log; everyone else gets a 403."""
import pytest
from django.contrib.auth.models import User
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from deputies.models import UserScope
from dutyadmin.models import AuditEvent, AuditKind
from dutyadmin.roles import Role
from tests import factories
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db
URL = "/api/v1/users/"
GOOD = "Dongsi-Staff-2026!"


def has_chinese(text) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in str(text))


@pytest.fixture
def admin(make_user):
    return make_user(Role.ADMIN, username="root-admin")


@pytest.fixture
def api(admin):
    client = APIClient()
    client.force_authenticate(admin)
    return client


@pytest.fixture
def world(db):
    term = factories.TermFactory()
    street = factories.StreetCommitteeFactory(name="东四", code="DS")
    delegation = factories.DelegationFactory(term=term, name="东四代表团")
    deputy = factories.DeputyFactory(term=term, name="张三", street_committee=street, delegation=delegation)
    unit = factories.HandlingUnitFactory(name="区城管委")
    return {"term": term, "street": street, "delegation": delegation, "deputy": deputy, "unit": unit}


def body(**extra):
    return {"username": "dongsi_new", "password": GOOD, "full_name": "李四", "role": Role.LIAISON_OFFICE, **extra}


@pytest.mark.parametrize("role", [r.value for r in Role if r != Role.ADMIN])
def test_every_other_role_gets_a_403_and_changes_nothing(make_user, world, role):
    user = make_user(role, street_committee=world["street"] if role.startswith("street") else None)
    client = APIClient()
    client.force_authenticate(user)
    before = User.objects.count()
    for response in (client.get(URL), client.get(f"{URL}{user.pk}/"), client.post(URL, body(), format="json"),
                     client.patch(f"{URL}{user.pk}/", {"role": Role.ADMIN}, format="json")):
        assert response.status_code == 403
        assert has_chinese(response.json()["detail"])
    assert User.objects.count() == before
    assert not user.groups.filter(name=Role.ADMIN).exists()


def test_anonymous_gets_a_401():
    assert APIClient().get(URL).status_code == 401


def test_the_administrator_lists_every_account_with_role_and_scope_in_few_queries(api, make_user, world,
                                                                                django_assert_max_num_queries):
    make_user(Role.STREET_STAFF, username="s1", street_committee=world["street"])
    make_user(Role.DEPUTY, username="d1", deputy=world["deputy"])
    make_user(Role.HANDLING_UNIT, username="u1", handling_unit=world["unit"])
    with django_assert_max_num_queries(5):
        response = api.get(URL)
    assert response.status_code == 200
    rows = {row["username"]: row for row in response.json()["results"]}
    assert rows["s1"] == {"id": rows["s1"]["id"], "username": "s1", "full_name": "", "role": "street_staff",
                          "street_committee": world["street"].pk, "delegation": None, "deputy": None,
                          "handling_unit": None, "is_active": True}
    assert rows["d1"]["deputy"] == world["deputy"].pk and rows["u1"]["handling_unit"] == world["unit"].pk
    assert rows["root-admin"]["role"] == "admin"
    assert all("password" not in row for row in rows.values())
    assert [r["username"] for r in api.get(URL, {"role": "deputy"}).json()["results"]] == ["d1"]


def test_the_administrator_creates_a_street_staff_account_that_can_log_in(api, world):
    response = api.post(URL, body(role=Role.STREET_STAFF, street_committee=world["street"].pk), format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert "password" not in data and data["role"] == "street_staff" and data["street_committee"] == world["street"].pk
    user = User.objects.get(username="dongsi_new")
    assert user.first_name == "李四" and user.check_password(GOOD) and not user.is_staff
    assert list(user.groups.values_list("name", flat=True)) == ["street_staff"]
    assert UserScope.objects.get(user=user).street_committee == world["street"]
    assert Client().login(username="dongsi_new", password=GOOD)


@pytest.mark.parametrize("role, field", [
    (Role.STREET_STAFF, "street_committee"),
    (Role.STREET_DIRECTOR, "street_committee"),
    (Role.DEPUTY, "deputy"),
    (Role.DELEGATION_HEAD, "delegation"),
    (Role.HANDLING_UNIT, "handling_unit"),
])
def test_a_role_without_the_scope_it_needs_is_a_400_on_that_field(api, world, role, field):
    response = api.post(URL, body(role=role), format="json")
    assert response.status_code == 400
    [message] = response.json()[field]
    assert "须指定" in message and has_chinese(message)
    assert not User.objects.filter(username="dongsi_new").exists()


def test_a_scope_the_role_does_not_use_is_a_400(api, world):
    response = api.post(URL, body(role=Role.LIAISON_OFFICE, street_committee=world["street"].pk,
                                  deputy=world["deputy"].pk), format="json")
    assert response.status_code == 400
    errors = response.json()
    assert "不使用人大街工委" in errors["street_committee"][0] and "不使用代表" in errors["deputy"][0]
    assert not User.objects.filter(username="dongsi_new").exists()


def test_a_delegation_head_may_name_their_own_deputy_of_that_delegation(api, world):
    other = factories.DelegationFactory(term=world["term"], name="朝阳门代表团")
    wrong = api.post(URL, body(role=Role.DELEGATION_HEAD, delegation=other.pk, deputy=world["deputy"].pk),
                     format="json")
    assert wrong.status_code == 400 and "不是朝阳门代表团的代表" in wrong.json()["deputy"][0]
    right = api.post(URL, body(role=Role.DELEGATION_HEAD, delegation=world["delegation"].pk,
                               deputy=world["deputy"].pk), format="json")
    assert right.status_code == 201


def test_a_deputy_already_linked_to_an_account_is_a_400(api, make_user, world):
    make_user(Role.DEPUTY, username="zhangsan", deputy=world["deputy"])
    response = api.post(URL, body(role=Role.DEPUTY, deputy=world["deputy"].pk), format="json")
    assert response.status_code == 400 and "已关联账户“zhangsan”" in response.json()["deputy"][0]


@pytest.mark.parametrize("password, words", [
    ("short1!", "至少需要 10 个字符"),
    ("12345678901234", "只包含数字"),
    ("password1234", "太常见"),
])
def test_the_password_is_validated_by_djangos_validators_in_chinese(api, world, password, words):
    response = api.post(URL, body(password=password), format="json")
    assert response.status_code == 400
    assert any(words in message for message in response.json()["password"]), response.json()
    assert not User.objects.filter(username="dongsi_new").exists()


def test_a_new_account_needs_a_password_and_a_known_role_and_a_free_username(api, admin, world):
    response = api.post(URL, {"username": "Root-Admin", "role": "boss"}, format="json")
    assert response.status_code == 400
    assert "role" in response.json()
    response = api.post(URL, {"username": "Root-Admin", "role": Role.SC_OFFICE}, format="json")
    errors = response.json()
    assert "已被使用" in errors["username"][0] and errors["password"] == ["请设置密码。"]


def test_the_administrator_changes_role_and_scope_and_the_old_scope_is_cleared(api, make_user, world):
    user = make_user(Role.STREET_STAFF, username="s1", street_committee=world["street"])
    response = api.patch(f"{URL}{user.pk}/", {"role": Role.HANDLING_UNIT, "handling_unit": world["unit"].pk},
                         format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["street_committee"] is None and response.json()["handling_unit"] == world["unit"].pk
    assert list(user.groups.values_list("name", flat=True)) == ["handling_unit"]
    # a new role that needs a scope the request does not give is refused, nothing changed
    refused = api.patch(f"{URL}{user.pk}/", {"role": Role.DEPUTY}, format="json")
    assert refused.status_code == 400 and "须指定代表" in refused.json()["deputy"][0]
    assert list(user.groups.values_list("name", flat=True)) == ["handling_unit"]


def test_a_password_change_ends_the_users_tokens_and_sessions_and_is_audited(api, admin, make_user):
    user = make_user(Role.SECRETARIAT, username="sec1")
    token = Token.objects.create(user=user)
    browser = Client()
    assert browser.login(username="sec1", password=PASSWORD)
    assert browser.get("/api/v1/deputies/").status_code == 200
    response = api.patch(f"{URL}{user.pk}/", {"password": GOOD}, format="json")
    assert response.status_code == 200 and "password" not in response.json()
    assert not Token.objects.filter(pk=token.pk).exists()
    with_token = APIClient()
    with_token.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert with_token.get("/api/v1/deputies/").status_code == 401
    assert browser.get("/api/v1/deputies/").status_code in (401, 403)  # the old session is over
    user.refresh_from_db()
    assert user.check_password(GOOD)
    [event] = AuditEvent.objects.filter(kind=AuditKind.PASSWORD_CHANGED)
    assert event.user == admin and event.detail["subject"] == "sec1"
    assert GOOD not in str(AuditEvent.objects.values_list("detail", flat=True))


def test_an_empty_or_weak_new_password_is_a_400_and_keeps_the_old_one(api, make_user):
    user = make_user(Role.SECRETARIAT, username="sec1")
    for password in ("", "abc"):
        response = api.patch(f"{URL}{user.pk}/", {"password": password}, format="json")
        assert response.status_code == 400 and has_chinese(response.json()["password"])
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_deactivation_ends_tokens_and_sessions_and_is_audited(api, admin, make_user):
    user = make_user(Role.SECRETARIAT, username="sec1")
    token = Token.objects.create(user=user)
    browser = Client()
    browser.login(username="sec1", password=PASSWORD)
    response = api.patch(f"{URL}{user.pk}/", {"is_active": False}, format="json")
    assert response.status_code == 200 and response.json()["is_active"] is False
    assert not Token.objects.filter(pk=token.pk).exists()
    assert browser.get("/api/v1/deputies/").status_code in (401, 403)
    assert not Client().login(username="sec1", password=PASSWORD)
    [event] = AuditEvent.objects.filter(kind=AuditKind.USER_DEACTIVATED)
    assert event.user == admin and event.detail["subject_id"] == user.pk


def test_creation_role_and_scope_are_audited_with_the_administrator(api, admin, world):
    api.post(URL, body(role=Role.STREET_STAFF, street_committee=world["street"].pk), format="json")
    user = User.objects.get(username="dongsi_new")
    for kind in (AuditKind.USER_CREATED, AuditKind.GROUPS_CHANGED, AuditKind.SCOPE_CHANGED):
        [event] = [e for e in AuditEvent.objects.filter(kind=kind) if e.detail.get("subject_id") == user.pk]
        assert event.user == admin


def test_an_account_is_never_deleted(api, make_user):
    user = make_user(Role.SECRETARIAT, username="sec1")
    assert api.delete(f"{URL}{user.pk}/").status_code == 405
    assert User.objects.filter(pk=user.pk).exists()


def test_the_administrator_cannot_lock_themselves_out(api, admin):
    response = api.patch(f"{URL}{admin.pk}/", {"is_active": False, "role": Role.SECRETARIAT}, format="json")
    assert response.status_code == 400
    assert response.json()["is_active"] == ["不能停用自己的账户。"]
    assert response.json()["role"] == ["不能取消自己的系统管理员角色。"]


def test_only_a_superuser_changes_a_superuser(api, make_user):
    boss = make_user(Role.ADMIN, username="boss", superuser=True)
    response = api.patch(f"{URL}{boss.pk}/", {"password": GOOD}, format="json")
    assert response.status_code == 403
    boss.refresh_from_db()
    assert boss.check_password(PASSWORD)


def test_the_schema_documents_the_users_endpoint_with_a_write_only_password(api):
    schema = api.get("/api/schema/", {"format": "json"})
    assert schema.status_code == 200
    data = schema.json()
    assert "/api/v1/users/" in data["paths"] and "delete" not in data["paths"]["/api/v1/users/{id}/"]
    components = data["components"]["schemas"]
    assert components["User"]["properties"]["password"]["writeOnly"] is True
    assert components["RoleEnum"]["enum"] == [r.value for r in Role]
