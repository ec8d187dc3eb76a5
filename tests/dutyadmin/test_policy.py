"""Who may record which intervention: the role RULES.md makes responsible, in scope; the liaison office all."""
import pytest

from dutyadmin import policy
from dutyadmin.roles import Role
from dutyadmin.scope import Scope
from oversight.rules.catalog import ACTION_RULES
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def deputy():
    dongsi = factories.StreetCommitteeFactory(name="东四", code="DS")
    return factories.DeputyFactory(street_committee=dongsi)


def scope(role, **kw):
    return Scope(user_id=1, roles=frozenset({role}), **kw)


@pytest.mark.parametrize("rule", [r.id for r in ACTION_RULES])
def test_the_liaison_office_records_every_rule(deputy, rule):
    assert policy.can_edit_intervention(scope(Role.LIAISON_OFFICE), deputy=deputy, rule=rule)


@pytest.mark.parametrize(
    ("rule", "allowed"),
    [
        ("no_contact_talk", True),
        ("activity_absence_talk", True),
        ("session_absence_talk", True),
        ("silent_in_sessions_talk", False),
        ("qualification_termination", False),
        ("resignation_advice", False),
        ("absence_notice", False),
        ("activity_absence_notice", False),
    ],
)
def test_a_street_director_records_talks_for_their_street_only(deputy, rule, allowed):
    own = scope(Role.STREET_DIRECTOR, street_committee_id=deputy.street_committee_id)
    other = scope(Role.STREET_DIRECTOR, street_committee_id=deputy.street_committee_id + 1)
    assert policy.can_edit_intervention(own, deputy=deputy, rule=rule) is allowed
    assert policy.can_edit_intervention(other, deputy=deputy, rule=rule) is False


def test_a_delegation_head_records_the_talks_of_a9_1_and_a9_2_for_their_delegation(deputy):
    head = scope(Role.DELEGATION_HEAD, delegation_id=deputy.delegation_id)
    assert policy.can_edit_intervention(head, deputy=deputy, rule="silent_in_sessions_talk")
    assert policy.can_edit_intervention(head, deputy=deputy, rule="session_absence_talk")
    assert not policy.can_edit_intervention(head, deputy=deputy, rule="qualification_termination")
    stranger = scope(Role.DELEGATION_HEAD, delegation_id=deputy.delegation_id + 1)
    assert not policy.can_edit_intervention(stranger, deputy=deputy, rule="silent_in_sessions_talk")


def test_termination_and_resignation_advice_belong_to_the_standing_committee(deputy):
    for role in (Role.SC_OFFICE, Role.SC_LEADER):
        assert policy.can_edit_intervention(scope(role), deputy=deputy, rule="qualification_termination")
        assert policy.can_edit_intervention(scope(role), deputy=deputy, rule="resignation_advice")
    assert policy.can_edit_intervention(scope(Role.SC_OFFICE), deputy=deputy, rule="activity_absence_notice")
    assert not policy.can_edit_intervention(scope(Role.SC_LEADER), deputy=deputy, rule="activity_absence_notice")
    assert policy.can_edit_intervention(scope(Role.SECRETARIAT), deputy=deputy, rule="absence_notice")
    assert not policy.can_edit_intervention(scope(Role.SECRETARIAT), deputy=deputy, rule="no_contact_talk")
