"""A user's scope: a role whose street, delegation or deputy link is missing sees nobody."""
import pytest

from deputies.selectors import deputy_list
from dutyadmin.roles import Role
from dutyadmin.scope import Scope
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_delegation_head_without_a_delegation_sees_no_deputy_without_one():
    loner = factories.DeputyFactory(delegation=None)
    head = Scope(user_id=1, roles=frozenset({Role.DELEGATION_HEAD}))
    assert not head.sees_deputy(loner)
    assert not Scope(user_id=1, roles=frozenset({Role.STREET_STAFF})).sees_deputy(loner)
    assert not Scope(user_id=1, roles=frozenset({Role.DEPUTY})).sees_deputy(loner)


@pytest.mark.parametrize("role", [Role.STREET_STAFF, Role.STREET_DIRECTOR, Role.DELEGATION_HEAD, Role.DEPUTY])
def test_a_user_of_a_scoped_role_with_no_link_lists_nobody(make_user, role):
    factories.DeputyFactory(delegation=None)
    factories.DeputyFactory()
    assert not deputy_list(user=make_user(role)).exists()


def test_district_roles_list_everyone(make_user):
    factories.DeputyFactory.create_batch(3)
    assert deputy_list(user=make_user(Role.SECRETARIAT)).count() == 3
