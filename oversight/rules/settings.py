"""Settings that change over time (RULES.md "Settings change over time (choice)"): which numbers judge a window.

The settings in force on a day are the term's base settings overlaid by every change effective on or before
that day, in order of effective_from. A yearly window is judged by the settings in force on its first day (a
change never rewrites a year already begun); a term window and every action rule by those in force on the
as-of date, or on the window's last day when that is earlier. The timeline is built once per term, so each
window costs one binary search.
"""
from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .catalog import thresholds_with_defaults


@dataclass(frozen=True, slots=True)
class ThresholdChangeFact:
    """One change of a term's settings: the keys it sets, from the day it takes effect."""

    id: int
    effective_from: dt.date
    values: Mapping[str, int]


@dataclass(frozen=True, slots=True)
class SettingsInForce:
    """Every setting as it stands from `since` (a change's effective_from, or the term's start) on."""

    since: dt.date
    values: Mapping[str, int]


class SettingsTimeline:
    """A term's settings as steps ordered by day: base settings first, then one step per effective day."""

    __slots__ = ("steps", "_days")

    def __init__(self, *, start: dt.date, base: Mapping[str, int] | None,
                 changes: Sequence[ThresholdChangeFact] = ()) -> None:
        current = SettingsInForce(start, thresholds_with_defaults(dict(base or {})))
        steps = [current]
        for change in sorted(changes, key=lambda c: (c.effective_from, c.id)):
            values = {**current.values, **change.values}
            # A change effective on or before the term's start is part of its first settings; two changes
            # of one day are one step (the later entered overlays the earlier).
            since = max(change.effective_from, start)
            current = SettingsInForce(since, values)
            if steps[-1].since == since:
                steps[-1] = current
            else:
                steps.append(current)
        self.steps: tuple[SettingsInForce, ...] = tuple(steps)
        self._days = [step.since for step in steps]

    def on(self, day: dt.date) -> SettingsInForce:
        """The settings in force on the day (the base settings before the term's start)."""
        if len(self._days) == 1:
            return self.steps[0]
        return self.steps[max(bisect_right(self._days, day) - 1, 0)]


def settings_timeline(start: dt.date, base: Mapping[str, int] | None,
                      changes: Sequence[ThresholdChangeFact] = ()) -> SettingsTimeline:
    """The timeline of a term starting on `start` with its base settings and changes."""
    return SettingsTimeline(start=start, base=base, changes=changes)


def term_settings(term) -> SettingsTimeline:
    """The timeline of a TermFacts (its start, base thresholds and changes)."""
    return SettingsTimeline(start=term.start, base=term.thresholds, changes=term.changes)
