"""The audit log (issue 15): each source writes exactly one event with the right user, ip and detail; a password
never reaches it; only the administrator sees /audit/; it is not part of the records' history."""
import datetime as dt
import io
import json

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from dutyadmin import audit
from dutyadmin.models import AuditEvent, AuditKind, ExportJob, ExportStatus
from dutyadmin.roles import Role
from dutyadmin.tasks import audit_prune
from tests.factories import PASSWORD, StreetCommitteeFactory

pytestmark = pytest.mark.django_db
IP = "203.0.113.7"
UA = "Mozilla/5.0 (audit test) " + "x" * 400


def browser():
    return Client(REMOTE_ADDR=IP, HTTP_USER_AGENT=UA)


def events(kind):
    return list(AuditEvent.objects.filter(kind=kind))


def no_secret(event):
    text = json.dumps(event.detail, ensure_ascii=False)
    assert PASSWORD not in text and "pbkdf2" not in text and "password" not in text.lower()


def test_a_login_is_one_event_with_the_user_ip_and_agent(make_user):
    user = make_user(Role.LIAISON_OFFICE, username="lo1")
    response = browser().post("/accounts/login/", {"username": "lo1", "password": PASSWORD})
    assert response.status_code == 302
    [event] = events(AuditKind.LOGIN)
    assert event.user == user and event.username == "lo1" and event.ip == IP
    assert event.user_agent == UA[:200] and event.path == "/accounts/login/" and event.method == "POST"
    assert not events(AuditKind.USER_CHANGED)  # last_login is not a user change
    no_secret(event)


def test_a_failed_login_keeps_the_username_attempted_not_the_password(make_user):
    make_user(Role.LIAISON_OFFICE, username="lo1")
    response = browser().post("/accounts/login/", {"username": "lo1", "password": "wrong-secret-42"})
    assert response.status_code == 200
    [event] = events(AuditKind.LOGIN_FAILED)
    assert event.user is None and event.username == "lo1" and event.ip == IP
    assert event.detail == {"attempted": "lo1"}
    assert "wrong-secret-42" not in json.dumps(event.detail)


def test_a_logout_is_one_event(make_user):
    user = make_user(Role.LIAISON_OFFICE)
    client = browser()
    client.force_login(user)
    client.post("/accounts/logout/")
    [event] = events(AuditKind.LOGOUT)
    assert event.user == user and event.ip == IP


def test_a_lockout_from_django_axes_is_one_event(make_user, rf):
    user = make_user(Role.DEPUTY, username="dep1")
    request = rf.post("/accounts/login/", REMOTE_ADDR=IP)
    if apps.is_installed("axes"):
        from axes.signals import user_locked_out  # noqa: PLC0415 - axes' models need the app installed
        user_locked_out.send("axes", request=request, username="dep1", ip_address=IP)
    else:
        audit.on_locked_out("axes", request=request, username="dep1", ip_address=IP)
    [event] = events(AuditKind.LOCKOUT)
    assert event.user == user and event.username == "dep1" and event.ip == IP


def test_a_page_403_is_one_event_with_the_path_and_reason(make_user):
    user = make_user(Role.DEPUTY)
    client = browser()
    client.force_login(user)
    assert client.get("/audit/").status_code == 403
    [event] = events(AuditKind.PERMISSION_DENIED)
    assert event.user == user and event.path == "/audit/" and event.method == "GET" and event.ip == IP
    assert event.detail["reason"] == "只有系统管理员可以查看审计日志。"


def test_an_api_403_is_one_event(make_user):
    user = make_user(Role.DEPUTY)
    client = APIClient(REMOTE_ADDR=IP)
    client.force_authenticate(user)
    response = client.post("/api/v1/deputies/", {"name": "x"}, format="json")
    assert response.status_code == 403
    [event] = events(AuditKind.PERMISSION_DENIED)
    assert event.user == user and event.path == "/api/v1/deputies/" and event.detail["api"] is True


def test_an_export_is_one_event_naming_the_exporter_and_filters(make_user, celery_in_process):
    street = StreetCommitteeFactory()
    user = make_user(Role.LIAISON_OFFICE)
    client = browser()
    client.force_login(user)
    response = client.post("/exports/roster/", {"q": "王", "street_committee": street.pk})
    assert response.status_code == 302
    [event] = events(AuditKind.EXPORT)
    assert event.user == user and event.detail["exporter"] == "roster" and event.detail["name"] == "代表名册"
    assert event.detail["filters"]["q"] == "王" and event.path == "/exports/roster/"


