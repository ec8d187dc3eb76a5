"""Writes of deputies' own records that are not plain CRUD: a term's threshold changes (阈值调整)."""
from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone

from dutyadmin.permissions import allows
from dutyadmin.services import record_delete, record_save

from .models import Term, ThresholdChange


def threshold_change_create(*, user, term: Term, effective_from: dt.date | None, values: dict,
                            reason: str) -> ThresholdChange:
    """Record a change of some thresholds from a day of the term on; validated in Chinese field by field.

    The change is kept as entered (no update): a change made wrong is deleted before it takes effect and entered
    again. Who made it and when are recorded with it and in its history.
    """
    change = ThresholdChange(
        term=term, effective_from=effective_from, values=dict(values) if isinstance(values, dict) else values,
        reason=(reason or "").strip(), created_by=user if user is not None and user.is_authenticated else None,
        created_at=timezone.now(),
    )
    return record_save(change, user=user, allowed=allows(user, "manage_thresholds"))


def threshold_change_delete(*, user, change: ThresholdChange, today: dt.date | None = None) -> None:
    """Delete a change that has not taken effect yet (today is before its effective_from)."""
    today = today or timezone.localdate()
    if not allows(user, "manage_thresholds"):
        record_delete(change, user=user, allowed=False)
    if change.effective_from <= today:
        raise ValidationError({
            "effective_from": f"该调整已于{change.effective_from.year}年{change.effective_from.month}月"
                              f"{change.effective_from.day}日生效,不能删除;如需改回,请登记一项新的调整。",
        })
    record_delete(change, user=user)
