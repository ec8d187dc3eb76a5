"""Who may see and change what. Every selector filters through here, so pages, API, admin and
exports agree (DESIGN.md: scope is enforced everywhere, not only hidden in menus).

The user's links (the street committee, delegation or deputy a role is about) are stored by
`deputies` (its UserScope model); deputies registers how to read them with `register_scope_links`
in its AppConfig.ready(), so core computes the Scope without importing a higher app.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from .roles import DISTRICT_ROLES, STREET_ROLES, Role


@dataclass(frozen=True)
class Scope:
    """A user's roles and the street committee, delegation, deputy or handling unit their roles are about."""

    user_id: int | None
    roles: frozenset[str]
    is_superuser: bool = False
    street_committee_id: int | None = None
    delegation_id: int | None = None
    deputy_id: int | None = None
    handling_unit_id: int | None = None

    @property
    def is_district(self) -> bool:
        """Sees every deputy of the district."""
        return self.is_superuser or bool(self.roles & DISTRICT_ROLES)

    @property
    def is_admin(self) -> bool:
        return self.is_superuser or Role.ADMIN in self.roles

    def has(self, *roles: str) -> bool:
        return self.is_admin or bool(self.roles & set(roles))

    def deputy_q(self, prefix: str = "") -> Q:
        """Q for the deputies this user may see; prefix is the path to a deputy, e.g. 'deputy__'."""
        if self.is_district:
            return Q()
        q = Q(pk__in=[])
        if self.roles & STREET_ROLES and self.street_committee_id:
            q |= Q(**{f"{prefix}street_committee_id": self.street_committee_id})
        if Role.DELEGATION_HEAD in self.roles and self.delegation_id:
            q |= Q(**{f"{prefix}delegation_id": self.delegation_id})
        if Role.DEPUTY in self.roles and self.deputy_id:
            q |= Q(**{f"{prefix}id" if prefix else "id": self.deputy_id})
        return q

    def sees_deputy(self, deputy) -> bool:
        if self.is_district:
            return True
        # A role whose link is missing sees nobody (None must never match a deputy without a delegation).
        return bool(
            (self.roles & STREET_ROLES and self.street_committee_id
             and deputy.street_committee_id == self.street_committee_id)
            or (Role.DELEGATION_HEAD in self.roles and self.delegation_id
                and deputy.delegation_id == self.delegation_id)
            or (Role.DEPUTY in self.roles and self.deputy_id and deputy.id == self.deputy_id)
        )

    # --- contacts: the sc_member's scope (A10.5): the deputies assigned to them, nothing else -------------
    def contact_assignment_q(self, prefix: str = "") -> Q:
        """Q for the contact assignments (Art. 10(五)) this user may see; prefix is the path to an assignment.

        District roles see all; a standing-committee member (sc_member) their own assignments (their deputies'
        basic info is read through them); a street or delegation role or a deputy the assignments of the
        deputies they see. deputy_q() is NOT widened for sc_member: they see no activities, attendance,
        findings or suspensions of their deputies, only who they are and their contacts."""
        if self.is_district:
            return Q()
        q = self.deputy_q(f"{prefix}deputy__")
        if Role.SC_MEMBER in self.roles and self.user_id is not None:
            q |= Q(**{f"{prefix}member_id": self.user_id})
        return q


ANONYMOUS = Scope(user_id=None, roles=frozenset())


@dataclass(frozen=True)
class ScopeLinks:
    """What a user's roles are about: ids, and the names the header shows."""

    street_committee_id: int | None = None
    delegation_id: int | None = None
    deputy_id: int | None = None
    handling_unit_id: int | None = None


NO_LINKS = ScopeLinks()

# Registered by deputies (AppConfig.ready): user → ScopeLinks (one query), user → {"street_committee",
# "delegation", "deputy", "handling_unit": name} of the links it has (for the header's role labels).
_link_ids: Callable[[Any], ScopeLinks] | None = None
_link_names: Callable[[Any], dict[str, str]] | None = None


def register_scope_links(*, ids: Callable[[Any], ScopeLinks], names: Callable[[Any], dict[str, str]]) -> None:
    """Called once by the app that stores the users' links (deputies)."""
    global _link_ids, _link_names
    _link_ids, _link_names = ids, names


def scope_link_names(user) -> dict[str, str]:
    """{"street_committee" | "delegation" | "deputy" | "handling_unit": name} of what the user's roles are about."""
    if user is None or not user.is_authenticated or _link_names is None:
        return {}
    return _link_names(user)


def scope_for(user) -> Scope:
    """The user's Scope, computed once per request object."""
    if user is None or not user.is_authenticated:
        return ANONYMOUS
    cached = getattr(user, "_dutyadmin_scope", None)
    if cached is not None:
        return cached
    roles = frozenset(user.groups.values_list("name", flat=True))
    link = _link_ids(user) if _link_ids is not None else NO_LINKS
    scope = Scope(
        user_id=user.pk,
        roles=roles,
        is_superuser=user.is_superuser,
        street_committee_id=link.street_committee_id,
        delegation_id=link.delegation_id,
        deputy_id=link.deputy_id,
        handling_unit_id=link.handling_unit_id,
    )
    user._dutyadmin_scope = scope
    return scope
