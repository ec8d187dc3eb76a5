"""The deputy list: scope, search, filters, pagination, bad query strings, a fixed number of queries."""
import pytest
from django.urls import reverse

from dutyadmin.roles import Role
from tests import factories

pytestmark = pytest.mark.django_db
URL = reverse("deputies:list")


def names(response) -> list[str]:
    return [d.name for d in response.context["deputies"]]


def test_street_staff_see_only_their_streets_deputies(login):
    response = login(Role.STREET_STAFF).get(URL)
    assert response.status_code == 200
    assert sorted(names(response)) == ["张东", "李四"]
    assert "王朝" not in response.text


def test_a_delegation_head_sees_their_delegation(login):
    assert sorted(names(login(Role.DELEGATION_HEAD).get(URL))) == ["张东", "李四"]


@pytest.mark.parametrize("role", [Role.LIAISON_OFFICE, Role.SECRETARIAT, Role.SC_LEADER, Role.ADMIN])
def test_district_roles_see_every_deputy(login, role):
    assert sorted(names(login(role).get(URL))) == ["张东", "李四", "王朝"]


def test_a_deputy_goes_straight_to_their_own_page(login, world):
    response = login(Role.DEPUTY).get(URL)
    assert response.status_code == 302
    assert response.url == reverse("deputies:detail", args=[world["zhang"].pk])


def test_a_user_without_a_role_is_refused(login):
    assert login("nobody").get(URL).status_code == 403


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("张", ["张东"]),  # name
        ("协和", ["李四"]),  # unit
        ("第9选区", ["王朝"]),  # constituency
        ("不存在的人", []),
    ],
)
def test_search_finds_name_unit_or_constituency(login, query, expected):
    assert names(login(Role.LIAISON_OFFICE).get(URL, {"q": query})) == expected


def test_filters_are_the_apis(login, world):
    client = login(Role.LIAISON_OFFICE)
    assert names(client.get(URL, {"street_committee": world["chaoyang"].pk})) == ["王朝"]
    assert sorted(names(client.get(URL, {"delegation": world["del_ds"].pk}))) == ["张东", "李四"]
    assert names(client.get(URL, {"gender": "M"})) == ["李四"]
    assert names(client.get(URL, {"status": "resigned"})) == []
    assert sorted(names(client.get(URL, {"term": world["term"].pk}))) == ["张东", "李四", "王朝"]


def test_filtering_on_another_street_cannot_widen_the_scope(login, world):
    response = login(Role.STREET_STAFF).get(URL, {"street_committee": world["chaoyang"].pk})
    assert response.status_code == 200
    assert names(response) == []


def test_the_filter_choices_offer_only_what_is_in_scope(login):
    response = login(Role.STREET_STAFF).get(URL)
    streets = [label for _value, label in response.context["choices"]["street_committee"]]
    assert streets == ["东四"]


@pytest.mark.parametrize(
    "query",
    [
        {"page": "abc"},
        {"page": "-1"},
        {"page": "99999"},
        {"street_committee": "xyz"},
        {"delegation": "1.5"},
        {"term": "第十七届"},
        {"status": "sleeping"},
        {"gender": "X"},
        {"q": "x" * 500},
    ],
)
def test_bad_query_strings_give_a_page_never_an_error(login, query):
    response = login(Role.LIAISON_OFFICE).get(URL, query)
    assert response.status_code == 200
    if "q" not in query:
        assert response.context["notices"], "a bad value is explained, not silently swallowed"
        assert "无效" in response.context["notices"][0]


def test_a_bad_filter_is_ignored_and_named(login):
    response = login(Role.LIAISON_OFFICE).get(URL, {"street_committee": "xyz"})
    assert sorted(names(response)) == ["张东", "李四", "王朝"]
    assert "人大街工委" in response.context["notices"][0]


def test_fifty_deputies_a_page_with_the_total(login, world):
    factories.DeputyFactory.create_batch(
        60, term=world["term"], street_committee=world["dongsi"], delegation=world["del_ds"]
    )
    client = login(Role.STREET_STAFF)
    first = client.get(URL)
    assert len(first.context["deputies"]) == 50
    assert first.context["total"] == 62
    assert "<b>62</b>" in first.text
    second = client.get(URL, {"page": 2})
    assert len(second.context["deputies"]) == 12
    assert not set(names(first)) & set(names(second))


