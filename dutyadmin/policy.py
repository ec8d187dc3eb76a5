"""Write permissions by role and scope, one function per kind of record. Reads are scoped in
selectors; writes ask here. Services call these, so every client gets the same answer."""
from __future__ import annotations

from dutyadmin.roles import Role
from dutyadmin.scope import Scope

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


# Who records the intervention of each action rule (RULES.md, "responsible"); the liaison office
# records all of them. Street directors and delegation heads only for deputies in their scope.
INTERVENTION_RECORDERS: dict[str, frozenset[str]] = {
    "absence_notice": frozenset({Role.SECRETARIAT}),
    "session_absence_talk": frozenset({Role.DELEGATION_HEAD, Role.STREET_DIRECTOR}),
    "qualification_termination": frozenset({Role.SC_OFFICE, Role.SC_LEADER}),
    "silent_in_sessions_talk": frozenset({Role.DELEGATION_HEAD}),
    "activity_absence_notice": frozenset({Role.SC_OFFICE}),
    "activity_absence_talk": frozenset({Role.STREET_DIRECTOR}),
    "no_contact_talk": frozenset({Role.STREET_DIRECTOR}),
    "resignation_advice": frozenset({Role.SC_OFFICE, Role.SC_LEADER}),
}
INTERVENTION_ROLES = frozenset().union(*INTERVENTION_RECORDERS.values())


def can_edit_intervention(scope: Scope, *, deputy, rule: str | None = None) -> bool:
    """Record a talk, notice, termination or advice for this deputy (for this rule, or for some rule)."""
    if scope.has(Role.LIAISON_OFFICE):
        return True
    rules = [rule] if rule else list(INTERVENTION_RECORDERS)
    for rule_id in rules:
        for role in INTERVENTION_RECORDERS.get(rule_id, ()):
            if role not in scope.roles:
                continue
            if role == Role.STREET_DIRECTOR and deputy.street_committee_id != scope.street_committee_id:
                continue
            if role == Role.DELEGATION_HEAD and (
                deputy.delegation_id is None or deputy.delegation_id != scope.delegation_id
            ):
                continue
            return True
    return False
