"""Action rules → status (RULES.md): whether an intervention resolves a finding, read by the forms and the API."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from .findings import Finding


def intervention_resolves(day: dt.date, trigger_date: dt.date) -> bool:
    """An intervention resolves its finding when dated on or after the trigger date (not before it)."""
    return day >= trigger_date


def unmet_trigger(day: dt.date, findings: Iterable[Finding]) -> dt.date | None:
    """The earliest trigger date of the findings when an intervention dated `day` resolves none of them, else None."""
    triggers = [f.trigger_date for f in findings if f.trigger_date is not None]
    if not triggers or any(intervention_resolves(day, t) for t in triggers):
        return None
    return min(triggers)