def test_the_status_counts_cover_the_whole_result(login, world):
    factories.DeputyFactory(
        term=world["term"], street_committee=world["dongsi"], delegation=world["del_ds"], status="resigned",
        service_end=world["term"].end_date,
    )
    counts = dict(login(Role.STREET_STAFF).get(URL).context["status_counts"])
    assert counts == {"在任": 2, "辞职": 1}


# The list costs the same number of queries for 3 deputies as for 53: session, user, roles, scope link,
# header labels, the rows' total with their status counts (also the page count),
# and the page itself. The filter choices and the terms (the current one, the one asked for) come from the cache (filled by the first
# page after a change: three queries more).
LIST_QUERIES = 7


@pytest.mark.parametrize("extra", [0, 50])
def test_the_list_page_costs_a_fixed_number_of_queries(login, world, django_assert_num_queries, extra):
    factories.DeputyFactory.create_batch(
        extra, term=world["term"], street_committee=world["dongsi"], delegation=world["del_ds"]
    )
    client = login(Role.LIAISON_OFFICE)
    with django_assert_num_queries(LIST_QUERIES + 3):
        client.get(URL)  # fills the filter choices' cache
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(URL, {"q": "代表"} if extra else {})
    assert response.status_code == 200
    assert len(response.context["deputies"]) == (50 if extra else 3)


@pytest.mark.parametrize("extra", [0, 50])
def test_a_street_users_list_costs_one_query_more_for_its_choices(login, world, django_assert_num_queries, extra):
    factories.DeputyFactory.create_batch(
        extra, term=world["term"], street_committee=world["dongsi"], delegation=world["del_ds"]
    )
    client = login(Role.STREET_STAFF)
    client.get(URL)
    with django_assert_num_queries(LIST_QUERIES + 1):
        response = client.get(URL)
    assert [label for _value, label in response.context["choices"]["street_committee"]] == ["东四"]


def test_the_filter_choices_follow_a_renamed_street_a_new_delegation_and_a_new_term(login, world):
    client = login(Role.LIAISON_OFFICE)
    client.get(URL)  # cached
    world["dongsi"].name = "东四街道"
    world["dongsi"].save()
    factories.DelegationFactory(term=world["term"], name="新代表团")
    newer = factories.TermFactory(number=world["term"].number + 1, name="第十八届")
    response = client.get(URL)
    choices = response.context["choices"]
    assert "东四街道" in [label for _value, label in choices["street_committee"]]
    assert any(label.startswith("新代表团") for _value, label in choices["delegation"])
    assert response.context["current"]["term"] == str(newer.pk), "a new term is the default at once"
    assert names(response) == []


def test_a_deleted_delegation_leaves_the_choices(login, world):
    client = login(Role.LIAISON_OFFICE)
    gone = factories.DelegationFactory(term=world["term"], name="撤销的代表团")
    assert "撤销的代表团" in client.get(URL).text
    gone.delete()
    assert "撤销的代表团" not in client.get(URL).text


def test_each_row_shows_gender_status_and_its_badge(login, world):
    factories.DeputyFactory(
        name="赵终止", term=world["term"], street_committee=world["dongsi"], delegation=world["del_ds"],
        status="terminated", service_end=world["term"].end_date, gender="F",
    )
    text = login(Role.LIAISON_OFFICE).get(URL).text
    assert '<span class="badge badge-bad">资格终止</span>' in text
    assert '<span class="badge badge-ok">在任</span>' in text
    assert "<td>女</td>" in text


def test_a_term_that_is_not_one_is_still_named_in_the_notice(login, world):
    response = login(Role.LIAISON_OFFICE).get(URL, {"term": "999999"})
    assert response.status_code == 200
    assert "届" in response.context["notices"][0]
    assert sorted(names(response)) == ["张东", "李四", "王朝"]


def test_an_older_term_asked_for_shows_its_deputies(login, world):
    older = factories.TermFactory(number=world["term"].number - 1, name="第十六届")
    factories.DeputyFactory(name="钱旧", term=older, street_committee=world["dongsi"], delegation=None)
    client = login(Role.LIAISON_OFFICE)
    assert names(client.get(URL, {"term": older.pk})) == ["钱旧"]
    assert "钱旧" not in names(client.get(URL))
