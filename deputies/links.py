"""How a user's links are read (the UserScope row): registered into the core scope by DeputiesConfig.ready()."""
from __future__ import annotations

from dutyadmin.scope import NO_LINKS, ScopeLinks

from .models import UserScope


def link_ids(user) -> ScopeLinks:
    link = UserScope.objects.filter(user=user).only(
        "street_committee_id", "delegation_id", "deputy_id", "handling_unit_id"
    ).first()
    if link is None:
        return NO_LINKS
    return ScopeLinks(
        street_committee_id=link.street_committee_id, delegation_id=link.delegation_id, deputy_id=link.deputy_id,
        handling_unit_id=link.handling_unit_id,
    )


def link_names(user) -> dict[str, str]:
    link = UserScope.objects.select_related("street_committee", "delegation", "deputy", "handling_unit").filter(user=user).first()
    if link is None:
        return {}
    names = {}
    if link.street_committee_id:
        names["street_committee"] = link.street_committee.name
    if link.delegation_id:
        names["delegation"] = link.delegation.name
    if link.deputy_id:
        names["deputy"] = link.deputy.name
    if link.handling_unit_id:
        names["handling_unit"] = link.handling_unit.name
    return names
