"""A suggestion's contribution changes only through the suggestion: the contributions API and pages refuse it."""
from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from rest_framework.test import APIClient

from meetings.models import Contribution
from meetings.services import contribution_delete, contribution_save
from tests import factories

from .suggestion_fixtures import D, submit

pytestmark = pytest.mark.django_db

URL = "/api/v1/contributions/"


def api(user) -> APIClient:
    c = APIClient()
    c.force_authenticate(user)
    return c


def test_staff_cannot_change_or_delete_a_suggestions_contribution_through_the_api(sw):
    suggestion = submit(sw, by=sw.staff_a, title="关于增设公交站的建议")
    contribution = suggestion.contribution
    c = api(sw.staff_a)
    response = c.patch(f"{URL}{contribution.pk}/", {"title": "改过的标题"}, format="json")
    assert response.status_code == 403
    assert c.delete(f"{URL}{contribution.pk}/").status_code == 403
    contribution.refresh_from_db()
    assert contribution.title == "关于增设公交站的建议"
    # A plain contribution of the same deputy stays editable.
    plain = factories.ContributionFactory(deputy=sw.zhang, session=sw.session, date=D(2024, 1, 11))
    assert c.patch(f"{URL}{plain.pk}/", {"title": "审议意见"}, format="json").status_code == 200


def test_the_services_refuse_with_the_reason(sw):
    contribution = submit(sw, by=sw.staff_a).contribution
    with pytest.raises(PermissionDenied, match="代表建议"):
        contribution_save(user=sw.staff_a, contribution=contribution, data={"title": "改"})
    with pytest.raises(PermissionDenied, match="代表建议"):
        contribution_delete(user=sw.office, contribution=contribution)
    assert Contribution.objects.filter(pk=contribution.pk).exists()


def test_the_contributions_page_offers_no_edit_for_it_and_its_edit_page_says_where_to_go(sw, client):
    contribution = submit(sw, by=sw.staff_a).contribution
    plain = factories.ContributionFactory(deputy=sw.zhang, session=sw.session, date=D(2024, 1, 11))
    client.force_login(sw.staff_a)
    page = client.get(reverse("meetings:contribution_list")).content.decode()
    assert reverse("meetings:contribution_edit", args=[plain.pk]) in page
    assert reverse("meetings:contribution_edit", args=[contribution.pk]) not in page
    response = client.get(reverse("meetings:contribution_edit", args=[contribution.pk]))
    assert response.status_code == 403
    assert "代表建议" in response.content.decode()
