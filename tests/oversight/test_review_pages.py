"""The year-end review pages: the board of every street, one street's submission, who may do what there,
errors next to the fields they are about, never a crash on bad input."""
import datetime as dt

import pytest

from dutyadmin.roles import Role
from oversight.choices import EntryStatus, ReviewStatus
from oversight.models import ReviewDeadline, YearReview


def street_url(world, year=2024, street="dongsi") -> str:
    return f"/oversight/reviews/{world['term'].pk}/{year}/{world[street].pk}/"


def test_the_liaison_office_sees_every_streets_state_on_the_board(login, world):
    response = login(Role.LIAISON_OFFICE).get("/oversight/reviews/?year=2024")
    page = response.content.decode()
    assert response.status_code == 200
    assert "东四" in page and "朝阳门" in page and "待报送" in page and "2024年12月31日" in page
    assert street_url(world) in page and "设定本年度报送截止日期" in page


def test_the_board_shows_submitted_returned_and_approved_streets(login, world):
    client = login(Role.STREET_STAFF)
    client.get(street_url(world))
    client.post(street_url(world), {"action": "submit"})
    page = login(Role.SC_LEADER).get("/oversight/reviews/?year=2024").content.decode()
    assert "已报送,待审核" in page and "设定本年度报送截止日期" not in page  # district roles read only


def test_street_staff_go_from_the_board_to_their_streets_page(login, world):
    response = login(Role.STREET_STAFF).get("/oversight/reviews/?year=2024")
    assert response.status_code == 302 and response["Location"] == street_url(world)


@pytest.mark.parametrize("role", [Role.DEPUTY, Role.DELEGATION_HEAD, "nobody"])
def test_others_may_not_see_the_review(login, world, role):
    assert login(role).get("/oversight/reviews/").status_code == 403
    assert login(role).get(street_url(world)).status_code == 404


def test_another_streets_page_is_not_found_for_street_staff(login, world):
    assert login(Role.STREET_STAFF).get(street_url(world, street="chaoyang")).status_code == 404


@pytest.mark.parametrize("query", ["year=abc", "year=1990", "term=abc", "term=99999999999999999999999", "year=2024.5"])
def test_bad_board_parameters_are_errors_next_to_the_fields(login, world, query):
    response = login(Role.LIAISON_OFFICE).get(f"/oversight/reviews/?{query}")
    assert response.status_code == 400
    assert "errorlist" in response.content.decode()


@pytest.mark.parametrize("path", ["/oversight/reviews/1/2099/1/", "/oversight/reviews/999/2024/1/",
                                  "/oversight/reviews/1/2024/999/"])
def test_an_unknown_term_year_or_street_is_a_404(login, world, path):
    assert login(Role.LIAISON_OFFICE).get(path).status_code == 404


def test_street_staff_submit_and_the_page_shows_each_deputys_shortfalls(login, world):
    client = login(Role.STREET_STAFF)
    page = client.get(street_url(world)).content.decode()
    assert "张东" in page and "李四" in page and "王朝" not in page
    assert "参加闭会期间活动 0/3" in page and f"/oversight/deputies/{world['zhang'].pk}/handbook/?year=2024" in page
    response = client.post(street_url(world), {"action": "submit", "note": "已核对"})
    assert response.status_code == 302
    review = YearReview.objects.get()
    assert review.status == ReviewStatus.SUBMITTED and review.note == "已核对"
    page = client.get(street_url(world)).content.decode()
    assert "已报送,待审核" in page and "报送" in page and "已核对" in page
    assert 'value="submit"' not in page  # nothing more to submit until a return


def test_the_liaison_office_returns_a_deputy_and_needs_a_reason(login, world):
    login(Role.STREET_STAFF).post(street_url(world), {"action": "submit"})
    liaison = login(Role.LIAISON_OFFICE)
    li = world["li"]
    response = liaison.post(street_url(world), {"action": "return", "return": [str(li.pk)], f"reason_{li.pk}": ""})
    page = response.content.decode()
    assert response.status_code == 400 and "请填写退回理由" in page and f'id="deputy-{li.pk}" class="has-error"' in page
    response = liaison.post(street_url(world), {"action": "return", "return": [str(li.pk)],
                                                f"reason_{li.pk}": "4月接待记录缺失"})
    assert response.status_code == 302
    entry = YearReview.objects.get().entries.get(deputy=li)
    assert entry.status == EntryStatus.RETURNED and entry.return_reason == "4月接待记录缺失"
    page = login(Role.STREET_STAFF).get(street_url(world)).content.decode()
    assert "4月接待记录缺失" in page and "重新报送" in page and "退回了 1 位代表" in page


