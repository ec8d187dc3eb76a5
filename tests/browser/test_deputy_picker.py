"""Journey: every deputy picker is searchable: typing in the box above it keeps the matching deputies."""
import pytest
from playwright.sync_api import expect

from dutyadmin.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_typing_in_the_deputy_picker_filters_it_by_name_and_street(page_for_role, world, live_server):
    page = page_for_role(Role.LIAISON_OFFICE)
    page.goto(f"{live_server.url}/oversight/interventions/new/")
    picker = page.locator("select#id_deputy")
    box = page.locator("#id_deputy_filter")
    expect(box).to_be_visible()
    everyone = picker.locator("option").count()
    assert everyone >= 4  # 请选择 and the three deputies

    box.fill("李")
    expect(picker.locator("option")).to_have_count(2)  # 请选择 and 李四
    expect(picker).to_have_value(str(world["li"].pk))  # a single match is chosen
    expect(page.locator(".deputy-filter-count")).to_have_text("找到 1 位")

    box.fill("朝阳门")
    expect(picker.locator("option")).to_contain_text(["请选择", "王朝(朝阳门)"])
    box.fill("没有这个人")
    expect(picker.locator("option")).to_have_count(1)
    expect(page.locator(".deputy-filter-count")).to_have_text("没有找到,请换个写法")
    box.fill("")
    expect(picker.locator("option")).to_have_count(everyone)
