"""Issue 11: a year-end review that hides nothing. The review row of a deputy shows every open action finding
whatever year set it off, the year's unmet thresholds and the data checks; approving (which locks the year)
asks for a confirmation that lists them, and while the year runs a second, explicit one; a locked year is
said on every form that would write into it, before the user types."""
import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from activities.models import Activity
from dutyadmin.navigation import MENU, menu_for
from dutyadmin.roles import Role
from dutyadmin.scope import scope_for
from dutyadmin.year_lock import locked_years, year_lock_notice
from oversight.choices import ReviewStatus
from oversight.models import YearReview
from oversight.review.deadlines import year_not_over
from oversight.review.lock import is_year_locked
from oversight.review.services import year_review_approve, year_review_open, year_review_submit
from tests import factories
from tests.oversight.records import attend, session_with_meetings

D = dt.date
TODAY = D(2026, 12, 2)  # the day of the issue: December still to come


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)
    return TODAY


@pytest.fixture
def terminated_in_2025(world):
    """李四 missed two 2025 sessions without leave: 资格终止 (A9.2) set off in 2025, never dealt with.
    张东 attended both. Nothing about 2026 is wrong with either of them."""
    li, zhang = world["li"], world["zhang"]
    for number, start in ((4, D(2025, 1, 8)), (5, D(2025, 3, 3))):
        _session, meetings = session_with_meetings(world["term"], start, start + dt.timedelta(days=2), number=number)
        attend(li, meetings, "absent")
        attend(zhang, meetings, "present")
        attend(world["wang"], meetings, "present")
    return li


def street_url(world, year=2026, street="dongsi") -> str:
    return f"/oversight/reviews/{world['term'].pk}/{year}/{world[street].pk}/"


def submitted(login, world, year=2026):
    login(Role.STREET_STAFF).post(street_url(world, year), {"action": "submit"})
    review = YearReview.objects.get(year=year, street_committee=world["dongsi"])
    assert review.status == ReviewStatus.SUBMITTED
    return review


def test_the_2026_review_shows_a_2025_termination_still_open(login, world, terminated_in_2025, today):
    li = terminated_in_2025
    page = login(Role.LIAISON_OFFICE).get(street_url(world)).content.decode()
    row = page[page.index(f'id="deputy-{li.pk}"'):]
    row = row[:row.index("</tr>")]
    assert "资格终止" in row and "2025年" in row and "无未达标或待处置事项" not in row
    assert f"/oversight/deputies/{li.pk}/#rule-qualification_termination" in row  # why: the deputy's findings
    assert "待处置事项 " in page and "含以前年度触发" in page  # the summary above the table


def test_the_row_shows_the_data_checks_of_the_deputy(login, world, today):
    # 张东 is invited to an activity dated before his service began: a record outside his service.
    zhang = world["zhang"]
    zhang.service_start = D(2026, 3, 1)
    zhang.save()
    activity = factories.ActivityFactory(term=world["term"], date=D(2026, 2, 1), title="春节走访")
    factories.ParticipationFactory(activity=activity, deputy=zhang)
    page = login(Role.LIAISON_OFFICE).get(street_url(world)).content.decode()
    row = page[page.index(f'id="deputy-{zhang.pk}"'):]
    row = row[:row.index("</tr>")]
    assert "数据检查" in row and "任职期间以外的记录" in row
    assert f"/oversight/data-checks/?term={world['term'].pk}&amp;deputy={zhang.pk}" in row


@pytest.mark.parametrize("extra", [0, 6])
def test_the_review_page_reads_findings_once_whatever_the_number_of_deputies(
        login, world, terminated_in_2025, today, django_assert_num_queries, extra):
    for _ in range(extra):
        deputy = factories.DeputyFactory(term=world["term"], street_committee=world["dongsi"],
                                         delegation=world["del_ds"])
        factories.ParticipationFactory(activity=factories.ActivityFactory(term=world["term"], date=D(2026, 5, 1)),
                                       deputy=deputy)
    submitted(login, world)
    client = login(Role.LIAISON_OFFICE)
    with django_assert_num_queries(REVIEW_PAGE_QUERIES):
        response = client.get(street_url(world))
    assert response.status_code == 200 and len(response.context["rows"]) == 2 + extra


