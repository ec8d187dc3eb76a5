"""The contribution and intervention pages filter through the API's FilterSet: one query string, one answer."""
import datetime as dt

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from dutyadmin.roles import Role
from tests import factories

pytestmark = pytest.mark.django_db

CONTRIBUTION_QUERIES = [
    {},
    {"q": "养老"},
    {"q": "张东"},
    {"q": "张东 养老"},
    {"kind": "motion"},
    {"year": "2023"},
    {"state": "pending"},
    {"state": "returned"},
    {"state": "confirmed", "kind": "suggestion"},
    {"closed_period": "true"},
    {"date_after": "2024-01-01", "date_before": "2024-06-30"},
]
INTERVENTION_QUERIES = [
    {},
    {"q": "刘某"},
    {"q": "谈话记录"},
    {"q": "李四"},
    {"rule": "absence_notice"},
    {"kind": "talk"},
    {"date_after": "2024-03-01"},
]


def api_ids(user, path: str, query: dict) -> list[int]:
    """Ids in the API's answer, in its order; fails unless the API accepted the query."""
    client = APIClient()
    client.force_authenticate(user)
    response = client.get(path, {**query, "page_size": 100})
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def page_ids(client, url: str, query: dict) -> list[int]:
    response = client.get(url, query)
    assert response.status_code == 200
    assert response.context["notices"] == []
    return [row.pk for row in response.context["page"].object_list]


@pytest.fixture
def contributions(world):
    zhang, li, wang = world["zhang"], world["li"], world["wang"]
    return [
        factories.ContributionFactory(deputy=zhang, title="关于增设养老驿站的建议", confirmed=True),
        factories.ContributionFactory(deputy=zhang, kind="motion", title="关于停车的议案", session=world["session"],
                                      confirmed=True),
        factories.ContributionFactory(deputy=li, title="关于养老服务的建议", date=dt.date(2023, 5, 1), confirmed=False),
        factories.ContributionFactory(deputy=li, title="关于胡同的建议", confirmed=False, return_reason="请补充"),
        factories.ContributionFactory(deputy=wang, title="朝阳门的养老建议", confirmed=True),
    ]


@pytest.fixture
def interventions(world):
    return [
        factories.InterventionFactory(deputy=world["zhang"], conducted_by="东四街工委主任 刘某", notes="谈话记录已存档"),
        factories.InterventionFactory(deputy=world["li"], rule="absence_notice", kind="notice",
                                      date=dt.date(2024, 4, 2), conducted_by="秘书处"),
        factories.InterventionFactory(deputy=world["wang"], conducted_by="朝阳门 刘某", notes="谈话记录"),
    ]


@pytest.mark.parametrize("role", [Role.STREET_STAFF, Role.SECRETARIAT])
@pytest.mark.parametrize("query", CONTRIBUTION_QUERIES, ids=str)
def test_a_query_string_filters_the_contribution_page_and_the_api_alike(login, personas, contributions, role, query):
    shown = page_ids(login(role), reverse("meetings:contribution_list"), query)
    assert sorted(shown) == sorted(api_ids(personas[role], "/api/v1/contributions/", query))


@pytest.mark.parametrize("role", [Role.STREET_DIRECTOR, Role.LIAISON_OFFICE])
@pytest.mark.parametrize("query", INTERVENTION_QUERIES, ids=str)
def test_a_query_string_filters_the_intervention_page_and_the_api_alike(login, personas, interventions, role, query):
    shown = page_ids(login(role), reverse("oversight:intervention_list"), query)
    assert sorted(shown) == sorted(api_ids(personas[role], "/api/v1/interventions/", query))


def test_the_contribution_filters_find_what_the_old_search_form_found(login, contributions):
    client = login(Role.SECRETARIAT)
    url = reverse("meetings:contribution_list")
    # The words may match the title or the deputy's name, each word anywhere.
    assert page_ids(client, url, {"q": "李四 养老"}) == [contributions[2].pk]
    assert page_ids(client, url, {"year": "2023"}) == [contributions[2].pk]
    assert page_ids(client, url, {"state": "returned"}) == [contributions[3].pk]
    assert set(page_ids(client, url, {"state": "pending"})) == {contributions[2].pk}


def test_the_intervention_search_also_reads_the_notes(login, interventions):
    shown = page_ids(login(Role.LIAISON_OFFICE), reverse("oversight:intervention_list"), {"q": "存档"})
    assert shown == [interventions[0].pk]


@pytest.mark.parametrize(
    ("url", "query", "field"),
    [
        ("meetings:contribution_list", {"year": "x"}, "年份"),
        ("meetings:contribution_list", {"state": "lost"}, "确认情况"),
        ("meetings:contribution_list", {"session": "abc"}, "大会"),
        ("oversight:intervention_list", {"rule": "bogus"}, "规则"),
        ("oversight:intervention_list", {"date_after": "昨天"}, "日期"),
    ],
)
def test_an_invalid_filter_is_named_in_a_notice_and_the_others_still_apply(login, contributions, interventions,
                                                                           url, query, field):
    response = login(Role.LIAISON_OFFICE).get(reverse(url), {**query, "q": "刘某 谈话记录"})
    assert response.status_code == 200
    assert response.context["notices"] == [f"筛选条件无效,已忽略:{field}。"]
    if url == "oversight:intervention_list":
        assert [i.pk for i in response.context["page"].object_list] == [interventions[2].pk, interventions[0].pk]


def test_the_filter_form_offers_only_the_streets_and_terms_in_scope(login, world, contributions):
    other_term = factories.TermFactory(number=16, name="第十六届")
    for url in (reverse("meetings:contribution_list"), reverse("oversight:intervention_list")):
        street_page = login(Role.STREET_DIRECTOR).get(url)
        form = street_page.context["form"]
        assert [label for _, label in form.fields["street_committee"].widget.choices] == ["全部", "东四"]
        assert [label for _, label in form.fields["term"].widget.choices] == ["全部", "第十七届"]
        assert "朝阳门</option>" not in street_page.text and other_term.name not in street_page.text
        district = login(Role.LIAISON_OFFICE).get(url).text
        assert "朝阳门</option>" in district and "第十六届</option>" in district


def test_a_deputy_link_names_the_deputy_and_keeps_the_filter_hidden(login, world, contributions):
    response = login(Role.SECRETARIAT).get(reverse("meetings:contribution_list"), {"deputy": world["li"].pk})
    assert response.context["deputy"] == world["li"]
    assert f'<input type="hidden" name="deputy" value="{world["li"].pk}"' in response.text
    assert {c.pk for c in response.context["page"].object_list} == {contributions[2].pk, contributions[3].pk}
