"""Interventions through the API: the rule decides who records it, and the kind must be the rule's."""
import pytest

from oversight.models import Intervention
from tests import factories


@pytest.fixture
def deputy(db):
    street = factories.StreetCommitteeFactory(name="东四", code="DS")
    return factories.DeputyFactory(street_committee=street)


def body(deputy, rule: str, kind: str) -> dict:
    return {"deputy": deputy.pk, "rule": rule, "kind": kind, "date": "2024-03-01", "conducted_by": "经办人"}


@pytest.mark.parametrize(
    "role, rule, kind, status",
    [
        ("secretariat", "absence_notice", "notice", 201),
        ("secretariat", "session_absence_talk", "talk", 403),
        ("sc_office", "activity_absence_notice", "notice", 201),
        ("sc_office", "no_contact_talk", "talk", 403),
        ("street_director", "no_contact_talk", "talk", 201),
        ("street_director", "qualification_termination", "termination", 403),
        ("liaison_office", "resignation_advice", "resignation_advice", 201),
    ],
)
def test_the_responsible_role_records_its_rules_intervention(api, make_user, deputy, role, rule, kind, status):
    user = make_user(role, street_committee=deputy.street_committee)
    response = api(user).post("/api/v1/interventions/", body(deputy, rule, kind), format="json")
    assert response.status_code == status, response.content.decode()
    assert Intervention.objects.count() == (1 if status == 201 else 0)


def test_a_director_cannot_turn_their_talk_into_a_termination(api, make_user, deputy):
    intervention = factories.InterventionFactory(deputy=deputy, rule="no_contact_talk", kind="talk")
    director = make_user("street_director", street_committee=deputy.street_committee)
    response = api(director).patch(f"/api/v1/interventions/{intervention.pk}/",
                                   {"rule": "qualification_termination", "kind": "termination"}, format="json")
    assert response.status_code == 403
    intervention.refresh_from_db()
    assert (intervention.rule, intervention.kind) == ("no_contact_talk", "talk")
