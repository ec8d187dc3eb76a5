"""Activity pages: who sees and changes what (200/403/404), the form, filters, pages, query counts."""
from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from activities.choices import ActivityKind, OrganizerLevel, Outcome
from activities.models import Activity
from dutyadmin.roles import Role
from tests import factories

pytestmark = pytest.mark.django_db
LIST = reverse("activities:list")
NEW = reverse("activities:create")
ALL_ROLES = [*Role.values, "nobody"]


@pytest.fixture
def activities(world):
    """东四's reception (张东, 李四 invited), 朝阳门's reception (王朝), a district inspection (all three)."""
    dongsi = factories.ActivityFactory(
        term=world["term"], kind=ActivityKind.STATION_RECEPTION, title="东四街道代表之家接待选民",
        organizer_level=OrganizerLevel.STREET_COMMITTEE, street_committee=world["dongsi"], date=dt.date(2024, 3, 1),
        location="东四街道代表之家",
    )
    chaoyang = factories.ActivityFactory(
        term=world["term"], kind=ActivityKind.STATION_RECEPTION, title="朝阳门街道联络站接待选民",
        organizer_level=OrganizerLevel.STREET_COMMITTEE, street_committee=world["chaoyang"], date=dt.date(2024, 3, 2),
    )
    district = factories.ActivityFactory(term=world["term"], title="区人大集中视察", date=dt.date(2024, 4, 1))
    for deputy in (world["zhang"], world["li"]):
        factories.ParticipationFactory(activity=dongsi, deputy=deputy, outcome=Outcome.PENDING, confirmed=False)
    factories.ParticipationFactory(activity=chaoyang, deputy=world["wang"])
    for deputy in (world["zhang"], world["li"], world["wang"]):
        factories.ParticipationFactory(activity=district, deputy=deputy)
    return {"dongsi": dongsi, "chaoyang": chaoyang, "district": district}


def titles(response) -> list[str]:
    return [a.title for a in response.context["page"].object_list]


# --- who sees the list ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.STREET_STAFF, ["区人大集中视察", "东四街道代表之家接待选民"]),
        (Role.STREET_DIRECTOR, ["区人大集中视察", "东四街道代表之家接待选民"]),
        (Role.DELEGATION_HEAD, ["区人大集中视察", "东四街道代表之家接待选民"]),
        (Role.LIAISON_OFFICE, ["区人大集中视察", "朝阳门街道联络站接待选民", "东四街道代表之家接待选民"]),
        (Role.SECRETARIAT, ["区人大集中视察", "朝阳门街道联络站接待选民", "东四街道代表之家接待选民"]),
    ],
)
def test_the_list_shows_the_activities_in_scope_newest_first(login, activities, role, expected):
    response = login(role).get(LIST)
    assert response.status_code == 200
    assert titles(response) == expected


def test_a_deputy_is_shown_their_own_activities_instead_of_the_list(login, activities):
    # Issue 11: a deputy's /activities/ is 我的活动 (their participations), not the staff list.
    response = login(Role.DEPUTY).get(LIST, follow=True)
    assert response.redirect_chain == [(reverse("activities:mine"), 302)]
    assert [p.activity.title for p in response.context["page"].object_list] == ["区人大集中视察", "东四街道代表之家接待选民"]


def test_a_user_without_a_role_cannot_see_the_list(login):
    assert login("nobody").get(LIST).status_code == 403


def test_the_list_counts_invited_and_attended(login, activities):
    rows = {a.title: (a.invited, a.attended) for a in login(Role.LIAISON_OFFICE).get(LIST).context["page"].object_list}
    assert rows["东四街道代表之家接待选民"] == (2, 0)
    assert rows["区人大集中视察"] == (3, 3)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "联络站"}, ["朝阳门街道联络站接待选民"]),
        ({"q": "代表之家"}, ["东四街道代表之家接待选民"]),
        ({"kind": "inspection"}, ["区人大集中视察"]),
        ({"organizer_level": "street_committee"}, ["朝阳门街道联络站接待选民", "东四街道代表之家接待选民"]),
        ({"date_after": "2024-03-02", "date_before": "2024-03-31"}, ["朝阳门街道联络站接待选民"]),
        ({"term": ""}, ["区人大集中视察", "朝阳门街道联络站接待选民", "东四街道代表之家接待选民"]),
    ],
)
def test_filters_are_the_apis(login, activities, query, expected):
    assert titles(login(Role.LIAISON_OFFICE).get(LIST, query)) == expected


def test_a_street_filter_cannot_widen_a_streets_scope(login, activities, world):
    response = login(Role.STREET_STAFF).get(LIST, {"street_committee": world["chaoyang"].pk})
    assert titles(response) == []


