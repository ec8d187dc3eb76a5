"""The shell every page shares: login, logout, the header, the menu by role, language, dates."""
import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from dutyadmin.roles import Role
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_the_login_page_is_in_chinese(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert "人大代表履职管理系统" in response.text
    assert "用户名" in response.text and "密码" in response.text


def test_pages_send_an_anonymous_visitor_to_the_login_page(client, world):
    for url in (reverse("home"), reverse("deputies:list"), reverse("deputies:detail", args=[world["zhang"].pk])):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_a_user_signs_in_with_username_and_password(client, personas):
    response = client.post(reverse("login"), {"username": "staff", "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert client.session[SESSION_KEY] == str(personas[Role.STREET_STAFF].pk)


def test_a_wrong_password_is_explained_in_chinese(client, personas):
    response = client.post(reverse("login"), {"username": "staff", "password": "wrong"})
    assert response.status_code == 200
    assert "请输入一个正确的" in response.text  # Django's own Chinese message
    assert SESSION_KEY not in client.session


def test_logout_needs_a_post(login):
    client = login(Role.STREET_STAFF)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert SESSION_KEY not in client.session


def test_the_header_shows_the_name_and_the_role_with_its_street(login):
    response = login(Role.STREET_STAFF).get(reverse("home"))
    assert "陈静" in response.text
    assert "东四 街工委工作人员" in response.text


def test_the_header_shows_a_delegation_heads_delegation(login):
    response = login(Role.DELEGATION_HEAD).get(reverse("home"))
    assert "东四代表团 代表团团长" in response.text


def _menu(response) -> str:
    html = response.text
    return html[html.index('id="sidenav"'):html.index("</nav>", html.index('id="sidenav"'))]


@pytest.mark.parametrize(
    ("role", "shown", "hidden"),
    [
        (Role.STREET_STAFF, ["代表名册", "审议意见和建议", "履职处置"], ["我的履职", "系统管理"]),
        (Role.DEPUTY, ["我的履职", "审议意见和建议"], ["代表名册", "系统管理"]),
        (Role.LIAISON_OFFICE, ["代表名册", "审议意见和建议", "履职处置"], ["我的履职", "系统管理"]),
        (Role.ADMIN, ["代表名册", "系统管理"], ["我的履职"]),
        ("nobody", ["首页"], ["代表名册", "我的履职", "审议意见和建议", "系统管理"]),
    ],
)
def test_the_menu_shows_what_the_role_can_use(login, role, shown, hidden):
    menu = _menu(login(role).get(reverse("home")))
    for label in shown:
        assert label in menu
    for label in hidden:
        assert label not in menu


def test_chinese_is_the_default_even_for_an_english_browser(login):
    response = login(Role.STREET_STAFF).get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="zh-hans">' in response.text
    assert "代表名册" in _menu(response)


def test_the_language_switch_shows_english_navigation(login):
    client = login(Role.STREET_STAFF)
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("home")})
    assert response.status_code == 302
    response = client.get(reverse("home"))
    assert '<html lang="en">' in response.text
    menu = _menu(response)
    assert "Deputies" in menu and "Home" in menu
    assert "代表名册" not in menu
    assert "Dongsi" not in response.text  # data stays as entered: only the interface is translated
    client.post(reverse("set_language"), {"language": "zh-hans", "next": reverse("home")})
    assert "代表名册" in _menu(client.get(reverse("home")))


def test_dates_read_the_chinese_way_on_chinese_pages(login, world):
    response = login(Role.STREET_STAFF).get(reverse("deputies:detail", args=[world["zhang"].pk]))
    assert "2022年1月1日" in response.text  # service start


def test_an_unknown_page_is_a_friendly_404(login):
    response = login(Role.STREET_STAFF).get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.text


def test_static_files_come_from_the_project_not_the_internet(login):
    html = login(Role.LIAISON_OFFICE).get(reverse("deputies:list")).text
    assert "/static/css/dutyadmin.css" in html
    assert "http://" not in html.replace("http://testserver", "") and "https://" not in html


def test_the_header_names_a_deputys_own_record(login):
    response = login(Role.DEPUTY).get(reverse("home"))
    assert "张东 代表" in response.text
