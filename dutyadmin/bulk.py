"""The bulk upsert of one deputy's record per parent (a meeting's roll call, an activity's
participations): `bulk_upsert`, called by both services with their model, fields and checks.

A bulk write is all or nothing: every row is checked first and every bad row is reported by its
index, field and reason in one ValidationError({"records": [...]}), each error carrying
params={"index", "field"} so an API can answer row by row.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from .dates import out_of_range_dates

MAX_ROWS = 5000
MAX_ID = 2**63 - 1


def _echo(value) -> str:
    """A user's value, shortened, safe inside a ValidationError message (which %-formats)."""
    return str(value)[:50].replace("%", "%")


class RowErrors:
    """Collects the errors of a bulk body's rows."""

    def __init__(self) -> None:
        self.errors: list[tuple[int, str, str]] = []

    def add(self, index: int, field: str, message: str) -> None:
        self.errors.append((index, field, message))

    def __bool__(self) -> bool:
        return bool(self.errors)

    def raise_if_any(self) -> None:
        if not self.errors:
            return
        raise ValidationError(
            {
                "records": [
                    ValidationError(message, code="invalid_row", params={"index": index, "field": field})
                    for index, field, message in sorted(self.errors, key=lambda e: e[0])
                ]
            }
        )


def read_rows(records, *, allowed: set[str], required: set[str], errors: RowErrors) -> list[tuple[int, dict]]:
    """The rows that are objects, after noting unknown and missing keys; the body must be a list."""
    if not isinstance(records, list):
        raise ValidationError({"records": "records 必须是一个列表。"})
    if not records:
        raise ValidationError({"records": "请至少提交一条记录。"})
    if len(records) > MAX_ROWS:
        raise ValidationError({"records": f"一次最多提交 {MAX_ROWS} 条记录。"})
    rows = []
    for index, row in enumerate(records):
        if not isinstance(row, dict):
            errors.add(index, "record", "每条记录必须是一个对象。")
            continue
        for key in sorted(set(row) - allowed):
            errors.add(index, _echo(key), f"未知字段“{_echo(key)}”。")
        for key in sorted(required - set(row)):
            errors.add(index, key, "该字段是必填项。")
        rows.append((index, row))
    return rows


def read_deputy_ids(rows: list[tuple[int, dict]], errors: RowErrors) -> dict[int, int]:
    """{row index: deputy id} for rows with a well-formed id; notes bad ids and repeated deputies."""
    ids: dict[int, int] = {}
    first_row: dict[int, int] = {}
    for index, row in rows:
        if "deputy" not in row:
            continue
        value = row["deputy"]
        if isinstance(value, bool) or not isinstance(value, int):
            errors.add(index, "deputy", f"代表应为整数编号,收到的是“{_echo(value)}”。")
            continue
        if not 1 <= value <= MAX_ID:
            errors.add(index, "deputy", f"编号为 {value} 的代表不存在,或不在您的管理范围内。")
            continue
        if value in first_row:
            errors.add(index, "deputy", f"代表 {value} 在本次提交中重复(与 index {first_row[value]} 的记录相同)。")
            continue
        first_row[value] = index
        ids[index] = value
    return ids


def read_choice(index: int, row: dict, field: str, choices, errors: RowErrors) -> None:
    """Note an error when row[field] is present and not one of the choices' values."""
    if field in row and row[field] not in choices.values:
        allowed = "、".join(choices.values)
        errors.add(index, field, f"“{_echo(row[field])}”不是有效的选项,可选:{allowed}。")


def read_bool(index: int, row: dict, field: str, errors: RowErrors) -> None:
    if field in row and not isinstance(row[field], bool):
        errors.add(index, field, f"应为 true 或 false,收到的是“{_echo(row[field])}”。")


def missing_deputy_message(deputy_id: int) -> str:
    return f"编号为 {deputy_id} 的代表不存在,或不在您的管理范围内。"


FieldCheck = Callable[[int, dict, str, RowErrors], None]


def one_of(choices) -> FieldCheck:
    """A field check: the value must be one of the choices' values."""
    return lambda index, row, field, errors: read_choice(index, row, field, choices, errors)