def test_user_changes_password_deactivation_groups_scope_and_tokens(make_user):
    admin = make_user(Role.ADMIN, username="boss")
    created = events(AuditKind.USER_CREATED)
    assert [e.detail["subject"] for e in created] == ["boss"]
    user = User.objects.create_user("clerk", password="first-secret-1")
    assert [e.detail["subject"] for e in events(AuditKind.USER_CREATED)] == ["clerk", "boss"]  # newest first

    user.email = "clerk@example.org"
    user.first_name = "张"
    user.save()
    [changed] = events(AuditKind.USER_CHANGED)
    assert changed.detail["changed"] == {"email": ["", "clerk@example.org"], "first_name": ["", "张"]}

    user.set_password("second-secret-2")
    user.save()
    [password] = events(AuditKind.PASSWORD_CHANGED)
    assert password.detail == {"subject": "clerk", "subject_id": user.pk}
    assert len(events(AuditKind.USER_CHANGED)) == 1  # a password change is only "password changed"

    user.is_active = False
    user.save()
    [deactivated] = events(AuditKind.USER_DEACTIVATED)
    assert deactivated.detail["subject"] == "clerk"
    assert len(events(AuditKind.USER_CHANGED)) == 1

    group = Group.objects.get_or_create(name=Role.STREET_STAFF)[0]
    before = len(events(AuditKind.GROUPS_CHANGED))
    user.groups.add(group)
    user.groups.remove(group)
    added, removed = events(AuditKind.GROUPS_CHANGED)[::-1][before:]
    assert added.detail["added"] == [Role.STREET_STAFF] and removed.detail["removed"] == [Role.STREET_STAFF]

    scope = user.scope if hasattr(user, "scope") else None
    assert scope is None
    scope = type(admin.scope).objects.create(user=user)
    street = StreetCommitteeFactory()
    scope.street_committee = street
    scope.save()
    last = AuditEvent.objects.filter(kind=AuditKind.SCOPE_CHANGED, detail__subject="clerk").first()
    assert last.detail["changed"] == {"street_committee_id": [None, street.pk]} and last.detail["created"] is False

    token = Token.objects.create(user=user)
    token.delete()
    assert len(events(AuditKind.TOKEN_CREATED)) == 1 and len(events(AuditKind.TOKEN_REVOKED)) == 1
    for event in AuditEvent.objects.all():
        no_secret(event)
        assert "secret" not in json.dumps(event.detail)


def test_a_change_made_on_a_page_names_who_did_it(make_user):
    admin = make_user(Role.ADMIN, username="boss", superuser=True)
    target = make_user(Role.DEPUTY, username="dep1")
    client = browser()
    client.force_login(admin)
    response = client.post(f"/admin/auth/user/{target.pk}/password/",
                           {"password1": "Brand-new-pass-9", "password2": "Brand-new-pass-9", "usable_password": "true"})
    assert response.status_code == 302
    [event] = events(AuditKind.PASSWORD_CHANGED)
    assert event.user == admin and event.detail["subject"] == "dep1" and event.ip == IP
    assert "Brand-new-pass-9" not in json.dumps(event.detail)


def test_record_drops_secrets_a_caller_passes():
    event = audit.record(AuditKind.EXPORT, filters={"q": "x", "password": "p", "api_token": "t"}, name="n")
    assert event.detail == {"filters": {"q": "x"}, "name": "n"}


def test_a_deleted_user_leaves_their_username():
    user = User.objects.create_user("gone")
    audit.record(AuditKind.LOGIN, user=user)
    user.delete()
    event = AuditEvent.objects.get(kind=AuditKind.LOGIN)
    assert event.user is None and event.username == "gone"


def test_the_app_cannot_change_or_delete_an_event():
    event = audit.record(AuditKind.LOGIN_FAILED, username="x")
    event.username = "y"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.update(username="z")
    assert AuditEvent.objects.get().username == "x"


def test_prune_deletes_only_the_events_older_than_the_retention(settings):
    settings.AUDIT_RETENTION_DAYS = 30
    audit.record(AuditKind.LOGIN_FAILED, username="old")
    AuditEvent.objects.bulk_create([AuditEvent(kind=AuditKind.LOGIN_FAILED, username="older",
                                               at=timezone.now() - dt.timedelta(days=31))])
    assert audit_prune() == 1
    assert list(AuditEvent.objects.values_list("username", flat=True)) == ["old"]
    call_command("prune_audit", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert AuditEvent.objects.count() == 1


def test_the_audit_is_not_in_the_records_history():
    assert not hasattr(AuditEvent, "history")
    historical = [m for m in apps.get_models() if m.__name__.startswith("Historical")]
    assert historical and all("audit" not in m._meta.db_table for m in historical)
    counts = {m: m.objects.count() for m in historical}
    audit.record(AuditKind.LOGIN_FAILED, username="x")
    assert {m: m.objects.count() for m in historical} == counts


@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.ADMIN])
def test_the_page_is_for_the_administrator_only(make_user, role):
    client = Client()
    client.force_login(make_user(role))
    assert client.get("/audit/").status_code == 403


