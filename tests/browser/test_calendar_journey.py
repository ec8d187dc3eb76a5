"""我的日历订阅 in a phone's browser: make the address, copy it, reset it (confirmed), and the old one is gone."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from dutyadmin.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_deputy_makes_copies_and_resets_the_address(page_for_role, world, live_server):
    page = page_for_role(Role.DEPUTY, deputy=world["zhang"], viewport=(390, 844))
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page.goto(f"{live_server.url}/calendar/")
    page.get_by_role("button", name="生成订阅链接").click()
    address = page.locator("#calendar-feed-url")
    first = address.input_value()
    assert re.fullmatch(rf"{re.escape(live_server.url)}/calendar/[A-Za-z0-9_-]{{43}}\.ics", first)
    page.get_by_role("button", name="复制链接").click()
    expect(page.locator("#calendar-copy-status")).to_have_text(re.compile("已复制|手动复制"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling on a phone

    # a reset asks first; declining keeps the address
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_role("button", name="重置链接").click()
    assert address.input_value() == first
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="重置链接").click()
    expect(page.get_by_text("原链接已失效")).to_be_visible()
    assert page.locator("#calendar-feed-url").input_value() != first
    assert page.request.get(first).status == 404
