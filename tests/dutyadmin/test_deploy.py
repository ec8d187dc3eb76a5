"""Issue 15 part 5: `check --deploy` is clean with the production settings; pages carry a CSP and no inline script."""
from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from dutyadmin.roles import Role
from tests import factories
from tests.ui import conftest as ui

pytestmark = pytest.mark.django_db

world, personas, login = ui.world, ui.personas, ui.login

ROOT = Path(__file__).resolve().parents[2]
SECURITY_SETTINGS = [
    "DEBUG", "SECURE_SSL_REDIRECT", "SECURE_REDIRECT_EXEMPT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD", "SECURE_PROXY_SSL_HEADER", "SECURE_CONTENT_TYPE_NOSNIFF", "SECURE_REFERRER_POLICY",
    "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "X_FRAME_OPTIONS", "SILENCED_SYSTEM_CHECKS", "SECRET_KEY",
]
PROD_ENV = {"DJANGO_ENV": "prod", "DJANGO_SECRET_KEY": "k" * 20 + "-prod-test-secret-" + "Zq9!x" * 8}


def prod_settings(**env: str) -> dict:
    """The settings module's own values under DJANGO_ENV=prod (read in a fresh interpreter)."""
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n, None) for n in {SECURITY_SETTINGS!r}}}))"
    )
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DUTYADMIN_"))}
    environ.update(PROD_ENV, DJANGO_SETTINGS_MODULE="dutyadmin.settings", **env)
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=environ, capture_output=True, text=True,
                         check=True)
    values = json.loads(out.stdout.strip().splitlines()[-1])
    if values["SECURE_PROXY_SSL_HEADER"]:
        values["SECURE_PROXY_SSL_HEADER"] = tuple(values["SECURE_PROXY_SSL_HEADER"])
    return values


def test_production_settings_enforce_https_by_default_and_can_be_switched_off_for_a_proxy():
    values = prod_settings()
    assert values["SECURE_SSL_REDIRECT"] is True and values["SECURE_HSTS_SECONDS"] >= 365 * 24 * 3600
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True and values["DEBUG"] is False
    assert values["SECURE_REFERRER_POLICY"] == "same-origin" and values["X_FRAME_OPTIONS"] == "DENY"
    proxied = prod_settings(DJANGO_SECURE_SSL_REDIRECT="0", DJANGO_SECURE_HSTS_SECONDS="0",
                            DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS="0")
    assert proxied["SECURE_SSL_REDIRECT"] is False and proxied["SECURE_HSTS_SECONDS"] == 0
    assert proxied["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is False


def test_the_deploy_check_reports_nothing_with_production_settings(capsys):
    # The production values, on the migrated test database (the schema check reads the models' tables).
    with override_settings(**prod_settings()):
        call_command("check", deploy=True, fail_level="WARNING")
    out = capsys.readouterr()
    assert "WARNINGS" not in out.out + out.err and "ERRORS" not in out.out + out.err, out


def test_the_api_schema_has_no_generation_warnings():
    call_command("spectacular", validate=True, fail_on_warn=True, file=os.devnull)


class _Scripts(HTMLParser):
    """Collects what would run as page script: <script> without src, on…= handlers, javascript: links."""

    def __init__(self):
        super().__init__()
        self.inline, self.handlers, self.external = [], [], []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name, value in attrs.items():
            if name.startswith("on"):
                self.handlers.append(f"<{tag} {name}={value!r}>")
            if name in {"href", "src", "action", "formaction"} and (value or "").strip().lower().startswith(
                    "javascript:"):
                self.handlers.append(f"<{tag} {name}={value!r}>")
        if tag == "script":
            kind = (attrs.get("type") or "text/javascript").lower()
            if attrs.get("src"):
                self.external.append(attrs["src"])
            elif kind not in {"application/json", "application/ld+json"}:  # data blocks never run
                self._in_script = True
                self.inline.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.inline[-1] += data


def assert_strict_page(response) -> _Scripts:
    assert response.status_code == 200, response.status_code
    policy = response.headers.get("Content-Security-Policy", "")
    directives = {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}
    assert directives.get("script-src") == ["'self'"], policy
    assert directives.get("frame-ancestors") == ["'none'"] and directives.get("object-src") == ["'none'"], policy
    assert response.headers.get("X-Frame-Options") == "DENY"
    assert response.headers.get("Referrer-Policy") == "same-origin"
    found = _Scripts()
    found.feed(response.content.decode())
    assert found.inline == [] and found.handlers == [], (found.inline, found.handlers)
    return found


@pytest.fixture
def meeting_today(world):
    today = timezone.localdate()
    session = factories.CongressSessionFactory(term=world["term"], number=6, name="第六次会议",
                                               start_date=today - dt.timedelta(days=1),
                                               end_date=today + dt.timedelta(days=1))
    return factories.MeetingFactory(session=session, title="第二次全体会议", date=today)


def test_the_login_page_has_a_csp_and_no_inline_script(client):
    found = assert_strict_page(client.get(reverse("login")))
    assert any("dutyadmin.js" in src for src in found.external)


@pytest.mark.parametrize("role", [Role.SC_OFFICE, Role.DEPUTY, Role.STREET_STAFF])
def test_the_home_page_has_a_csp_and_no_inline_script(login, role):
    found = assert_strict_page(login(role).get(reverse("home")))
    assert any("dutyadmin.js" in src for src in found.external)  # the unread count is fetched from there


def test_the_checkin_code_page_prints_by_a_data_attribute(login, meeting_today):
    response = login(Role.SECRETARIAT).get(reverse("meetings:checkin_code", args=[meeting_today.pk]))
    assert_strict_page(response)
    assert "data-print" in response.content.decode()


def test_the_opinion_statistics_year_submits_by_a_data_attribute(login):
    response = login(Role.SC_OFFICE).get(reverse("opinions:statistics"))
    assert_strict_page(response)
    assert 'id="year" data-autosubmit' in response.content.decode()


def test_the_swagger_ui_loads_its_script_from_a_file():
    client = Client()
    found = assert_strict_page(client.get(reverse("api-docs")))
    init = [src for src in found.external if "script" in src]
    assert init and all(src.startswith("/") for src in found.external), found.external  # offline, same origin
    script = client.get(init[0])
    assert script.status_code == 200 and script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode() and reverse("api-schema") in script.content.decode()


def test_no_template_has_inline_script():
    offenders = []
    for path in (ROOT / "templates").rglob("*.html"):
        found = _Scripts()
        found.feed(path.read_text())
        if found.inline or found.handlers:
            offenders.append((str(path.relative_to(ROOT)), found.inline, found.handlers))
    assert offenders == []