def test_anonymous_is_sent_to_login():
    response = Client().get("/audit/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_admin_filters_searches_and_pages_newest_first(make_user, django_assert_max_num_queries):
    admin = make_user(Role.ADMIN, username="boss")
    now = timezone.now()
    AuditEvent.objects.bulk_create(
        [AuditEvent(kind=AuditKind.LOGIN_FAILED, username=f"u{i}", ip=IP, at=now - dt.timedelta(minutes=i))
         for i in range(60)]
        + [AuditEvent(kind=AuditKind.EXPORT, username="boss", user=admin, path="/exports/roster/",
                      detail={"name": "代表名册"}, at=now - dt.timedelta(days=10))])
    client = Client()
    client.force_login(admin)
    with django_assert_max_num_queries(8):
        response = client.get("/audit/")
    page = response.content.decode()
    assert response.status_code == 200 and "审计日志" in page and "共 <b>" in page
    assert page.index("u0") < page.index("u1<")
    with django_assert_max_num_queries(8):
        response = client.get("/audit/?page=2")
    assert response.status_code == 200
    response = client.get("/audit/?kind=export")
    assert "导出:</span>代表名册" in response.content.decode() and "u0" not in response.content.decode()
    day = (now - dt.timedelta(days=10)).date().isoformat()
    response = client.get(f"/audit/?start={day}&end={day}")
    assert "代表名册" in response.content.decode() and "u0<" not in response.content.decode()
    response = client.get("/audit/?q=roster")
    assert "代表名册" in response.content.decode()
    response = client.get("/audit/?user=nobody-like-this")
    assert "没有符合条件的审计记录" in response.content.decode()


def test_bad_filters_are_a_400_next_to_the_field(make_user):
    client = Client()
    client.force_login(make_user(Role.ADMIN))
    response = client.get("/audit/?start=2026-05-01&end=2026-04-01")
    assert response.status_code == 400 and "截止日期不能早于起始日期" in response.content.decode()
    response = client.get("/audit/?start=soon&kind=nothing")
    assert response.status_code == 400


def test_the_admin_has_a_menu_entry_and_others_do_not(make_user):
    client = Client()
    client.force_login(make_user(Role.ADMIN))
    assert 'href="/audit/"' in client.get("/").content.decode()
    client.force_login(make_user(Role.LIAISON_OFFICE))
    assert 'href="/audit/"' not in client.get("/").content.decode()


def test_the_admin_exports_the_filtered_log_to_excel_and_others_may_not(make_user, celery_in_process,
                                                                        django_capture_on_commit_callbacks):
    admin = make_user(Role.ADMIN, username="boss")
    audit.record(AuditKind.LOGIN_FAILED, username="intruder", attempted="intruder")
    client = Client()
    client.force_login(admin)
    page = client.get("/audit/?kind=login_failed").content.decode()
    assert 'href="/exports/audit_log/?kind=login_failed"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/exports/audit_log/", {"kind": "login_failed"})
    assert response.status_code == 302
    job = ExportJob.objects.get()
    assert job.status == ExportStatus.DONE and job.rows == 1
    sheet = load_workbook(io.BytesIO(client.get(f"/exports/jobs/{job.pk}/download/").getvalue())).worksheets[0]
    values = [value for row in sheet.iter_rows(values_only=True) for value in row]
    assert "intruder" in values and "登录失败" in values
    [event] = events(AuditKind.EXPORT)
    assert event.detail["exporter"] == "audit_log" and event.detail["filters"] == {"kind": "login_failed"}
    other = Client()
    other.force_login(make_user(Role.LIAISON_OFFICE))
    assert other.get("/exports/audit_log/").status_code == 403


@pytest.mark.skipif(not apps.is_installed("axes"), reason="django-axes is not in INSTALLED_APPS on this branch")
def test_a_real_lockout_is_one_lockout_event(make_user, settings):
    settings.AXES_FAILURE_LIMIT = 2
    make_user(Role.DEPUTY, username="dep1")
    client = browser()
    for _ in range(2):  # the second failure locks the account out (each later attempt is refused again)
        client.post("/accounts/login/", {"username": "dep1", "password": "wrong"})
    [event] = events(AuditKind.LOCKOUT)
    assert event.username == "dep1" and event.ip == IP