@pytest.mark.parametrize(
    "query",
    [{"kind": "nonsense"}, {"date_after": "yesterday"}, {"term": "abc"}, {"page": "x"}, {"page": "999"},
     {"deputy": "99999999999999999999999"}, {"q": "%' OR 1=1"}],
)
def test_bad_query_strings_give_a_page_never_an_error(login, activities, query):
    response = login(Role.LIAISON_OFFICE).get(LIST, query)
    assert response.status_code == 200


def test_a_bad_filter_is_ignored_and_named(login, activities):
    response = login(Role.LIAISON_OFFICE).get(LIST, {"kind": "nonsense"})
    assert "筛选条件无效,已忽略:活动类型" in response.text
    assert len(titles(response)) == 3


def test_fifty_activities_a_page(login, world):
    factories.ActivityFactory.create_batch(
        55, term=world["term"], organizer_level=OrganizerLevel.STREET_COMMITTEE, street_committee=world["dongsi"]
    )
    client = login(Role.STREET_STAFF)
    assert len(titles(client.get(LIST))) == 50
    assert len(titles(client.get(LIST, {"page": 2}))) == 5


def test_dates_read_the_chinese_way(login, activities):
    assert "2024年3月1日" in login(Role.STREET_STAFF).get(LIST).text


# The list costs the same for 3 activities as for 43: session, user, roles, scope link, header
# labels, current term, the filter's term lookup, the choices (terms, streets), count, page.
LIST_QUERIES = 11


@pytest.mark.parametrize("extra", [0, 40])
@pytest.mark.parametrize("role", [Role.STREET_STAFF, Role.LIAISON_OFFICE])
def test_the_list_page_costs_a_fixed_number_of_queries(login, activities, world, django_assert_num_queries, extra, role):
    for activity in factories.ActivityFactory.create_batch(
        extra, term=world["term"], organizer_level=OrganizerLevel.STREET_COMMITTEE, street_committee=world["dongsi"]
    ):
        factories.ParticipationFactory(activity=activity, deputy=world["zhang"])
    client = login(role)
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(LIST)
    assert response.status_code == 200


# --- one activity: see, change --------------------------------------------------------------------

EDIT_PAGES = ["activities:edit", "activities:invite", "activities:participations", "activities:delete"]


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("which", ["dongsi", "chaoyang", "district"])
def test_detail_and_edit_pages_by_role_and_organizer(login, activities, role, which):
    """404 when out of sight, 403 when visible but organized by someone else (Art. 8(一)), else 200."""
    activity = activities[which]
    visible = {
        Role.STREET_STAFF: {"dongsi", "district"}, Role.STREET_DIRECTOR: {"dongsi", "district"},
        Role.DEPUTY: {"dongsi", "district"}, Role.DELEGATION_HEAD: {"dongsi", "district"},
        "nobody": set(),
        # A handling unit's staff and a standing-committee member see no deputies' records.
        Role.HANDLING_UNIT: set(), Role.SC_MEMBER: set(),
    }.get(role, {"dongsi", "chaoyang", "district"})
    editable = {Role.STREET_STAFF: {"dongsi"}, Role.LIAISON_OFFICE: set(visible), Role.ADMIN: set(visible)}.get(role, set())
    client = login(role)
    detail = client.get(reverse("activities:detail", args=[activity.pk]))
    assert detail.status_code == (200 if which in visible else 404)
    for name in EDIT_PAGES:
        expected = 200 if which in editable else 403 if which in visible else 404
        assert client.get(reverse(name, args=[activity.pk])).status_code == expected, name


def test_dongsi_staff_cannot_change_chaoyangmens_activity_even_when_their_deputy_joined(login, activities, world):
    factories.ParticipationFactory(activity=activities["chaoyang"], deputy=world["zhang"])
    client = login(Role.STREET_STAFF)
    chaoyang = activities["chaoyang"]
    assert client.get(reverse("activities:detail", args=[chaoyang.pk])).status_code == 200
    response = client.post(reverse("activities:edit", args=[chaoyang.pk]), activity_data(title="改掉"))
    assert response.status_code == 403
    assert "谁组织、谁登记" in response.text
    response = client.post(reverse("activities:participations", args=[chaoyang.pk]), {})
    assert response.status_code == 403
    response = client.post(reverse("activities:delete", args=[chaoyang.pk]))
    assert response.status_code == 403
    chaoyang.refresh_from_db()
    assert chaoyang.title == "朝阳门街道联络站接待选民"


def test_the_detail_page_shows_the_invitees_and_counts(login, activities):
    response = login(Role.STREET_STAFF).get(reverse("activities:detail", args=[activities["district"].pk]))
    names = [p.deputy.name for p in response.context["participations"]]
    assert names == ["张东", "李四"]  # 王朝 of 朝阳门 is outside 东四's scope
    assert "出席" in response.text
    assert "您只能查看" not in response.text and "由其组织方登记" in response.text


