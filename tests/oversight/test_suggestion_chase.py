"""催办: the liaison office presses the lead unit for an awaited reply; the unit's staff are told, the state stays."""
from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from oversight.models import Notification
from oversight.notifications.models import NotificationReason as R
from oversight.suggestions import services
from oversight.suggestions.choices import SuggestionAction
from tests import factories

from .suggestion_fixtures import D, assign, reply, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def assigned(sw):
    return assign(sw, submit(sw), on=D(2024, 3, 7))  # due 2024-06-07


def chases(user):
    return list(Notification.objects.filter(recipient=user, reason=R.SUGGESTION_CHASED))


def test_the_office_chases_the_lead_unit_and_only_its_staff_hear(sw, assigned):
    co_user = factories.make_user("handling_unit", username="court2", handling_unit=sw.court)
    event = services.suggestion_chase(user=sw.office, suggestion=assigned, note="请本周内答复。")
    assert event.action == SuggestionAction.CHASE and event.before_status == event.after_status == "assigned"
    [message] = chases(sw.road_user)
    assert "催办" in message.subject and "请本周内答复。" in message.body
    assert not chases(sw.court_user) and not chases(co_user)
    assigned.refresh_from_db()
    assert assigned.status == "assigned"
    # A second chase is a second message (each chase is its own step).
    services.suggestion_chase(user=sw.office, suggestion=assigned)
    assert len(chases(sw.road_user)) == 2


def test_only_the_office_chases_and_only_while_a_reply_is_awaited(sw, assigned):
    with pytest.raises(PermissionDenied):
        services.suggestion_chase(user=sw.road_user, suggestion=assigned)
    with pytest.raises(PermissionDenied):
        services.suggestion_chase(user=sw.staff_a, suggestion=assigned)
    reply(sw, assigned)
    with pytest.raises(ValidationError, match="不能催办"):
        services.suggestion_chase(user=sw.office, suggestion=assigned)
    not_assigned = submit(sw, title="关于修缮路灯的建议")
    with pytest.raises(ValidationError, match="不能催办"):
        services.suggestion_chase(user=sw.office, suggestion=not_assigned)


def test_the_page_offers_the_chase_to_the_office_and_the_api_answers_400_or_403(sw, assigned, client):
    client.force_login(sw.office)
    page = client.get(reverse("suggestions:detail", args=[assigned.pk])).content.decode()
    assert reverse("suggestions:chase", args=[assigned.pk]) in page
    response = client.post(reverse("suggestions:chase", args=[assigned.pk]), {"chase-note": "请尽快"}, follow=True)
    assert "已催办" in response.content.decode()
    client.force_login(sw.road_user)
    assert reverse("suggestions:chase", args=[assigned.pk]) not in client.get(
        reverse("suggestions:detail", args=[assigned.pk])).content.decode()
    api = APIClient()
    api.force_authenticate(sw.road_user)
    assert api.post(f"/api/v1/suggestions/{assigned.pk}/chase/", {}, format="json").status_code == 403
    api.force_authenticate(sw.office)
    assert api.post(f"/api/v1/suggestions/{assigned.pk}/chase/", {"note": "再催"}, format="json").status_code == 200
    reply(sw, assigned)
    answer = api.post(f"/api/v1/suggestions/{assigned.pk}/chase/", {}, format="json")
    assert answer.status_code == 409 and "不能催办" in str(answer.json())  # the state (issue 17)
    assert len(chases(sw.road_user)) == 2
