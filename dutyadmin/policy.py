"""Write permissions by role and scope, one function per kind of record. Reads are scoped in
selectors; writes ask here. Services call these, so every client gets the same answer."""
from __future__ import annotations

from deputies.choices import Role
from deputies.scope import Scope

REFERENCE_EDITORS = (Role.LIAISON_OFFICE,)  # terms, streets, delegations, deputies, contacts
SESSION_EDITORS = (Role.SECRETARIAT,)  # sessions, meetings, attendance
RECORD_EDITORS = (Role.LIAISON_OFFICE, Role.SECRETARIAT)  # contributions, any deputy


def can_edit_reference(scope: Scope) -> bool:
    return scope.has(*REFERENCE_EDITORS)


def can_edit_sessions(scope: Scope) -> bool:
    return scope.has(*SESSION_EDITORS)


def can_edit_activity(scope: Scope, *, street_committee_id: int | None) -> bool:
    """Whoever organizes registers (Art. 8(一)): a street's staff own their street's activities."""
    if scope.has(Role.LIAISON_OFFICE):
        return True
    return (
        Role.STREET_STAFF in scope.roles
        and street_committee_id is not None
        and street_committee_id == scope.street_committee_id
    )


def can_edit_participation(scope: Scope, *, activity, deputy) -> bool:
    if scope.has(Role.LIAISON_OFFICE):
        return True
    return can_edit_activity(scope, street_committee_id=activity.street_committee_id) and scope.sees_deputy(deputy)


def can_edit_contribution(scope: Scope, *, deputy) -> bool:
    if scope.has(*RECORD_EDITORS):
        return True
    return Role.STREET_STAFF in scope.roles and scope.sees_deputy(deputy)


def can_edit_leave(scope: Scope, *, deputy) -> bool:
    """Ask for leave: the deputy themself, their street's staff, or the secretariat."""
    if scope.has(Role.SECRETARIAT, Role.LIAISON_OFFICE):
        return True
    if Role.DEPUTY in scope.roles and scope.deputy_id == deputy.id:
        return True
    return Role.STREET_STAFF in scope.roles and deputy.street_committee_id == scope.street_committee_id


def can_backfill_leave(scope: Scope, *, deputy) -> bool:
    """Enter leave decided on paper for a past session: staff only."""
    if scope.has(Role.SECRETARIAT, Role.LIAISON_OFFICE):
        return True
    return Role.STREET_STAFF in scope.roles and deputy.street_committee_id == scope.street_committee_id


def can_act_on_step(scope: Scope, *, step_role: str, deputy) -> bool:
    """The right role for the step, in the deputy's scope; an admin may act on any step."""
    if scope.is_admin:
        return True
    if step_role not in scope.roles:
        return False
    if step_role == Role.STREET_DIRECTOR:
        return deputy.street_committee_id == scope.street_committee_id
    if step_role == Role.DELEGATION_HEAD:
        return deputy.delegation_id is not None and deputy.delegation_id == scope.delegation_id
    return True


def can_edit_intervention(scope: Scope, *, deputy) -> bool:
    if scope.has(Role.LIAISON_OFFICE, Role.SC_OFFICE):
        return True
    if Role.STREET_DIRECTOR in scope.roles and deputy.street_committee_id == scope.street_committee_id:
        return True
    return Role.DELEGATION_HEAD in scope.roles and deputy.delegation_id == scope.delegation_id
