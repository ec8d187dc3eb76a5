"""Row validation shared by the bulk upsert services (attendance, participations).

A bulk write is all or nothing: every row is checked first and every bad row is reported by its
index, field and reason in one ValidationError({"records": [...]}), each error carrying
params={"index", "field"} so an API can answer row by row.
"""
from __future__ import annotations

from django.core.exceptions import ValidationError

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
