"""Journey of one suggestion: the deputy submits it on a 390 px phone, the liaison office assigns it on its page,
the lead unit replies with its letter attached, the deputy finds 请在…前评价 in 我的建议, evaluates 不满意, and the page
shows 重新办理 with the new reply's due date. The district's today is fixed on a day the holiday calendar knows."""
from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from oversight.models import Suggestion
from oversight.rules import clocks
from tests.oversight import suggestion_fixtures
from tests.oversight.suggestion_fixtures import D

from .test_deputy_phone import PHONE, WIDE, assert_fits_the_phone, shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TODAY = D(2024, 6, 20)
sw = suggestion_fixtures.sw  # the suggestion tests' district, as a fixture here too


@pytest.fixture
def today(monkeypatch):
    """TODAY for the live server's thread too (one process): the services, the pages and the clocks agree."""
    real = timezone.localdate
    monkeypatch.setattr(timezone, "localdate", lambda value=None, tz=None: TODAY if value is None else real(value, tz))
    return TODAY


def chinese(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def test_a_suggestion_from_the_deputys_phone_to_rehandling(page_as, live_server, sw, today, tmp_path: Path):
    deputy = page_as(sw.zhang_user, viewport=PHONE)

    # The deputy submits on the phone, with a cosigner found through the filter box.
    deputy.goto(f"{live_server.url}/suggestions/submit/")
    assert_fits_the_phone(deputy)
    deputy.fill("#id_title", "关于东四十条路口增设公交站的建议")
    deputy.fill("#id_content", "东四十条路口附近居民多，公交站远。建议增设公交站。")
    deputy.fill("#id_cosigners_filter", "李西")
    deputy.select_option("#id_cosigners", label="李西（东四）")
    shoot(deputy, "suggestion-submit-390")
    deputy.click("button[type=submit].btn-primary >> text=提交建议")
    expect(deputy.locator(".alert-success")).to_contain_text("已提交“关于东四十条路口增设公交站的建议”")
    expect(deputy.locator("h1")).to_have_text("关于东四十条路口增设公交站的建议")
    expect(deputy.locator(".suggestion-head .badge").first).to_have_text("已提交，待交办")
    suggestion = Suggestion.objects.get(title="关于东四十条路口增设公交站的建议")
    assert list(suggestion.cosigners.all()) == [sw.li]
    detail_url = f"{live_server.url}/suggestions/{suggestion.pk}/"

    # The liaison office assigns it on its page: lead unit, a co-unit, today by default.
    office = page_as(sw.office, viewport=WIDE)
    office.goto(detail_url)
    office.click("#assign button[type=submit]")  # no unit chosen: told next to the field, nothing changes
    expect(office.locator("#assign .has-error")).to_contain_text("请选择主办单位。")
    office.select_option("#id_assign-lead_unit", label="区交通委")
    office.check("#assign label.choice:has-text('区法院') input")
    office.click("#assign button[type=submit]")
    due = clocks.suggestion_due(TODAY)
    expect(office.locator(".alert-success")).to_contain_text(f"已交办区交通委主办，答复期限为{chinese(due)}。")
    expect(office.locator("table.handling")).to_contain_text("区法院")

    # The lead unit replies, its letter attached.
    letter = tmp_path / "答复函.pdf"
    letter.write_bytes(b"%PDF-1.4 reply letter")
    unit = page_as(sw.road_user, viewport=WIDE)
    unit.goto(detail_url)
    unit.fill("#id_reply-text", "已与公交集团现场踏勘，拟于年内增设公交站。")
    unit.check("#reply label.choice:has-text('正在解决') input")
    unit.set_input_files("#id_reply-files", str(letter))
    unit.click("#reply button[type=submit]")
    feedback_due = clocks.feedback_due(TODAY)
    expect(unit.locator(".alert-success")).to_contain_text(f"代表应在{chinese(feedback_due)}前反馈评价")
    expect(unit.locator("#replies")).to_contain_text("答复函.pdf")

    # The deputy sees what to do next in 我的建议 and evaluates: 不满意.
    deputy.goto(f"{live_server.url}/suggestions/mine/")
    assert_fits_the_phone(deputy)
    card = deputy.locator(".suggestion-card", has_text="关于东四十条路口增设公交站的建议")
    expect(card).to_contain_text(f"请在{chinese(feedback_due)}前评价")
    expect(card).to_contain_text("区交通委")
    shoot(deputy, "suggestion-mine-390")
    card.locator("a", has_text="去评价").click()
    assert_fits_the_phone(deputy)
    deputy.check("#evaluate label.choice:has-text('不满意') input")
    deputy.fill("#id_evaluate-comment", "站点位置离小区仍然较远。")
    deputy.click("#evaluate button[type=submit]")
    rehandling_due = clocks.rehandling_due(TODAY)
    expect(deputy.locator(".alert-success")).to_contain_text(
        f"这条建议重新办理，承办单位应在{chinese(rehandling_due)}前再次答复")
    expect(deputy.locator(".suggestion-head .badge").first).to_have_text("重新办理中")
    expect(deputy.locator("#timeline")).to_contain_text("已答复，待代表评价 → 重新办理中")
    assert_fits_the_phone(deputy)
    shoot(deputy, "suggestion-rehandling-390")
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.satisfaction, suggestion.rehandling_due) == (
        "rehandling", "dissatisfied", rehandling_due)

    # The unit now sees the rehandling reply form.
    unit.goto(detail_url)
    expect(unit.locator("#reply h3")).to_have_text("重新办理答复")
