"""Shared pieces of the browser forms."""
from __future__ import annotations


from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _



class DateInput(forms.DateInput):
    """The browser's own date picker; the value travels as YYYY-MM-DD whatever the language."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


TOO_LONG = _("最多 %(limit_value)d 字,现在是 %(show_value)d 字,请删减后再保存。")


class FriendlyFormMixin:
    """Empty choices read "请选择" instead of dashes; `wide_fields` take a whole row of the form.

    A text longer than its limit is an error that states the limit: the browser's maxlength is dropped,
    since it cuts a pasted text short without a word.
    """

    wide_fields: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField) and field.max_length is not None:
                field.widget.attrs.pop("maxlength", None)
                field.error_messages["max_length"] = TOO_LONG
            if isinstance(field, forms.ModelChoiceField):
                if field.empty_label == "---------":
                    field.empty_label = _("请选择")
            elif isinstance(field, forms.ChoiceField):
                field.choices = [
                    (value, _("请选择") if value == "" and label == "---------" else label)
                    for value, label in field.choices
                ]


def apply_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Show a service's ValidationError next to the fields it names, the rest above the form."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.error_dict.items():
        target = field if field in form.fields and field != NON_FIELD_ERRORS else None
        form.add_error(target, errors)


class DeputySelect(forms.Select):
    """A deputy <select> with a filter box above it (static/js/deputy_select.js, loaded by base.html)."""

    def __init__(self, attrs=None, choices=()):
        super().__init__(attrs={"data-deputy-select": "", **(attrs or {})}, choices=choices)

    class Media:
        js = ("js/deputy_select.js",)


class DeputyChoiceField(forms.ModelChoiceField):
    """A deputy shown with their street committee, since names repeat across a district; searchable."""

    widget = DeputySelect

    def label_from_instance(self, obj) -> str:
        return f"{obj.name}({obj.street_committee.name})"
