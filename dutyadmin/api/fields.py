"""Serializer fields with strict input and Chinese messages."""
from __future__ import annotations

import re
from collections.abc import Callable

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from dutyadmin.dates import DATE_RANGE_MESSAGE, FIRST_DAY, LAST_DAY

DATE_SHAPE = re.compile(r"\d{4}-\d{2}-\d{2}")

MAX_ID = 2**63 - 1


def parse_id(data) -> int | None:
    """A positive integer id from JSON (int) or form data (digits); None when it is not one."""
    if isinstance(data, bool):
        return None
    if isinstance(data, int):
        value = data
    elif isinstance(data, str) and data.strip().isdigit():
        value = int(data.strip())
    else:
        return None
    return value if 1 <= value <= MAX_ID else None


class IdRelatedField(serializers.PrimaryKeyRelatedField):
    """A reference by integer id.

    With `selector`, only what the user may see can be referenced (the selector scopes by user);
    anything else reads "does not exist", so the answer never tells whether it exists elsewhere.
    """

    default_error_messages = {
        "required": "该字段是必填项。",
        "null": "该字段不能为空。",
        "does_not_exist": "编号为 {pk_value} 的记录不存在,或不在您的管理范围内。",
        "incorrect_type": "应为整数编号,收到的是“{value}”。",
    }

    def __init__(self, *, selector: Callable | None = None, **kwargs):
        self.selector = selector
        super().__init__(**kwargs)

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.selector is None:
            return queryset
        request = self.context.get("request")
        if request is None:
            # Fail closed: no user, no scope.
            return queryset.none()
        return self.selector(user=request.user)

    def to_internal_value(self, data):
        pk = parse_id(data)
        if pk is None:
            if isinstance(data, int) and not isinstance(data, bool):
                # A whole number that no record can have (0, negative, too large).
                self.fail("does_not_exist", pk_value=data)
            self.fail("incorrect_type", value=str(data)[:50])
        return super().to_internal_value(pk)


@extend_schema_field(OpenApiTypes.OBJECT)
class JSONObjectField(serializers.Field):
    """A JSON object; anything else is a 400."""

    default_error_messages = {"invalid": "必须是一个 JSON 对象。"}

    def to_representation(self, value):
        return value

    def to_internal_value(self, data):
        if not isinstance(data, dict):
            self.fail("invalid")
        return data


# --- issue 17: dates 1900-01-01 … 2100-12-31 only, always YYYY-MM-DD ------------------------------------------
class DateField(serializers.DateField):
    """A date written or read by the API: four-digit YYYY-MM-DD, between dutyadmin.dates.FIRST_DAY and LAST_DAY
    (a 400 in Chinese outside). Every date of the API is this field (ModelSerializer maps model dates to it)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", ["%Y-%m-%d"])
        super().__init__(**kwargs)

    def to_internal_value(self, value):
        if isinstance(value, str) and not DATE_SHAPE.fullmatch(value.strip()):
            self.fail("invalid", format="YYYY-MM-DD")
        day = super().to_internal_value(value)
        if not FIRST_DAY <= day <= LAST_DAY:
            raise serializers.ValidationError(DATE_RANGE_MESSAGE)
        return day

    def to_representation(self, value):
        if value is None or value == "":
            return None
        return value.isoformat() if hasattr(value, "isoformat") else super().to_representation(value)
