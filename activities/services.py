"""Writes for activities and participations: validated, permission-checked, in history."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from deputies.scope import scope_for
from deputies.selectors import deputy_list
from dutyadmin import policy
from dutyadmin.bulk import RowErrors, missing_deputy_message, read_bool, read_choice, read_deputy_ids, read_rows
from dutyadmin.services import record_delete, record_save

from .choices import Outcome
from .models import Activity, Participation


def _can_edit_activity(user, activity: Activity) -> bool:
    return policy.can_edit_activity(scope_for(user), street_committee_id=activity.street_committee_id)


def activity_save(*, user, activity: Activity | None = None, data: dict) -> Activity:
    """Create or change an activity; its organizer (by street) must be the user's to edit, before and after."""
    activity = activity or Activity()
    if activity.pk and not _can_edit_activity(user, activity):
        raise PermissionDenied("您无权修改这项活动。")
    for name, value in data.items():
        setattr(activity, name, value)
    return record_save(activity, user=user, allowed=_can_edit_activity(user, activity))


def activity_delete(*, user, activity: Activity) -> None:
    """Delete an activity and, with it, its participation records (kept in history)."""
    record_delete(activity, user=user, allowed=_can_edit_activity(user, activity))


def _can_edit_participation(user, participation: Participation) -> bool:
    return policy.can_edit_participation(
        scope_for(user), activity=participation.activity, deputy=participation.deputy
    )


def participation_save(*, user, participation: Participation | None = None, data: dict) -> Participation:
    """Create or change one deputy's participation; one per activity and deputy."""
    participation = participation or Participation()
    if participation.pk and not _can_edit_participation(user, participation):
        raise PermissionDenied("您无权修改这条参加记录。")
    for name, value in data.items():
        setattr(participation, name, value)
    allowed = (
        participation.activity_id is not None
        and participation.deputy_id is not None
        and _can_edit_participation(user, participation)
    )
    return record_save(participation, user=user, allowed=allowed)


def participation_delete(*, user, participation: Participation) -> None:
    record_delete(participation, user=user, allowed=_can_edit_participation(user, participation))


def participation_bulk_upsert(*, user, activity: Activity, records: list) -> dict[str, int]:
    """Record an activity's invitations and outcomes, all rows or none.

    records: [{"deputy": id, "confirmed": bool, "outcome": "pending" | "attended" | "excused" |
    "absent"}, ...]; confirmed and outcome may be left out (a new record then takes the defaults,
    an existing one keeps its value). Every row is validated first (well-formed, deputy in the
    user's scope and of the activity's term, not repeated, values valid, the user may edit it);
    any bad row raises one ValidationError naming every bad row. Then records are created or
    updated in one transaction, with history, in a fixed number of queries.
    Returns {"created", "updated", "unchanged"}.
    """
    scope = scope_for(user)
    if not _can_edit_activity(user, activity):
        raise PermissionDenied("您无权登记这项活动的参加情况。")
    errors = RowErrors()
    rows = read_rows(records, allowed={"deputy", "confirmed", "outcome"}, required={"deputy"}, errors=errors)
    for index, row in rows:
        read_choice(index, row, "outcome", Outcome, errors)
        read_bool(index, row, "confirmed", errors)
    ids = read_deputy_ids(rows, errors)
    deputies = {
        d.pk: d
        for d in deputy_list(user=user)
        .filter(pk__in=set(ids.values()))
        .select_related(None)
        .order_by()
        .only("pk", "term_id", "street_committee_id", "delegation_id")
    }
    for index, deputy_id in ids.items():
        deputy = deputies.get(deputy_id)
        if deputy is None:
            errors.add(index, "deputy", missing_deputy_message(deputy_id))
        elif deputy.term_id != activity.term_id:
            errors.add(index, "deputy", f"代表 {deputy_id} 与活动不属于同一届。")
        elif not policy.can_edit_participation(scope, activity=activity, deputy=deputy):
            errors.add(index, "deputy", f"您无权登记代表 {deputy_id} 的参加情况。")
    errors.raise_if_any()

    wanted = {ids[index]: row for index, row in rows}
    history_user = user if user.is_authenticated else None
    try:
        with transaction.atomic():
            existing = {
                p.deputy_id: p
                for p in Participation.objects.select_for_update(of=("self",))
                .filter(activity=activity, deputy_id__in=wanted)
                .order_by()  # the default ordering joins (and would lock) activities and deputies
            }
            to_create = [
                Participation(
                    activity=activity,
                    deputy_id=deputy_id,
                    confirmed=row.get("confirmed", False),
                    outcome=row.get("outcome", Outcome.PENDING),
                )
                for deputy_id, row in wanted.items()
                if deputy_id not in existing
            ]
            to_update = []
            for deputy_id, participation in existing.items():
                row = wanted[deputy_id]
                new = (row.get("confirmed", participation.confirmed), row.get("outcome", participation.outcome))
                if new != (participation.confirmed, participation.outcome):
                    participation.confirmed, participation.outcome = new
                    to_update.append(participation)
            if to_create:
                bulk_create_with_history(to_create, Participation, default_user=history_user)
            if to_update:
                bulk_update_with_history(to_update, Participation, ["confirmed", "outcome"], default_user=history_user)
    except IntegrityError as exc:
        # Another registration for the same activity was saved at the same moment.
        raise ValidationError({"records": "参加记录已被他人同时修改,请刷新后重试。"}) from exc
    return {
        "created": len(to_create),
        "updated": len(to_update),
        "unchanged": len(existing) - len(to_update),
    }
