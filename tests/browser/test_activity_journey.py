"""Journey: street staff register a reception at a liaison station, invite three deputies, mark two
attended, and the deputies' progress (their findings page, rule A6.2) counts it."""
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from dutyadmin.roles import Role
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_street_staff_record_a_reception_and_the_deputies_progress_shows_it(page_for_role, world, live_server):
    factories.DeputyFactory(term=world["term"], name="赵小东", street_committee=world["dongsi"], delegation=world["del_ds"])
    today = timezone.localdate()
    day = max(min(today, world["term"].end_date), world["term"].start_date)
    page = page_for_role(Role.STREET_STAFF, street_committee=world["dongsi"])

    # Register the reception.
    page.get_by_role("link", name="闭会期间活动").click()
    page.get_by_role("link", name="登记活动").click()
    page.get_by_label("活动名称").fill("东四街道代表联络站接待选民")
    page.get_by_label("活动类型").select_option(label="代表之家、联络站接待群众")
    page.locator("#id_date").fill(day.isoformat())
    page.get_by_label("地点").fill("东四街道代表联络站")
    page.get_by_role("button", name="保存并邀请代表").click()
    expect(page.locator("h1")).to_have_text("邀请代表")

    # Invite three deputies of the street (王朝 of 朝阳门 is not offered).
    candidates = page.locator("table.data tbody tr")
    expect(candidates).to_have_count(3)
    expect(page.locator("table.data")).not_to_contain_text("王朝")
    page.get_by_label("全选").check()
    page.get_by_role("button", name="邀请选中的代表").click()
    expect(page.locator(".alert-success")).to_contain_text("已邀请 3 位代表")

    # Mark two of them attended, one excused, on one screen.
    page.get_by_role("link", name="下一步:登记参加情况").click()
    rows = page.locator("table.roster tbody tr")
    expect(rows).to_have_count(3)
    for name, outcome in (("张东", "出席"), ("李四", "出席"), ("赵小东", "请假")):
        row = page.locator(f'table.roster tbody tr[data-deputy="{name}"]')
        row.get_by_label(f"{name} 应邀确定参加").check()
        row.get_by_text(outcome, exact=True).click()
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.locator(".alert-success")).to_contain_text("已保存参加情况")
    expect(page.locator("#participants .counts")).to_contain_text("出席 2")
    expect(page.locator("#participants .counts")).to_contain_text("请假 1")

    # The deputies' progress: A6.2 (station receptions) now counts it for 张东, not for 赵小东.
    page.locator("#participants").get_by_role("link", name="张东").click()
    expect(page.locator("h1")).to_contain_text("张东")
    page.get_by_role("link", name="履职评估").click()
    page.get_by_label("评估日期", exact=True).fill(day.isoformat())
    page.get_by_role("button", name="重新评估").click()
    this_year = page.locator("#rule-station_receptions tbody tr", has_text=f"{day.year}年1月1日")
    expect(this_year).to_contain_text("东四街道代表联络站接待选民")
    expect(this_year.locator(".num")).to_contain_text("1 /")

    zhao = world["dongsi"].deputies.get(name="赵小东")
    page.goto(f"{live_server.url}/oversight/deputies/{zhao.pk}/?as_of={day.isoformat()}")
    this_year = page.locator("#rule-station_receptions tbody tr", has_text=f"{day.year}年1月1日")
    expect(this_year.locator(".num")).to_contain_text("0 /")
    expect(page.locator("#rule-station_receptions")).not_to_contain_text("东四街道代表联络站接待选民")