# session, user, roles, scope link; term, street; the review twice (to act on, then with its people); the
# deputies, the entries of those who moved; the facts of the street's deputies (nine queries, whatever their
# number: the findings, the classification and the data checks all read that one load); the entries, the
# deadline, the events, the header's names, "any entry?" of the table's caption.
REVIEW_PAGE_QUERIES = 26  # the loader reads the term's threshold changes and the suspensions too (issue 12)


@pytest.mark.parametrize("extra", [0, 6])
def test_the_board_counts_each_streets_open_actions_in_a_fixed_number_of_queries(
        login, world, terminated_in_2025, today, django_assert_num_queries, extra):
    factories.DeputyFactory.create_batch(extra, term=world["term"], street_committee=world["chaoyang"],
                                         delegation=world["del_cy"])
    client = login(Role.LIAISON_OFFICE)
    with django_assert_num_queries(BOARD_QUERIES):
        response = client.get("/oversight/reviews/?year=2026")
    rows = {row["street"].name: row for row in response.context["rows"]}
    assert rows["东四"]["open_actions"] >= 1  # 李四's 资格终止 of 2025 among them
    assert f'href="{street_url(world)}" title="待处置事项' in response.content.decode()


# session, user, roles, scope link; the current term, the deadline, the deputies by street, the reviews (no
# entries: none submitted); the deputies' streets and the term's facts (nine: the findings, whatever the number
# of deputies), with the data version of today's findings snapshot before them (oversight.findings.snapshot:
# this first read makes it); the streets; the header's names.
BOARD_QUERIES = 23  # idem


def test_approving_without_the_confirmation_changes_nothing(login, world, terminated_in_2025, today):
    review = submitted(login, world)
    liaison = login(Role.LIAISON_OFFICE)
    page = liaison.get(street_url(world)).content.decode()
    assert 'value="approve"' not in page and f"{street_url(world)}approve/" in page  # a link to the confirmation
    response = liaison.post(street_url(world), {"action": "approve"})  # the old one-click post
    assert response.status_code == 400 and "请在确认页核对" in response.content.decode()
    response = liaison.post(f"{street_url(world)}approve/", {})
    assert response.status_code == 400 and "请先核对上述事项并勾选确认" in response.content.decode()
    review.refresh_from_db()
    assert review.status == ReviewStatus.SUBMITTED
    assert not is_year_locked(street_committee=world["dongsi"], term=world["term"], year=2026)


def test_the_confirmation_page_lists_the_open_termination_and_warns_the_year_is_not_over(
        login, world, terminated_in_2025, today):
    submitted(login, world)
    response = login(Role.LIAISON_OFFICE).get(f"{street_url(world)}approve/")
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="count-open-actions">' in page
    summary = response.context["summary"]
    assert summary["open_action_count"] >= 1
    assert any(item["rule"] == "qualification_termination" for group in summary["open_actions"]
               for item in group["items"] if group["deputy"] == terminated_in_2025)
    listed = page[page.index('id="open-actions"'):]
    assert "李四" in listed[:listed.index("</ul>")] and "资格终止" in listed[:listed.index("</ul>")]
    assert "2026年度尚未结束" in page and "我已知晓本年度尚未结束" in page


def test_before_the_year_ends_the_second_confirmation_is_needed(login, world, terminated_in_2025, today):
    review = submitted(login, world)
    liaison = login(Role.LIAISON_OFFICE)
    response = liaison.post(f"{street_url(world)}approve/", {"confirm_reviewed": "on"})
    assert response.status_code == 400 and "请勾选“我已知晓本年度尚未结束”" in response.content.decode()
    response = liaison.post(street_url(world), {"action": "approve", "confirm_reviewed": "on"})
    assert response.status_code == 400 and "2026年度尚未结束" in response.content.decode()
    review.refresh_from_db()
    assert review.status == ReviewStatus.SUBMITTED

    response = liaison.post(f"{street_url(world)}approve/", {"confirm_reviewed": "on", "confirm_year_not_over": "on",
                                                             "note": "已知晓12月的活动不能再登记"})
    assert response.status_code == 302 and response["Location"] == street_url(world)
    review.refresh_from_db()
    assert review.status == ReviewStatus.APPROVED
    assert is_year_locked(street_committee=world["dongsi"], term=world["term"], year=2026)
    assert review.events.last().reason == "已知晓12月的活动不能再登记"


