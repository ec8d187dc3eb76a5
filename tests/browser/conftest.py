"""Playwright in Debian's chromium against pytest-django's live server.

Never downloads a browser: it drives /usr/bin/chromium. Without it the browser tests are skipped
with the way to install it, unless DUTYADMIN_REQUIRE_BROWSER=1 (CI), which makes them fail instead.

Fixtures for journeys: `page_as(user)` and `page_for_role(role, **scope)` give a page already
signed in through the login form; `world` is the two-street district of tests/ui.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.contrib.auth.models import Group

from dutyadmin.roles import Role
from tests import factories
from tests.ui.conftest import world  # noqa: F401  (the same small district as the page tests)

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
HOW_TO_ENABLE = (
    f"browser tests need Debian's chromium at {CHROMIUM}: run `apt-get install chromium` "
    "(set DUTYADMIN_REQUIRE_BROWSER=1 to make its absence a failure)"
)

def _require_chromium() -> None:
    if CHROMIUM.exists():
        return
    if os.environ.get("DUTYADMIN_REQUIRE_BROWSER") == "1":
        pytest.fail(HOW_TO_ENABLE)
    pytest.skip(HOW_TO_ENABLE)


@pytest.fixture(scope="session")
def browser():
    """One headless chromium for the whole run."""
    _require_chromium()
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in the test thread; Django would otherwise
    # refuse the test's own database calls with SynchronousOnlyOperation. Only while browsers run.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            instance = playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
            )
            yield instance
            instance.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page_as(browser, live_server):
    """page_as(user, viewport=(1280, 900)) → a Chinese-locale page signed in as user via the login form."""
    contexts = []

    def open_page(user, *, password: str = factories.PASSWORD, viewport: tuple[int, int] = (1280, 900)):
        context = browser.new_context(locale="zh-CN", viewport={"width": viewport[0], "height": viewport[1]})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", user.get_username())
        page.fill("#id_password", password)
        page.click("button[type=submit].btn-primary")
        page.wait_for_url(f"{live_server.url}/")
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page_for_role(page_as):
    """page_for_role(role, street_committee=…, delegation=…, deputy=…) → a signed-in page of a new user."""

    def open_page(role: str, *, viewport: tuple[int, int] = (1280, 900), **scope):
        # A live-server test runs in a transactional database, flushed after each test: the role
        # groups that a migration created may be gone, so make sure they are there.
        for name in Role.values:
            Group.objects.get_or_create(name=name)
        return page_as(factories.make_user(role, **scope), viewport=viewport)

    return open_page
