"""Forms of the duty handbook: the year asked for, shared by the page and the API."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class HandbookQueryForm(forms.Form):
    """GET /api/v1/deputies/{id}/handbook/?year=: a calendar year of the deputy's term."""

    year = forms.IntegerField(
        label=_("年度"), required=True,
        error_messages={"required": "请指定年度(year),例如 2025。", "invalid": "年度应为四位整数,例如 2025。"},
    )

    def __init__(self, *args, first_year: int, last_year: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.first_year, self.last_year = first_year, last_year

    def clean_year(self) -> int:
        year = self.cleaned_data["year"]
        if not self.first_year <= year <= self.last_year:
            raise forms.ValidationError(
                f"年度必须在该代表所在届的任期内({self.first_year}–{self.last_year})。", code="out_of_term"
            )
        return year