def test_a_year_that_is_over_needs_the_first_confirmation_only(login, world, today):
    review = submitted(login, world, year=2025)
    liaison = login(Role.LIAISON_OFFICE)
    page = liaison.get(f"{street_url(world, 2025)}approve/").content.decode()
    assert "我已知晓本年度尚未结束" not in page
    assert liaison.post(f"{street_url(world, 2025)}approve/", {"confirm_reviewed": "on"}).status_code == 302
    review.refresh_from_db()
    assert review.status == ReviewStatus.APPROVED


def test_the_service_refuses_a_running_year_without_the_confirmation(world, personas):
    review = year_review_open(term=world["term"], year=2026, street_committee=world["dongsi"])
    year_review_submit(user=personas[Role.STREET_STAFF], review=review, today=TODAY)
    with pytest.raises(ValidationError) as error:
        year_review_approve(user=personas[Role.LIAISON_OFFICE], review=review, today=TODAY)
    assert "confirm_year_not_over" in error.value.message_dict
    review.refresh_from_db()
    assert review.status == ReviewStatus.SUBMITTED
    year_review_approve(user=personas[Role.LIAISON_OFFICE], review=review, today=TODAY, confirm_year_not_over=True)
    review.refresh_from_db()
    assert review.status == ReviewStatus.APPROVED


def test_the_year_is_over_only_after_its_last_day():
    assert year_not_over(2026, D(2026, 12, 2)) and year_not_over(2026, D(2026, 12, 31))
    assert not year_not_over(2026, D(2027, 1, 1)) and not year_not_over(2025, D(2026, 12, 2))


def test_others_cannot_open_the_confirmation(login, world, today):
    submitted(login, world)
    assert login(Role.STREET_STAFF).get(f"{street_url(world)}approve/").status_code == 403
    assert login(Role.STREET_STAFF).post(f"{street_url(world)}approve/", {"confirm_reviewed": "on"}).status_code == 403
    assert login(Role.DEPUTY).get(f"{street_url(world)}approve/").status_code == 404
    assert login(Role.LIAISON_OFFICE).get(f"/oversight/reviews/{world['term'].pk}/2026/99999/approve/").status_code == 404


def test_the_confirmation_of_a_review_not_submitted_goes_back_to_the_street(login, world, today):
    login(Role.STREET_STAFF).get(street_url(world))  # opened, not submitted
    response = login(Role.LIAISON_OFFICE).get(f"{street_url(world)}approve/")
    assert response.status_code == 302 and response["Location"] == street_url(world)


# --- a locked year is said on the forms that write into it -------------------------------------------


@pytest.fixture
def locked_2025(world, personas):
    review = year_review_open(term=world["term"], year=2025, street_committee=world["dongsi"])
    year_review_submit(user=personas[Role.STREET_STAFF], review=review, today=TODAY)
    year_review_approve(user=personas[Role.LIAISON_OFFICE], review=review, today=TODAY)
    return review


def test_locked_years_are_read_for_the_users_streets(world, personas, locked_2025):
    (locked,) = locked_years(user=personas[Role.STREET_STAFF])
    assert (locked.year, locked.streets, locked.every_street) == (2025, ("东四",), True)
    assert year_lock_notice(user=personas[Role.STREET_STAFF]) == ["2025年度已审核锁定:该年度的记录不能再新增、修改或删除。"]
    assert year_lock_notice(user=personas[Role.LIAISON_OFFICE]) == [
        "2025年度已审核锁定(东四):这些街道代表该年度的记录不能再新增、修改或删除。"]
    assert year_lock_notice(user=personas[Role.STREET_STAFF], dates=[D(2026, 3, 1)]) == []
    assert year_lock_notice(street_committees=[world["chaoyang"]]) == []


def test_the_activity_form_says_which_years_are_locked_before_the_user_types(login, world, locked_2025):
    page = login(Role.STREET_STAFF).get("/activities/new/").content.decode()
    assert "year-lock-notice" in page and "2025年度已审核锁定" in page


