"""Contributions entered by staff are confirmed; a deputy's own entry waits for their street's staff
(or the secretariat / liaison office) to confirm it or return it with a reason, and counts for
nothing until confirmed."""
import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from dutyadmin.roles import Role
from dutyadmin.services import Conflict
from meetings.models import Contribution
from meetings.services import contribution_confirm, contribution_return, contribution_save
from tests import factories

pytestmark = pytest.mark.django_db
REVIEW = reverse("meetings:contribution_review")
MINE = reverse("meetings:contribution_self_create")


def data(deputy, **changes) -> dict:
    values = {"deputy": deputy, "session": None, "kind": "suggestion", "date": dt.date(2024, 3, 2),
              "title": "关于增设养老驿站的建议"}
    values.update(changes)
    return values


def own_entry(district, people, **changes) -> Contribution:
    return contribution_save(user=people[Role.DEPUTY], data=data(district["zhang"], **changes))


# --- services --------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.STREET_STAFF, Role.SECRETARIAT, Role.LIAISON_OFFICE])
def test_staff_entries_are_confirmed_by_whoever_entered_them(district, people, role):
    saved = contribution_save(user=people[role], data=data(district["zhang"]))
    assert (saved.confirmed, saved.confirmed_by, saved.review_state) == (True, people[role], "confirmed")
    assert saved.confirmed_at is not None


def test_a_deputys_own_entry_waits_for_confirmation(district, people):
    saved = own_entry(district, people)
    assert (saved.confirmed, saved.confirmed_by, saved.review_state) == (False, None, "pending")
    assert saved.history.latest().history_user == people[Role.DEPUTY]


def test_a_deputy_enters_for_nobody_but_themself(district, people):
    with pytest.raises(PermissionDenied):
        contribution_save(user=people[Role.DEPUTY], data=data(district["li"]))
    assert not Contribution.objects.exists()


def test_street_staff_confirm_their_streets_deputy_and_nobody_elses(district, people):
    entry = own_entry(district, people)
    with pytest.raises(PermissionDenied):
        contribution_confirm(user=people["other_staff"], contribution=entry)
    with pytest.raises(PermissionDenied):
        contribution_confirm(user=people[Role.DEPUTY], contribution=entry)
    confirmed = contribution_confirm(user=people[Role.STREET_STAFF], contribution=entry)
    assert (confirmed.confirmed, confirmed.confirmed_by) == (True, people[Role.STREET_STAFF])
    with pytest.raises(ValidationError):
        contribution_confirm(user=people[Role.SECRETARIAT], contribution=entry)


def test_a_return_needs_a_reason_and_the_deputys_correction_goes_back_for_review(district, people):
    entry = own_entry(district, people)
    with pytest.raises(ValidationError) as excinfo:
        contribution_return(user=people[Role.STREET_STAFF], contribution=entry, comment=" ")
    assert "comment" in excinfo.value.error_dict
    returned = contribution_return(user=people[Role.STREET_STAFF], contribution=entry, comment="标题不完整")
    assert (returned.review_state, returned.return_reason) == ("returned", "标题不完整")
    with pytest.raises(ValidationError):
        contribution_return(user=people[Role.STREET_STAFF], contribution=entry, comment="再退一次")
    fixed = contribution_save(user=people[Role.DEPUTY], contribution=Contribution.objects.get(pk=entry.pk),
                              data={"title": "关于在东四增设养老驿站的建议"})
    assert (fixed.review_state, fixed.return_reason) == ("pending", "")


def test_a_confirmed_entry_is_the_staffs_to_change(district, people):
    entry = own_entry(district, people)
    contribution_confirm(user=people[Role.SECRETARIAT], contribution=entry)
    with pytest.raises(PermissionDenied):
        contribution_save(user=people[Role.DEPUTY], contribution=Contribution.objects.get(pk=entry.pk),
                          data={"title": "改"})
    with pytest.raises(ValidationError):
        contribution_return(user=people[Role.SECRETARIAT], contribution=entry, comment="晚了")


def test_staff_correcting_a_pending_entry_confirm_it(district, people):
    entry = own_entry(district, people)
    saved = contribution_save(user=people[Role.STREET_STAFF], contribution=entry, data={"title": "改正后的标题"})
    assert (saved.confirmed, saved.confirmed_by) == (True, people[Role.STREET_STAFF])


# --- pages -----------------------------------------------------------------------------------------


def test_a_deputy_registers_their_own_contribution_in_the_browser(district, people, as_):
    client = as_(Role.DEPUTY)
    page = client.get(MINE)
    assert page.status_code == 200 and "代表:张东" in page.text
    body = {"deputy": district["zhang"].pk, "session": district["past"].pk, "kind": "review_opinion",
            "date": district["past"].start_date.isoformat(), "title": "对政府工作报告的审议意见"}
    response = client.post(MINE, body)
    assert response.status_code == 302
    entry = Contribution.objects.get()
    assert (entry.deputy, entry.confirmed) == (district["zhang"], False)
    listing = client.get(reverse("meetings:contribution_list"))
    assert "待确认" in listing.text and "等待工作人员确认" in listing.text


