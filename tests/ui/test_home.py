"""The home page: what each role's scope holds, counted."""
import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from dutyadmin.roles import Role
from tests import factories

pytestmark = pytest.mark.django_db
HOME = reverse("home")


@pytest.mark.parametrize("role", [*Role, "nobody"])
def test_every_role_has_a_home_page(login, role):
    assert login(role).get(HOME).status_code == 200


def test_street_staff_count_their_streets_deputies_by_status(login, world):
    factories.DeputyFactory(
        term=world["term"], street_committee=world["dongsi"], delegation=world["del_ds"], status="resigned",
        service_end=dt.date(2024, 6, 30),
    )
    context = login(Role.STREET_STAFF).get(HOME).context
    assert context["deputy_total"] == 3
    counts = {row["status"]: row["count"] for row in context["status_counts"]}
    assert counts["active"] == 2 and counts["resigned"] == 1
    assert "by_street" not in context  # one street: no table of streets


def test_district_roles_see_deputies_by_street(login, world):
    context = login(Role.LIAISON_OFFICE).get(HOME).context
    assert context["deputy_total"] == 3
    rows = {row["street_committee__name"]: row["active"] for row in context["by_street"]}
    assert rows == {"东四": 2, "朝阳门": 1}


def test_a_deputy_sees_their_own_profile(login, world):
    response = login(Role.DEPUTY).get(HOME)
    assert response.context["own_deputy"] == world["zhang"]
    assert reverse("deputies:detail", args=[world["zhang"].pk]) in response.text
    assert "deputy_total" not in response.context


def test_this_years_records_are_counted_within_scope(login, world):
    today = timezone.localdate()
    term = world["term"]
    term.end_date = dt.date(today.year + 1, 12, 31)
    term.save()
    factories.ContributionFactory(deputy=world["zhang"], date=today)
    factories.ContributionFactory(deputy=world["wang"], date=today)
    factories.ContributionFactory(deputy=world["zhang"], date=dt.date(today.year - 1, 6, 1))
    assert login(Role.STREET_STAFF).get(HOME).context["year_counts"]["contributions"] == 1
    assert login(Role.LIAISON_OFFICE).get(HOME).context["year_counts"]["contributions"] == 2


def test_quick_actions_follow_the_write_policy(login):
    liaison = login(Role.LIAISON_OFFICE).get(HOME).text
    assert reverse("deputies:create") in liaison
    staff = login(Role.STREET_STAFF).get(HOME).text
    assert reverse("deputies:create") not in staff
    assert reverse("meetings:contribution_create") in staff
    assert reverse("oversight:intervention_create") not in staff
    director = login(Role.STREET_DIRECTOR).get(HOME).text
    assert reverse("oversight:intervention_create") in director
