"""Writes of deputies' own records that are not plain CRUD: a term's threshold changes (阈值调整), suspensions."""
from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from dutyadmin.permissions import allows
from dutyadmin.services import record_delete, record_save

from .models import CalendarFeedKey, Deputy, Suspension, Term, ThresholdChange


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


# --- calendar: the secret of a deputy's calendar feed (hashed at rest, shown once, revocable)


def calendar_token_hash(token: str) -> str:
    """sha256 of the token in the feed's address: the database never holds the address itself."""
    return hashlib.sha256(token.encode()).hexdigest()


def calendar_key_active(*, deputy: Deputy) -> CalendarFeedKey | None:
    """The deputy's live key, if any (there is at most one)."""
    return CalendarFeedKey.objects.filter(deputy=deputy, revoked_at__isnull=True).first()


def calendar_key_find(token: str) -> CalendarFeedKey | None:
    """The live key of a feed address, with its deputy and term; None for an unknown or revoked one alike."""
    if not token or len(token) > 100:
        return None
    return (CalendarFeedKey.objects.select_related("deputy__term")
            .filter(token_hash=calendar_token_hash(token), revoked_at__isnull=True).first())


def calendar_key_reset(*, user, deputy: Deputy) -> str:
    """Revoke the deputy's key (if any) and make a new one; the new token is returned once and never stored."""
    if not allows(user, "subscribe_calendar", deputy):
        raise PermissionDenied("只有代表本人可以生成或重置自己的日历订阅链接。")
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        # two resets at once (two tabs) queue on the deputy's row instead of tripping the one-live-key constraint
        list(Deputy.objects.select_for_update().filter(pk=deputy.pk).order_by("pk").values_list("pk", flat=True))
        CalendarFeedKey.objects.filter(deputy=deputy, revoked_at__isnull=True).update(revoked_at=now, revoked_by=user)
        CalendarFeedKey.objects.create(deputy=deputy, token_hash=calendar_token_hash(token), created_at=now,
                                       created_by=user)
    return token


def calendar_key_revoke(*, user, deputy: Deputy) -> bool:
    """Turn the deputy's feed off (the deputy, or the liaison office); False when there was no live key."""
    if not allows(user, "revoke_calendar", deputy):
        raise PermissionDenied("您不能停用这位代表的日历订阅链接。")
    with transaction.atomic():
        done = CalendarFeedKey.objects.filter(deputy=deputy, revoked_at__isnull=True).update(
            revoked_at=timezone.now(), revoked_by=user)
    return bool(done)