# --- the form -------------------------------------------------------------------------------------


def activity_data(**changes) -> dict:
    data = {
        "title": "东四街道代表联络站接待选民", "kind": "station_reception", "organizer_level": "street_committee",
        "date": "2024-05-06", "end_date": "", "location": "东四街道代表联络站", "description": "",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.STREET_STAFF, 200), (Role.LIAISON_OFFICE, 200), (Role.ADMIN, 200), (Role.STREET_DIRECTOR, 403),
     (Role.DEPUTY, 403), (Role.DELEGATION_HEAD, 403), (Role.SECRETARIAT, 403), (Role.SC_OFFICE, 403), ("nobody", 403)],
)
def test_who_may_register_an_activity(login, world, role, status):
    client = login(role)
    assert client.get(NEW).status_code == status
    data = activity_data(street_committee=world["dongsi"].pk)
    response = client.post(NEW, data)
    assert response.status_code == (302 if status == 200 else 403)
    assert Activity.objects.count() == (1 if status == 200 else 0)


def test_street_staff_register_for_their_own_street_whatever_they_post(login, personas, world):
    response = login(Role.STREET_STAFF).post(NEW, activity_data(street_committee=world["chaoyang"].pk))
    activity = Activity.objects.get()
    assert response.status_code == 302 and response.url == reverse("activities:invite", args=[activity.pk])
    assert activity.street_committee == world["dongsi"]
    assert activity.term == world["term"]  # from the date
    assert activity.history.get().history_user == personas[Role.STREET_STAFF]


def test_street_staff_do_not_choose_the_standing_committee(login, world):
    response = login(Role.STREET_STAFF).post(NEW, activity_data(organizer_level="standing_committee"))
    assert response.status_code == 200
    assert "organizer_level" in response.context["form"].errors
    assert not Activity.objects.exists()


def test_every_kind_is_offered_with_its_chinese_label(login):
    form = login(Role.LIAISON_OFFICE).get(NEW).context["form"]
    assert dict(form.fields["kind"].choices)["station_reception"] == "代表之家、联络站接待群众"
    assert {value for value, _label in form.fields["kind"].choices} - {""} == set(ActivityKind.values)


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"date": "2030-01-01"}, "date", "不在任何一届"),
        ({"date": "not a date"}, "date", "日期"),
        ({"end_date": "2024-05-01"}, "end_date", "结束日期不能早于开始日期"),
        ({"title": ""}, "title", "必填"),
        ({"kind": "party"}, "kind", "选择"),
        ({"organizer_level": "street_committee", "street_committee": ""}, "street_committee", "必须注明街工委"),
    ],
)
def test_errors_are_shown_next_to_the_fields(login, world, changes, field, words):
    response = login(Role.LIAISON_OFFICE).post(NEW, activity_data(**changes))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors and words in str(errors[field]), errors
    assert not Activity.objects.exists()


def test_an_empty_post_shows_the_required_fields(login):
    response = login(Role.STREET_STAFF).post(NEW, {})
    assert response.status_code == 200
    assert {"title", "kind", "date"} <= set(response.context["form"].errors)


def test_editing_keeps_the_street_and_records_history(login, activities, personas):
    activity = activities["dongsi"]
    response = login(Role.STREET_STAFF).post(
        reverse("activities:edit", args=[activity.pk]), activity_data(title="东四街道代表之家接待选民(三月)", date="2024-03-01")
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.title == "东四街道代表之家接待选民(三月)"
    assert activity.history.latest().history_user == personas[Role.STREET_STAFF]


def test_an_activity_with_invitees_cannot_move_to_another_term(login, activities, world):
    factories.TermFactory(number=18, name="第18届", start_date=dt.date(2027, 1, 1), end_date=dt.date(2031, 12, 31))
    activity = activities["dongsi"]
    response = login(Role.STREET_STAFF).post(reverse("activities:edit", args=[activity.pk]), activity_data(date="2027-03-01"))
    assert response.status_code == 200
    assert "另一届" in str(response.context["form"].errors["date"])


def test_deleting_asks_first_then_removes_the_activity_and_its_records(login, activities):
    activity = activities["dongsi"]
    client = login(Role.STREET_STAFF)
    page = client.get(reverse("activities:delete", args=[activity.pk]))
    assert "2 条代表参加记录" in page.text
    response = client.post(reverse("activities:delete", args=[activity.pk]))
    assert response.status_code == 302
    assert not Activity.objects.filter(pk=activity.pk).exists()
    assert Activity.history.filter(id=activity.pk, history_type="-").exists()


def test_an_unknown_activity_is_a_404(login):
    assert login(Role.LIAISON_OFFICE).get(reverse("activities:detail", args=[987654])).status_code == 404
