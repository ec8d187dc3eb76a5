"""Strict filter building blocks shared by every app's filtersets.py (HTML lists, API, exports).

django-filter silently ignores some bad values (a BooleanFilter reads "maybe" as "no filter",
a NumberFilter accepts "1.5" for an id). Here every bad value is a form error, which the API
turns into a 400 and an HTML list shows next to the field.
"""
from __future__ import annotations

import django_filters
import django_filters.fields
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q

TRUE_VALUES = frozenset({"true", "1", "yes", "on"})
FALSE_VALUES = frozenset({"false", "0", "no", "off"})


class StrictBooleanField(forms.Field):
    """true/false (or 1/0); anything else is an error, an empty value means "no filter"."""

    widget = forms.Select(choices=[("", "全部"), ("true", "是"), ("false", "否")])

    def to_python(self, value):
        if value in (None, ""):
            return None
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in TRUE_VALUES:
            return True
        if text in FALSE_VALUES:
            return False
        raise ValidationError("请填写 true 或 false。", code="invalid")

    def validate(self, value):
        # None means "no filter", never "required".
        return None


class BooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


class KnownModelChoiceField(django_filters.fields.ModelChoiceField):
    """A model choice whose `known` objects (pk text → object), when a page has them already, need no query."""

    known: dict[str, object] | None = None

    def to_python(self, value):
        if self.known is not None and isinstance(value, str) and value in self.known:
            return self.known[value]
        return super().to_python(value)  # anything else is looked up (and refused) as before


class KnownModelChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = KnownModelChoiceField


class IdField(forms.IntegerField):
    """A positive whole-number id."""

    default_error_messages = {
        "invalid": "请填写整数编号。",
        "min_value": "编号必须是正整数。",
        "max_value": "编号过大。",
    }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**63 - 1)  # beyond a database integer: a form error, not a crash
        super().__init__(*args, **kwargs)


class IdFilter(django_filters.Filter):
    """Filter on a foreign key by its integer id, without loading the referenced table.

    An id that matches nothing gives an empty list (it may be out of the user's scope: saying
    "does not exist" would tell them whether it exists).
    """

    field_class = IdField


class YearField(forms.IntegerField):
    """A calendar year within the dates the app accepts (1900 … 2100)."""

    default_error_messages = {
        "invalid": "请填写四位数的年份，例如 2025。",
        "min_value": "年份不能早于 %(limit_value)s 年。",
        "max_value": "年份不能晚于 %(limit_value)s 年。",
    }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1900)
        kwargs.setdefault("max_value", 2100)  # a year of 10**20 is a form error, not an overflow in the database
        super().__init__(*args, **kwargs)


class YearFilter(django_filters.Filter):
    """A calendar year of a date field (lookup_expr="year"): a whole number in range, else a form error."""

    field_class = YearField


class DateRangeFilter(django_filters.DateFromToRangeFilter):
    """`<name>_after` / `<name>_before`, both ends included, YYYY-MM-DD."""


def search_filter(*fields: str, label: str = "搜索") -> django_filters.CharFilter:
    """A `q` filter like the deputy list's: every word must match one of the fields."""

    def method(queryset, name, value):
        for word in (value or "").split():
            q = Q()
            for field in fields:
                q |= Q(**{f"{field}__icontains": word})
            queryset = queryset.filter(q)
        return queryset

    return django_filters.CharFilter(label=label, method=method)