def test_a_deputy_cannot_register_for_someone_else(district, as_):
    body = {"deputy": district["li"].pk, "session": "", "kind": "suggestion", "date": "2024-03-02", "title": "冒名"}
    response = as_(Role.DEPUTY).post(MINE, body)
    assert response.status_code == 200 and "deputy" in response.context["form"].errors
    assert not Contribution.objects.exists()


@pytest.mark.parametrize("role", [Role.STREET_STAFF, Role.SECRETARIAT, Role.DELEGATION_HEAD, "nobody"])
def test_only_a_deputy_self_registers(district, as_, role):
    assert as_(role).get(MINE).status_code == 403


def test_a_deputy_corrects_a_returned_entry_and_it_is_pending_again(district, people, as_):
    entry = own_entry(district, people)
    contribution_return(user=people[Role.STREET_STAFF], contribution=entry, comment="日期有误")
    client = as_(Role.DEPUTY)
    edit = reverse("meetings:contribution_edit", args=[entry.pk])
    page = client.get(edit)
    assert page.status_code == 200 and "日期有误" in page.text
    body = {"deputy": district["zhang"].pk, "session": "", "kind": "suggestion", "date": "2024-03-05",
            "title": entry.title}
    assert client.post(edit, body).status_code == 302
    entry.refresh_from_db()
    assert (entry.review_state, entry.date) == ("pending", dt.date(2024, 3, 5))


def test_the_review_queue_confirms_and_returns(district, people, as_):
    first = own_entry(district, people, title="第一条")
    second = own_entry(district, people, title="第二条")
    factories.ContributionFactory(deputy=district["wang"], confirmed=False, title="朝阳门的")
    client = as_(Role.STREET_STAFF)
    page = client.get(REVIEW)
    assert [c.title for c in page.context["page"]] == ["第一条", "第二条"]  # 朝阳门's is another street's
    assert client.post(reverse("meetings:contribution_confirm", args=[first.pk])).status_code == 302
    response = client.post(reverse("meetings:contribution_return", args=[second.pk]), {"comment": ""})
    assert response.status_code == 400
    assert "退回时请填写理由" in response.text
    client.post(reverse("meetings:contribution_return", args=[second.pk]), {"comment": "请补充具体内容"})
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.confirmed, first.confirmed_by) == (True, people[Role.STREET_STAFF])
    assert second.review_state == "returned" and second.return_reason == "请补充具体内容"


def test_the_review_queue_refuses_out_of_scope_and_wrong_roles(district, people, as_):
    theirs = factories.ContributionFactory(deputy=district["wang"], confirmed=False)
    assert as_(Role.STREET_STAFF).post(reverse("meetings:contribution_confirm", args=[theirs.pk])).status_code == 404
    assert as_(Role.DEPUTY).get(REVIEW).status_code == 403
    assert as_(Role.STREET_DIRECTOR).get(REVIEW).status_code == 403
    mine = own_entry(district, people)
    assert as_(Role.DEPUTY).post(reverse("meetings:contribution_confirm", args=[mine.pk])).status_code == 403
    assert as_(Role.STREET_STAFF).get(reverse("meetings:contribution_confirm", args=[mine.pk])).status_code == 405
    assert not Contribution.objects.get(pk=mine.pk).confirmed


# --- API -------------------------------------------------------------------------------------------


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_deputy_posts_their_own_contribution_unconfirmed_whatever_the_body_says(district, people):
    body = {"deputy": district["zhang"].pk, "session": None, "kind": "suggestion", "date": "2024-03-01",
            "title": "新建议", "confirmed": True, "confirmed_by": people[Role.SECRETARIAT].pk}
    response = api(people[Role.DEPUTY]).post("/api/v1/contributions/", body, format="json")
    assert response.status_code == 201
    assert (response.json()["confirmed"], response.json()["confirmed_by"]) == (False, None)
    pk = response.json()["id"]
    # Still theirs to change until confirmed.
    assert api(people[Role.DEPUTY]).patch(f"/api/v1/contributions/{pk}/", {"title": "改"},
                                          format="json").status_code == 200


