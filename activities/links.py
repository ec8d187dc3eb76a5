"""Links an upper app adds to an activity's page (no models here, so an upper app's AppConfig may import it).

oversight registers, e.g., the constituents' opinions of a station reception (issue 14: opinions); the activity
page shows each link a hook returns, without activities importing oversight."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class ActivityLink:
    label: str
    url: str
    detail: str = ""


_HOOKS: list[Callable[..., list[ActivityLink]]] = []


def register_activity_links(hook: Callable[..., list[ActivityLink]]) -> None:
    """hook(activity=, user=) → the links to show on that activity's page for that user."""
    if hook not in _HOOKS:
        _HOOKS.append(hook)


def activity_links(*, activity, user) -> list[ActivityLink]:
    return [link for hook in _HOOKS for link in hook(activity=activity, user=user)]
