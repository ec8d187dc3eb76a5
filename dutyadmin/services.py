"""The shared write path: validate, save in a transaction, record who changed it in history."""
from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from .dates import chinese_date, out_of_range_dates
from .year_lock import assert_record_open


class Conflict(ValidationError):
    """An action on a state that is no longer the one the user saw: a repeat (a double click) or a race, or an
    action the record's state no longer allows. The API answers 409 with the message and the current state;
    a page shows it like any refusal (it is a ValidationError of the field `field`)."""

    def __init__(self, message: str, *, current: dict[str, Any] | None = None, field: str = "status"):
        super().__init__({field: [message]})
        self.message = message
        self.current = current or {}


def confirmed_refusal(confirmation: tuple, *, what: str = "这条记录", done: str = "确认") -> PermissionDenied:
    """The refusal of a deputy's change to their own entry once staff confirmed (or approved) it
    (permissions.change_own_entry): who did it and when, and that staff change it from now on.
    confirmation: (user or None, datetime or None), a record's ``staff_confirmation``."""
    by, at = confirmation
    who = (by.get_full_name() or by.get_username()) if by is not None else "工作人员"
    when = f"于{chinese_date(timezone.localtime(at).date())} {timezone.localtime(at):%H:%M}" if at else ""
    return PermissionDenied(f"{what}已由{who}{when}{done}，代表本人不能再修改或删除；如需更正，请联系工作人员修改。")


def _assign(instance: models.Model, data: dict[str, Any]) -> list:
    """Set fields from data; return the many-to-many values to set after saving."""
    m2m = []
    for name, value in data.items():
        field = instance._meta.get_field(name)
        if field.many_to_many:
            m2m.append((name, value))
        else:
            setattr(instance, name, value)
    return m2m


def record_save(instance: models.Model, *, user, data: dict[str, Any] | None = None, allowed: bool = True):
    """Apply data to instance, full_clean it and save it atomically with user in its history.

    Raises PermissionDenied when not allowed, ValidationError (with Chinese field messages) when
    the data is invalid, including database constraint violations.
    """
    if not allowed:
        raise PermissionDenied("您无权修改这条记录。")
    m2m = _assign(instance, data or {})
    out_of_range = out_of_range_dates(instance)  # 1900-01-01 … 2100-12-31 (a form, the API, an import alike)
    if out_of_range:
        raise ValidationError(out_of_range)
    instance.full_clean()
    assert_record_open(instance)  # a record of a year approved in the year-end review is locked (Art. 8(二))
    instance._history_user = user if user and user.is_authenticated else None
    try:
        with transaction.atomic():
            instance.save()
            for name, value in m2m:
                getattr(instance, name).set(value)
    except IntegrityError as exc:
        raise ValidationError({"__all__": f"数据与已有记录冲突:{exc}"}) from exc
    return instance


def record_delete(instance: models.Model, *, user, allowed: bool = True) -> None:
    if not allowed:
        raise PermissionDenied("您无权删除这条记录。")
    assert_record_open(instance)  # a record of a year approved in the year-end review is locked (Art. 8(二))
    instance._history_user = user if user and user.is_authenticated else None
    try:
        with transaction.atomic():
            instance.delete()
    except models.ProtectedError as exc:
        raise ValidationError({"__all__": "该记录仍被其他记录引用,不能删除。"}) from exc
