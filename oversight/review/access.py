"""The year-end review's access rules: who may see the board or a street, submit, and review (Art. 8(二))."""
from __future__ import annotations

from dutyadmin.roles import STREET_ROLES, Role
from dutyadmin.scope import Scope


def can_view_board(scope: Scope) -> bool:
    """Every street's state: the liaison office, the admin and the other district roles (read only)."""
    return scope.is_district


def can_view_street(scope: Scope, street_committee_id: int) -> bool:
    """A street's submission: district roles, and the street's own staff and director."""
    if scope.is_district:
        return True
    return bool(scope.roles & STREET_ROLES) and scope.street_committee_id == street_committee_id


def can_submit(scope: Scope, street_committee_id: int) -> bool:
    """The street committee's staff compile and submit its handbooks (Art. 8(二)); the admin may too."""
    if scope.is_admin:
        return True
    return Role.STREET_STAFF in scope.roles and scope.street_committee_id == street_committee_id


def can_review(scope: Scope) -> bool:
    """The liaison office reviews: approves, returns deputies, reopens (Art. 8(二))."""
    return scope.has(Role.LIAISON_OFFICE)


def sees_reviews(scope: Scope) -> bool:
    """Whom the menu offers the year-end review: district roles and street committee roles."""
    return scope.is_district or (bool(scope.roles & STREET_ROLES) and scope.street_committee_id is not None)
