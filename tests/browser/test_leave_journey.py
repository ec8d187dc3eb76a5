"""Journey: a deputy asks for delegation-meeting leave, the delegation head approves it, the
secretariat files it, and the secretariat's attendance sheet for that meeting shows the approved
leave beside the deputy's name; the clerk marks everyone present in one click and saves."""
import datetime as dt

import pytest
from playwright.sync_api import expect

from dutyadmin.roles import Role
from meetings.models import Attendance, CongressSession, LeaveRequest, Meeting
from tests.meetings.conftest import district, today  # noqa: F401  (a session still to come)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_delegation_meeting_leave_from_asking_to_the_attendance_sheet(page_for_role, district, today):  # noqa: F811
    group = district["m"]["group"]

    # The deputy asks.
    deputy = page_for_role(Role.DEPUTY, deputy=district["zhang"])
    deputy.get_by_role("link", name="请假", exact=True).click()
    deputy.get_by_role("link", name="＋ 申请请假").click()
    expect(deputy.locator("h1")).to_contain_text("申请请假")
    deputy.get_by_label("分团会议请假").check()
    expect(deputy.locator("input[name=certificate]")).to_be_hidden()  # only whole-session leave needs it
    # Only the delegation meetings of the chosen session can be ticked.
    plenary_box = deputy.locator(f"input[name=meetings][value='{district['m']['plenary'].pk}']")
    expect(plenary_box).to_be_disabled()
    deputy.locator(f"input[name=meetings][value='{group.pk}']").check()
    deputy.get_by_label("事由").fill("赴外地参加单位紧急会议")
    deputy.get_by_role("button", name="提交申请").click()
    expect(deputy.locator(".alert-success")).to_contain_text("请假申请已提交")
    expect(deputy.locator("h1")).to_contain_text("审批中")
    leave = LeaveRequest.objects.get()

    # The delegation head approves it from their inbox.
    head = page_for_role(Role.DELEGATION_HEAD, delegation=district["del_ds"])
    head.get_by_role("link", name="待我审批").click()
    card = head.locator(f"#leave-{leave.pk}")
    expect(card).to_contain_text("张东")
    expect(card).to_contain_text("代表团团长审批")
    card.get_by_label("意见(驳回时必须填写理由)").fill("同意")
    card.get_by_role("button", name="同意").click()
    # Issue 12: the head's approval is the deciding step: approved from now on, the filing still to do.
    expect(head.locator(".alert-success")).to_contain_text("已批准")
    expect(head.locator(f"#leave-{leave.pk}")).to_have_count(0)
    leave.refresh_from_db()
    assert leave.status == "approved"

    # The secretariat files it (备案) from 待备案: it records, the request stays approved.
    clerk = page_for_role(Role.SECRETARIAT)
    clerk.get_by_role("link", name="待我审批").click()
    expect(clerk.locator(f"#leave-{leave.pk}")).to_have_count(0)
    filing = clerk.locator(f"#filing-{leave.pk}")
    expect(filing).to_contain_text("已批准,待备案")
    filing.get_by_role("button", name="备案").click()
    expect(clerk.locator(".alert-success")).to_contain_text("已备案")
    leave.refresh_from_db()
    assert leave.status == "approved"

    # The session comes: a roll call is taken on the meeting's day, never ahead of it (issue 11).
    one_day = dt.timedelta(days=1)
    CongressSession.objects.filter(pk=district["coming"].pk).update(start_date=today - one_day, end_date=today + one_day)
    Meeting.objects.filter(session=district["coming"]).exclude(pk=group.pk).update(date=today - one_day)
    Meeting.objects.filter(pk=group.pk).update(date=today)

    # The secretariat's sheet for that meeting shows the approved leave beside the name.
    clerk.get_by_role("link", name="大会会议").click()
    clerk.get_by_role("link", name=district["coming"].name).click()
    clerk.get_by_role("link", name=group.title).click()
    row = clerk.locator("tr.sheet-row", has_text="张东")
    expect(row).to_contain_text("已批准请假 · 分团会议请假")
    expect(clerk.locator("tr.sheet-row", has_text="李四")).not_to_contain_text("已批准请假")

    # Everyone present in one click (the deputy on leave absent, excused), then save.
    clerk.get_by_role("button", name="全部出席").click()
    expect(row.get_by_label("缺席")).to_be_checked()
    expect(clerk.locator("tr.sheet-row", has_text="李四").get_by_label("出席", exact=True)).to_be_checked()
    expect(clerk.locator("[data-count=excused]")).to_have_text("1")
    expect(clerk.locator("[data-count=unrecorded]")).to_have_text("0")

    # Keyboard: ↓ moves to the next deputy, → switches present / absent.
    zhang_absent = row.get_by_label("缺席")
    zhang_absent.focus()
    clerk.keyboard.press("ArrowDown")
    li_row = clerk.locator("tr.sheet-row", has_text="李四")
    expect(li_row.get_by_label("出席", exact=True)).to_be_focused()
    clerk.keyboard.press("ArrowRight")
    expect(li_row.get_by_label("缺席")).to_be_checked()
    clerk.keyboard.press("ArrowLeft")
    expect(li_row.get_by_label("出席", exact=True)).to_be_checked()

    clerk.get_by_role("button", name="保存出席情况").first.click()
    expect(clerk.locator(".alert-success")).to_contain_text("新增 3 条")
    assert dict(Attendance.objects.filter(meeting=group).values_list("deputy__name", "status")) == {
        "张东": "absent", "李四": "present", "王朝": "present"}
    expect(clerk.locator("tr.sheet-row", has_text="张东")).to_contain_text("已请假")

    # The delegation filter narrows the sheet without leaving the page.
    clerk.get_by_label("代表团").select_option(label="朝阳门代表团")
    expect(clerk.locator("tr.sheet-row:visible")).to_have_count(1)
    expect(clerk.locator("[data-count=total]")).to_have_text("1")
