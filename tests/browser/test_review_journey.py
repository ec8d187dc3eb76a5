"""Journey: a street's staff submit the year's handbooks, the liaison office returns one deputy with a
reason, the staff fix and resubmit, the liaison office approves, and an edit of that year is then refused."""
import datetime as dt

import pytest
from playwright.sync_api import expect

from activities.choices import ActivityKind
from dutyadmin.roles import Role
from meetings.choices import ContributionKind
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_submit_return_resubmit_approve_then_an_edit_is_refused(page_for_role, live_server, world):
    term, li = world["term"], world["li"]
    contribution = factories.ContributionFactory(deputy=li, kind=ContributionKind.SUGGESTION, date=dt.date(2024, 6, 3),
                                                 title="关于背街小巷整治的建议")
    reception = factories.ActivityFactory(term=term, kind=ActivityKind.STATION_RECEPTION, date=dt.date(2024, 4, 9),
                                          title="东四代表之家接待日")
    review_url = f"{live_server.url}/oversight/reviews/{term.pk}/2024/{world['dongsi'].pk}/"

    # Street staff open the review from the menu and submit 2024.
    staff = page_for_role(Role.STREET_STAFF, street_committee=world["dongsi"])
    staff.get_by_role("link", name="年度审核").click()
    staff.goto(review_url)
    expect(staff.locator("h1")).to_contain_text("东四 2024年度履职手册")
    expect(staff.locator("table.review")).to_contain_text("李四")
    staff.get_by_label("报送说明(可选)").fill("已逐人核对")
    staff.get_by_role("button", name="报送", exact=True).click()
    expect(staff.locator("#review-status")).to_have_text("已报送,待审核")

    # The liaison office returns 李四 with a reason; a missing reason is shown next to the box first.
    liaison = page_for_role(Role.LIAISON_OFFICE)
    liaison.get_by_role("link", name="年度审核").click()
    liaison.goto(f"{live_server.url}/oversight/reviews/?year=2024")
    row = liaison.locator("table.review-board tr", has_text="东四")
    expect(row).to_contain_text("已报送,待审核")
    row.get_by_role("link", name="东四").click()
    li_row = liaison.locator(f"#deputy-{li.pk}")
    li_row.get_by_label("退回", exact=True).check()
    liaison.get_by_role("button", name="退回所选代表").click()
    expect(liaison.locator(f"#deputy-{li.pk} .errorlist")).to_contain_text("请填写退回理由")
    liaison.get_by_label("李四 的退回理由").fill("4月接待群众的记录缺失,请补录")
    liaison.get_by_role("button", name="退回所选代表").click()
    expect(liaison.locator("#review-status")).to_have_text("已退回修改")

    # Staff see the reason, fix the record (in 2024, still open) and resubmit.
    staff.goto(review_url)
    expect(staff.locator(f"#deputy-{li.pk}")).to_contain_text("4月接待群众的记录缺失,请补录")
    factories.ParticipationFactory(activity=reception, deputy=li)  # the missing reception, entered by staff
    staff.reload()
    staff.get_by_role("button", name="重新报送").click()
    expect(staff.locator("#review-status")).to_have_text("已报送,待审核")

    # The liaison office approves: the year is locked.
    liaison.reload()
    liaison.get_by_role("link", name="审核通过…").click()
    liaison.get_by_label("我已核对上述待处置事项", exact=False).check()
    liaison.get_by_role("button", name="确认审核通过并锁定").click()
    expect(liaison.locator("#review-status")).to_have_text("已审核通过")
    expect(liaison.locator(".timeline")).to_contain_text("退回 李四:4月接待群众的记录缺失,请补录")

    # An edit of a 2024 record is now refused with the reason, and nothing is changed.
    staff.goto(f"{live_server.url}/meetings/contributions/{contribution.pk}/edit/")
    staff.get_by_label("标题").fill("改过的标题")
    staff.locator("form button[type=submit].btn-primary").click()
    expect(staff.locator(".alert-error")).to_contain_text("东四2024年度的履职记录已由代表联络机构审核通过并锁定")
    contribution.refresh_from_db()
    assert contribution.title == "关于背街小巷整治的建议"
