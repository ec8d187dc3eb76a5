"""Writes of deputies' own records that are not plain CRUD: a term's threshold changes (阈值调整), suspensions."""
from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone

from dutyadmin.permissions import allows
from dutyadmin.services import record_delete, record_save

from .models import Deputy, Suspension, Term, ThresholdChange


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


def suspension_save(*, user, suspension: Suspension | None = None, deputy: Deputy | None = None,
                    start_date: dt.date | None, end_date: dt.date | None, reason: str) -> Suspension:
    """Record a suspension of a deputy's duties (代表法 Art. 61), or correct one; validated in Chinese field by field.

    Start inside the service period, end (None: still open) not before it, nothing in the future, no overlap with
    another suspension of the deputy, a reason. Who entered it and when are kept with it and in its history."""
    if suspension is None:
        suspension = Suspension(deputy=deputy, created_by=user if user is not None and user.is_authenticated else None,
                                created_at=timezone.now())
    elif deputy is not None and deputy.pk != suspension.deputy_id:
        raise ValidationError({"deputy": "不能把已登记的暂停改到另一位代表名下；请删除后重新登记。"})
    suspension.start_date = start_date
    suspension.end_date = end_date
    suspension.reason = (reason or "").strip()
    return record_save(suspension, user=user, allowed=allows(user, "manage_suspensions", suspension.deputy))


def suspension_end(*, user, suspension: Suspension, end_date: dt.date | None) -> Suspension:
    """End an open suspension on its last suspended day (the deputy resumes the day after)."""
    if end_date is None:
        raise ValidationError({"end_date": "请填写暂停结束日期。"})
    if not suspension.is_open:
        raise ValidationError({"end_date": "这项暂停已经结束。"})
    return suspension_save(user=user, suspension=suspension, start_date=suspension.start_date, end_date=end_date,
                           reason=suspension.reason)


def suspension_delete(*, user, suspension: Suspension) -> None:
    """Delete a suspension entered by mistake (its history keeps what it said)."""
    record_delete(suspension, user=user, allowed=allows(user, "manage_suspensions", suspension.deputy))
