"""Journey: the liaison office changes a threshold from a day on, after a preview, and takes it back before it
takes effect."""
import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from deputies.models import ThresholdChange
from dutyadmin.roles import Role
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_liaison_office_previews_saves_and_deletes_a_threshold_change(page_for_role, world):
    today = timezone.localdate()
    term = factories.TermFactory(number=18, name="第十八届", start_date=today - dt.timedelta(days=400),
                                 end_date=today + dt.timedelta(days=800))
    factories.DeputyFactory(term=term, service_start=term.start_date, street_committee=world["dongsi"])
    page = page_for_role(Role.LIAISON_OFFICE)
    page.get_by_role("link", name="履职阈值").click()
    expect(page.locator("h1")).to_contain_text("履职阈值")
    expect(page.locator("table.thresholds")).to_contain_text("代表联络站接待群众(次/年)")

    day = today + dt.timedelta(days=20)
    page.get_by_label("生效日期").fill(day.isoformat())
    page.get_by_label("集中学习培训(次/届)").fill("4")
    page.get_by_role("button", name="预览").click()
    expect(page.locator(".alert-error")).to_contain_text("请修改")  # no reason yet
    expect(page.locator("#id_reason").locator("..")).to_contain_text("请填写调整原因")

    page.get_by_label("调整原因").fill("主任会议决定:本届集中学习培训不少于4次。")
    page.get_by_role("button", name="预览").click()
    expect(page.locator("#preview")).to_contain_text("将有 0 条履职提示改变状态")
    page.get_by_role("button", name="确认保存").click()
    expect(page.locator(".alert-success")).to_contain_text("已保存阈值调整")
    expect(page.locator("#h-changes").locator("xpath=../..")).to_contain_text("主任会议决定:本届集中学习培训不少于4次。")
    expect(page.locator("#setting-training")).to_contain_text("起为 4")
    assert ThresholdChange.objects.get().values == {"training": 4}

    page.get_by_role("button", name="删除").click()
    expect(page.locator(".alert-success")).to_contain_text("已删除")
    assert not ThresholdChange.objects.exists()