def test_an_activity_in_a_locked_year_is_refused_at_its_form_next_to_the_date(login, world, locked_2025):
    client = login(Role.STREET_STAFF)
    page = client.get("/activities/new/").content.decode()
    assert 'name="date"' in page
    response = client.post("/activities/new/", {
        "term": world["term"].pk, "kind": "inspection", "title": "十二月视察", "date": "2025-12-05",
        "organizer_level": "street_committee", "street_committee": world["dongsi"].pk,
    })
    page = response.content.decode()
    assert response.status_code == 200 and "已保存" not in page
    assert not Activity.objects.filter(title="十二月视察").exists()
    date_field = page[page.index('name="date"'):]
    assert "东四2025年度的履职记录已由代表联络机构审核通过并锁定" in date_field[:3000]
    assert response.context["form"].errors.get("date")


def test_an_activity_of_an_open_year_or_street_is_still_saved(login, world, locked_2025):
    response = login(Role.STREET_STAFF).post("/activities/new/", {
        "term": world["term"].pk, "kind": "inspection", "title": "三月视察", "date": "2026-03-05",
        "organizer_level": "street_committee", "street_committee": world["dongsi"].pk,
    })
    assert response.status_code == 302 and Activity.objects.filter(title="三月视察").exists()


def test_the_invite_and_outcome_pages_of_a_locked_activity_say_so(login, world, locked_2025):
    activity = factories.ActivityFactory(term=world["term"], date=D(2025, 6, 1), title="六月接待",
                                         organizer_level="street_committee", street_committee=world["dongsi"])
    client = login(Role.STREET_STAFF)
    for url in (f"/activities/{activity.pk}/invite/", f"/activities/{activity.pk}/participations/"):
        page = client.get(url).content.decode()
        assert "2025年度已审核锁定" in page, url


def test_the_attendance_sheet_of_a_locked_year_says_so(login, world, locked_2025):
    _session, meetings = session_with_meetings(world["term"], D(2025, 1, 8), D(2025, 1, 10), number=4)
    page = login(Role.SECRETARIAT).get(f"/meetings/meeting/{meetings[0].pk}/attendance/").content.decode()
    assert "year-lock-notice" in page and "2025年度已审核锁定(东四)" in page
    _session, meetings = session_with_meetings(world["term"], D(2026, 1, 8), D(2026, 1, 10), number=5)
    page = login(Role.SECRETARIAT).get(f"/meetings/meeting/{meetings[0].pk}/attendance/").content.decode()
    assert "year-lock-notice" not in page


@pytest.mark.parametrize("role, url", [
    (Role.STREET_STAFF, "/meetings/contributions/new/"),
    (Role.STREET_DIRECTOR, "/oversight/interventions/new/"),
    (Role.STREET_STAFF, "/meetings/leave/backfill/"),
    (Role.STREET_STAFF, "/activities/import/"),
    (Role.DEPUTY, "/activities/self/new/"),
    (Role.DEPUTY, "/meetings/leave/new/"),
])
def test_forms_that_choose_a_date_list_the_locked_years(login, world, locked_2025, role, url):
    response = login(role).get(url)
    assert response.status_code == 200, url
    assert "2025年度已审核锁定" in response.content.decode(), url


# --- one menu item per page ------------------------------------------------------------------------


def test_the_review_pages_highlight_the_review_item_only(login, world, today):
    for url in ("/oversight/reviews/?year=2026", street_url(world)):
        page = login(Role.LIAISON_OFFICE).get(url).content.decode()
        assert page.count('aria-current="page"') == 1, url
        active = page[:page.index('aria-current="page"')]
        assert active.endswith('class="active" ') and "/oversight/reviews/" in active[active.rindex("<a "):]


def test_no_role_sees_two_menu_items_of_one_section(personas):
    for user in personas.values():
        sections = [item.section for item in MENU if menu_for(scope_for(user), section=item.section)
                    and any(entry.active for entry in menu_for(scope_for(user), section=item.section))]
        for section in set(sections):
            active = [e for e in menu_for(scope_for(user), section=section) if e.active]
            assert len(active) <= 1, (user.username, section, active)