def test_returning_nobody_is_an_error(login, world):
    login(Role.STREET_STAFF).post(street_url(world), {"action": "submit"})
    response = login(Role.LIAISON_OFFICE).post(street_url(world), {"action": "return"})
    assert response.status_code == 400 and "请至少选择一位" in response.content.decode()


def test_street_staff_may_not_approve_and_the_liaison_office_may_not_submit(login, world):
    login(Role.STREET_STAFF).get(street_url(world))
    assert login(Role.LIAISON_OFFICE).post(street_url(world), {"action": "submit"}).status_code == 403
    login(Role.STREET_STAFF).post(street_url(world), {"action": "submit"})
    assert login(Role.STREET_STAFF).post(street_url(world), {"action": "approve"}).status_code == 403
    assert login(Role.STREET_DIRECTOR).post(street_url(world), {"action": "submit"}).status_code == 403


def test_approve_then_reopen_with_a_reason(login, world):
    login(Role.STREET_STAFF).post(street_url(world), {"action": "submit"})
    liaison = login(Role.LIAISON_OFFICE)
    assert liaison.post(street_url(world), {"action": "approve", "confirm_reviewed": "on"}).status_code == 302
    page = liaison.get(street_url(world)).content.decode()
    assert "已审核通过" in page and "本年度记录已锁定" in page and "重新开放的理由" in page
    response = liaison.post(street_url(world), {"action": "reopen", "reason": " "})
    assert response.status_code == 400 and "请填写重新开放的理由" in response.content.decode()
    assert liaison.post(street_url(world), {"action": "reopen", "reason": "补录一次接待"}).status_code == 302
    page = liaison.get(street_url(world)).content.decode()
    assert "已重新开放" in page and "补录一次接待" in page


def test_an_unknown_action_or_a_second_approval_is_an_error_not_a_crash(login, world):
    login(Role.STREET_STAFF).post(street_url(world), {"action": "submit"})
    liaison = login(Role.LIAISON_OFFICE)
    assert liaison.post(street_url(world), {"action": "explode"}).status_code == 400
    liaison.post(street_url(world), {"action": "approve", "confirm_reviewed": "on"})
    response = liaison.post(street_url(world), {"action": "approve", "confirm_reviewed": "on"})
    assert response.status_code == 409 and "只有已报送待审核的才能审核通过" in response.content.decode()  # a repeat


def test_a_district_viewer_of_a_street_not_begun_sees_its_deputies_without_creating_anything(login, world):
    page = login(Role.LIAISON_OFFICE).get(street_url(world, street="chaoyang")).content.decode()
    assert "王朝" in page and "待报送" in page and "尚未报送" in page
    assert not YearReview.objects.exists()


def test_the_liaison_office_sets_the_deadline_and_a_late_street_is_marked(login, world):
    liaison = login(Role.LIAISON_OFFICE)
    response = liaison.post("/oversight/reviews/?year=2024", {"due_date": "2025-01-20"})
    assert response.status_code == 302
    assert ReviewDeadline.objects.get().due_date == dt.date(2025, 1, 20)
    page = liaison.get("/oversight/reviews/?year=2024").content.decode()
    assert "2025年1月20日" in page and "已逾期" in page  # nobody submitted 2024 yet
    response = liaison.post("/oversight/reviews/?year=2024", {"due_date": "soon"})
    assert response.status_code == 400 and "日期格式应为 YYYY-MM-DD" in response.content.decode()
    assert login(Role.SC_OFFICE).post("/oversight/reviews/?year=2024", {"due_date": "2025-01-21"}).status_code == 403


def test_the_menu_offers_the_review_to_street_staff_and_the_liaison_office(login, world):
    assert "/oversight/reviews/" in login(Role.STREET_STAFF).get("/").content.decode()
    assert "/oversight/reviews/" in login(Role.LIAISON_OFFICE).get("/").content.decode()
    assert "/oversight/reviews/" not in login(Role.DEPUTY).get("/").content.decode()
