"""Journey: a street committee's staff member signs in and finds a deputy by searching."""
import pytest
from playwright.sync_api import expect

from dutyadmin.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_street_staff_find_a_deputy_by_their_unit(page_for_role, world):
    page = page_for_role(Role.STREET_STAFF, street_committee=world["dongsi"])
    expect(page.locator(".topbar")).to_contain_text("东四 街工委工作人员")

    page.get_by_role("link", name="代表名册").click()
    rows = page.locator("table.data tbody tr")
    expect(rows).to_have_count(2)  # 张东 and 李四; 朝阳门's 王朝 is out of scope
    expect(page.locator("table.data")).not_to_contain_text("王朝")

    page.get_by_label("搜索").fill("第一中学")
    page.get_by_role("button", name="查询").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("张东")

    page.get_by_role("link", name="张东").click()
    expect(page.locator("h1")).to_contain_text("张东")
    expect(page.locator("table.kv")).to_contain_text("东城区第一中学")
    expect(page.locator("table.kv")).to_contain_text("2022年1月1日")


def test_the_menu_opens_from_its_button_on_a_phone(page_for_role, world):
    page = page_for_role(Role.STREET_STAFF, street_committee=world["dongsi"], viewport=(390, 844))
    menu = page.locator("#sidenav")
    expect(menu).to_be_hidden()
    page.get_by_role("button", name="菜单").click()
    expect(menu).to_be_visible()
    menu.get_by_role("link", name="代表名册").click()
    expect(page.locator("h1")).to_contain_text("代表名册")
