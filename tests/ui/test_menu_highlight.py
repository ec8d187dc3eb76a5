"""The menu: a deputy's items are named for their own things, and every page marks exactly one item, the one
that led there (for a deputy and for staff)."""
from __future__ import annotations

import re

import pytest

from dutyadmin.roles import Role

pytestmark = pytest.mark.django_db

ENTRY = re.compile(r'<li><a href="(?P<url>[^"]+)"(?P<active> class="active" aria-current="page")?>'
                   r'<span class="icon" aria-hidden="true">[^<]*</span>(?P<label>[^<]+)</a></li>')


def menu(html: str) -> list[tuple[str, str, bool]]:
    start = html.index('id="sidenav"')
    part = html[start:html.index("</nav>", start)]
    return [(m["label"].strip(), m["url"], bool(m["active"])) for m in ENTRY.finditer(part)]


def test_a_deputys_menu_names_their_own_things(login):
    labels = [label for label, _url, _active in menu(login(Role.DEPUTY).get("/").text)]
    for own in ("我的履职评估", "我的活动", "我的邀请", "履职手册", "请假", "我的消息", "我的审议意见和建议"):
        assert own in labels
    for staff_only in ("闭会期间活动", "履职提示", "审议意见和建议", "代表名册"):
        assert staff_only not in labels
    assert labels.index("我的履职评估") < labels.index("我的活动") < labels.index("我的邀请")


@pytest.mark.parametrize("role", [Role.DEPUTY, Role.STREET_STAFF, Role.LIAISON_OFFICE, Role.DELEGATION_HEAD])
def test_each_menu_page_marks_exactly_its_own_item(login, world, role):
    client = login(role)
    entries = menu(client.get("/").text)
    assert entries
    for label, url, _active in entries:
        if url.startswith("/admin/"):
            continue  # Django's admin has its own layout
        response = client.get(url, follow=True)
        assert response.status_code == 200, (label, url, response.status_code)
        active = [entry_label for entry_label, _u, is_active in menu(response.text) if is_active]
        assert active == [label], (role, url, active)
