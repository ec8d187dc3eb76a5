"""Every role's home on the demo data, in chromium (issue 11, parts 1 and 8).

One test seeds the demo (about 30 s) and then: screenshots each demo role's home at 1366 px and 390 px
into tests/browser/screenshots/ (git-ignored) for review, and walks the street director's journey: his
home lists his 约谈, the link opens the intervention form filled in, he saves it and the line is gone.
"""
from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from dutyadmin.demo import DEMO_PASSWORD
from dutyadmin.roles import Role

SHOTS = Path(__file__).parent / "screenshots"
ROLES = ["secretariat", "liaison", "admin", "dongsi_staff", "dongsi_director", "sc_leader", "sc_office",
         "dongsi_head", "dongsi_deputy", "secretary_general"]
# What each home must name (the cases on the demo).
MUST_READ = {
    "sc_leader": ["待资格终止", "韩德明", "待劝辞", "何桂英"],
    "dongsi_director": ["待约谈", "许振东"],
    "dongsi_staff": ["代表个人登记待审核"],
    "dongsi_deputy": ["年履职进度"],
}


@pytest.mark.django_db(transaction=True)
def test_every_roles_home_and_the_director_records_his_talk(browser, live_server, django_user_model):
    for name in Role.values:
        Group.objects.get_or_create(name=name)
    call_command("seed_demo", stdout=StringIO())
    SHOTS.mkdir(exist_ok=True)

    def signed_in(username: str, width: int):
        context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 844 if width < 500 else 900})
        page = context.new_page()
        page.set_default_timeout(30_000)
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", DEMO_PASSWORD)
        page.click("button[type=submit].btn-primary")
        page.wait_for_url(f"{live_server.url}/")
        return context, page

    for username in ROLES:
        for width in (1366, 390):
            context, page = signed_in(username, width)
            text = page.inner_text("main")
            for words in MUST_READ.get(username, []):
                assert words in text, (username, words)
            assert page.evaluate("document.documentElement.scrollWidth") <= width + 1, (username, width)
            if width == 390 and username == "dongsi_deputy":
                # Above the fold on a phone: the to-do and the year's progress.
                box = page.locator(".progress-card .rule-progress li").first.bounding_box()
                assert box is not None and box["y"] < 844
            page.screenshot(path=str(SHOTS / f"home-{username}-{width}.png"), full_page=True)
            context.close()

    # The street director: his talk with 许振东, from the home line to the form and back.
    context, page = signed_in("dongsi_director", 1366)
    line = page.locator("a.todo-item", has_text="许振东")
    assert line.count() == 1
    line.click()
    page.wait_for_url("**/oversight/interventions/new/**")
    assert page.locator("#id_rule").input_value() == "no_contact_talk"
    page.fill("#id_conducted_by", "东四街工委主任")
    page.click("form button[type=submit].btn-primary")
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator("a.todo-item", has_text="许振东").count() == 0
    assert page.locator("a.todo-item", has_text="秦海燕").count() == 1  # the other talks still wait
    page.screenshot(path=str(SHOTS / "home-dongsi_director-after-talk.png"), full_page=True)
    context.close()