def boolean(index: int, row: dict, field: str, errors: RowErrors) -> None:
    """A field check: the value must be true or false."""
    read_bool(index, row, field, errors)


def bulk_upsert(
    *,
    user,
    model: type[models.Model],
    parent: tuple[str, models.Model],
    records,
    fields: dict[str, FieldCheck],
    required: Iterable[str] = (),
    defaults: dict[str, Any] | None = None,
    deputies: models.QuerySet,
    deputy_problem: Callable[[Any], str | None],
    before_save: Callable[[list], None],
    conflict_message: str,
) -> dict[str, int]:
    """Create or update one `model` row per (parent, deputy), all rows or none.

    records: [{"deputy": id, <field>: value, ...}]. Every row is checked first: its keys, each
    field by its check, the deputy (a well-formed id, not repeated, found in `deputies` — the
    user's scope — and without a `deputy_problem`); any bad row raises one ValidationError naming
    every bad row. `before_save(deputies)` then runs the checks of the batch as a whole (the year
    lock). Existing rows are updated (a field left out keeps its value), missing ones created with
    `defaults` for the fields left out, in one transaction, with history, in a fixed number of
    queries. Returns {"created", "updated", "unchanged"}.
    """
    parent_field, parent_object = parent
    # 1900-01-01 … 2100-12-31, as record_save checks every other write (issue 17): a parent dated outside (a
    # legacy row, a typo saved before the rule) takes no rows; the rows are checked below as they are built.
    parent_dates = out_of_range_dates(parent_object)
    if parent_dates:
        raise ValidationError({parent_field: [
            f"{parent_object._meta.get_field(name).verbose_name}：{message}" for name, message in parent_dates.items()
        ]})
    defaults = defaults or {}
    errors = RowErrors()
    rows = read_rows(records, allowed={"deputy", *fields}, required={"deputy", *required}, errors=errors)
    for index, row in rows:
        for field, check in fields.items():
            check(index, row, field, errors)
    ids = read_deputy_ids(rows, errors)
    found = {d.pk: d for d in deputies.filter(pk__in=set(ids.values())).select_related(None).order_by()}
    for index, deputy_id in ids.items():
        deputy = found.get(deputy_id)
        problem = missing_deputy_message(deputy_id) if deputy is None else deputy_problem(deputy)
        if problem:
            errors.add(index, "deputy", problem)
    errors.raise_if_any()
    before_save(list(found.values()))

    wanted = {ids[index]: row for index, row in rows}
    history_user = user if user.is_authenticated else None
    try:
        with transaction.atomic():
            existing = {
                record.deputy_id: record
                for record in model.objects.select_for_update(of=("self",))
                .filter(**{parent_field: parent_object}, deputy_id__in=wanted)
                .order_by()  # the default ordering joins (and would lock) the parent and the deputies
            }
            to_create = [
                model(**{parent_field: parent_object}, deputy_id=deputy_id,
                      **{field: row.get(field, defaults.get(field)) for field in fields})
                for deputy_id, row in wanted.items()
                if deputy_id not in existing
            ]
            to_update = []
            for deputy_id, record in existing.items():
                changes = {f: v for f, v in wanted[deputy_id].items() if f in fields and getattr(record, f) != v}
                if changes:
                    for field, value in changes.items():
                        setattr(record, field, value)
                    to_update.append(record)
            index_of = {deputy_id: index for index, deputy_id in ids.items()}
            for record in [*to_create, *to_update]:
                for name, message in out_of_range_dates(record).items():
                    errors.add(index_of.get(record.deputy_id, 0), name, message)
            errors.raise_if_any()  # inside the transaction: nothing is saved
            if to_create:
                bulk_create_with_history(to_create, model, default_user=history_user)
            if to_update:
                bulk_update_with_history(to_update, model, list(fields), default_user=history_user)
    except IntegrityError as exc:
        # Another write for the same parent was saved at the same moment.
        raise ValidationError({"records": conflict_message}) from exc
    return {
        "created": len(to_create),
        "updated": len(to_update),
        "unchanged": len(existing) - len(to_update),
    }