def test_staff_confirm_or_return_through_the_api(district, people):
    entry = own_entry(district, people)
    staff = api(people[Role.STREET_STAFF])
    response = staff.post(f"/api/v1/contributions/{entry.pk}/return/", {}, format="json")
    assert response.status_code == 400 and "理由" in str(response.json()["comment"])
    response = staff.post(f"/api/v1/contributions/{entry.pk}/return/", {"comment": "请补充"}, format="json")
    assert response.status_code == 200 and response.json()["return_reason"] == "请补充"
    response = staff.post(f"/api/v1/contributions/{entry.pk}/confirm/", format="json")
    assert response.status_code == 200
    assert (response.json()["confirmed"], response.json()["confirmed_by"]) == (True, people[Role.STREET_STAFF].pk)
    assert staff.post(f"/api/v1/contributions/{entry.pk}/confirm/", format="json").status_code == 409  # a repeat
    # Confirmed: the deputy can no longer change or delete it.
    assert api(people[Role.DEPUTY]).patch(f"/api/v1/contributions/{entry.pk}/", {"title": "改"},
                                          format="json").status_code == 403
    assert api(people[Role.DEPUTY]).delete(f"/api/v1/contributions/{entry.pk}/").status_code == 403


def test_the_api_refuses_confirmation_out_of_turn_or_scope(district, people):
    entry = own_entry(district, people)
    assert api(people[Role.DEPUTY]).post(f"/api/v1/contributions/{entry.pk}/confirm/").status_code == 403
    assert api(people["other_staff"]).post(f"/api/v1/contributions/{entry.pk}/confirm/").status_code == 404
    assert api(people[Role.STREET_DIRECTOR]).post(f"/api/v1/contributions/{entry.pk}/confirm/").status_code == 403
    assert not Contribution.objects.get(pk=entry.pk).confirmed


def test_the_api_filters_nothing_away_but_says_what_is_confirmed(district, people):
    own_entry(district, people)
    contribution_save(user=people[Role.STREET_STAFF], data=data(district["zhang"], title="工作人员登记"))
    rows = api(people[Role.SECRETARIAT]).get("/api/v1/contributions/").json()["results"]
    assert sorted((r["title"], r["confirmed"]) for r in rows) == [("关于增设养老驿站的建议", False), ("工作人员登记", True)]


def test_an_entry_of_a_year_approved_in_review_is_not_confirmed_afterwards(district, people):
    from oversight.models import YearReview

    entry = own_entry(district, people)
    YearReview.objects.create(term=district["term"], year=entry.date.year, street_committee=district["dongsi"],
                              status="approved")
    with pytest.raises(ValidationError):
        contribution_confirm(user=people[Role.STREET_STAFF], contribution=entry)
    assert not Contribution.objects.get(pk=entry.pk).confirmed


# --- confirm15: confirmed stays confirmed; a repeated confirmation is a 409 -------------------------------


def test_a_deputys_stale_copy_saved_after_the_confirmation_is_refused(district, people):
    entry = own_entry(district, people)
    stale = Contribution.objects.get(pk=entry.pk)  # the deputy opened it before staff confirmed it
    contribution_confirm(user=people[Role.STREET_STAFF], contribution=entry)
    with pytest.raises(PermissionDenied) as caught:
        contribution_save(user=people[Role.DEPUTY], contribution=stale, data={"title": "晚到的修改"})
    assert "确认，代表本人不能再修改或删除" in str(caught.value)
    fresh = Contribution.objects.get(pk=entry.pk)
    assert (fresh.title, fresh.confirmed) == (entry.title, True)


def test_a_deputy_opening_a_confirmed_entry_in_the_browser_is_told_who_confirmed_it(district, people, as_):
    entry = own_entry(district, people)
    contribution_confirm(user=people[Role.STREET_STAFF], contribution=entry)
    client = as_(Role.DEPUTY)
    edit = reverse("meetings:contribution_edit", args=[entry.pk])
    for response in (client.get(edit), client.post(edit, {"deputy": district["zhang"].pk, "session": "",
                                                          "kind": "suggestion", "date": "2024-03-05", "title": "改"})):
        assert response.status_code == 403
        assert "已由" in response.text and "请联系工作人员修改" in response.text
    assert Contribution.objects.get(pk=entry.pk).title == entry.title


def test_a_repeated_confirmation_on_the_page_says_it_is_confirmed_already(district, people, as_):
    entry = own_entry(district, people)
    client = as_(Role.STREET_STAFF)
    confirm = reverse("meetings:contribution_confirm", args=[entry.pk])
    assert client.post(confirm).status_code == 302
    page = client.post(confirm, follow=True)
    assert "无需再确认" in page.text
    assert Contribution.objects.get(pk=entry.pk).history.count() == 2  # entered, confirmed: the repeat wrote nothing


def test_a_confirmation_race_is_a_conflict_with_the_current_state(district, people):
    entry = own_entry(district, people)
    contribution_confirm(user=people[Role.SECRETARIAT], contribution=entry)
    with pytest.raises(Conflict) as caught:
        contribution_confirm(user=people[Role.STREET_STAFF], contribution=entry)
    assert caught.value.current["confirmed"] is True
    assert caught.value.current["confirmed_by"] == people[Role.SECRETARIAT].pk
