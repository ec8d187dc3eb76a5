"""Contributions another record owns (no models here, so an upper app's AppConfig may import it).

A suggestion (oversight/suggestions) is its lead deputy's `suggestion` contribution: one record, not two.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable

# Records of upper apps that own a contribution (a suggestion is its lead deputy's `suggestion` contribution,
# oversight/suggestions): each hook takes contribution ids and returns those it owns. An owned contribution
# changes only through its owner, so the two never drift apart (one record, not two).
_CONTRIBUTION_OWNERS: list[Callable[[list[int]], set[int]]] = []
OWNED_CONTRIBUTION_MESSAGE = "这条记录属于一件代表建议，请在「代表建议」中修改或撤回。"


def register_contribution_owner(owned_ids: Callable[[list[int]], set[int]]) -> None:
    """oversight registers the suggestions' hook at start-up (the layers keep meetings below oversight)."""
    if owned_ids not in _CONTRIBUTION_OWNERS:
        _CONTRIBUTION_OWNERS.append(owned_ids)


def contributions_owned(ids: Iterable[int | None]) -> set[int]:
    """The ids among these whose contribution another record owns: one query per registered owner."""
    wanted = [pk for pk in ids if pk is not None]
    owned: set[int] = set()
    for hook in _CONTRIBUTION_OWNERS if wanted else ():
        owned |= hook(wanted)
    return owned
