"""Forms of findings: the query parameters of the findings and data-check pages and API, and term thresholds."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from deputies.models import StreetCommittee, Term
from dutyadmin.api.fields import parse_id
from dutyadmin.api.filters import IdField, StrictBooleanField
from dutyadmin.forms import DateInput
from oversight.articles import ARTICLE_HEADINGS
from oversight.office_checks import OFFICE_CHECK_LABELS
from oversight.rules.catalog import DEFAULT_THRESHOLDS, THRESHOLD_ARTICLES, THRESHOLD_LABELS, thresholds_with_defaults

from ..labels import (
    ACTION_LABELS,
    ACTIONS,
    DATA_CHECK_LABELS,
    RULE_ARTICLES,
    RULE_IDS,
    RULE_LABELS,
    STATUS_LABELS,
    STATUSES,
)

# --- findings, data checks, handbooks: the query parameters shared by the pages and the API ----------

DATE_HELP = "YYYY-MM-DD"
DATE_ERROR = "日期格式应为 YYYY-MM-DD,例如 2025-03-01。"


class IdChoiceField(forms.ModelChoiceField):
    """A record chosen by integer id; anything that is not a database id is "does not exist", never a crash."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if parse_id(value) is None:
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                        params={"value": str(value)[:50]})
        return super().to_python(str(parse_id(value)))


class OversightQueryForm(forms.Form):
    """term (required unless the page supplies the current one), as_of (default today), street, deputy."""

    term = IdChoiceField(
        label=_("届"), queryset=Term.objects.all(), required=True,
        error_messages={"required": "请指定届(term)。", "invalid_choice": "届“%(value)s”不存在。"},
    )
    as_of = forms.DateField(
        label=_("评估日期"), required=False, input_formats=["%Y-%m-%d"], widget=DateInput(),
        error_messages={"invalid": DATE_ERROR},
    )
    street_committee = IdChoiceField(
        label=_("人大街工委"), queryset=StreetCommittee.objects.all(), required=False,
        error_messages={"invalid_choice": "人大街工委“%(value)s”不存在。"},
    )
    deputy = IdField(label=_("代表"), required=False)

    def __init__(self, *args, term_required: bool = True, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["term"].required = term_required

    def filters(self) -> dict:
        """The valid filters other than term and as_of, without the empty ones."""
        return {
            name: value for name, value in self.cleaned_data.items()
            if name not in ("term", "as_of") and value not in (None, "")
        }


class FindingFilterForm(OversightQueryForm):
    """GET /api/v1/findings/ and the findings page: rule, status, action, include_met besides the above."""

    rule = forms.ChoiceField(
        label=_("规则"), required=False, choices=[("", _("全部"))] + [(r, f"{RULE_ARTICLES[r]} {RULE_LABELS[r]}") for r in RULE_IDS],
        error_messages={"invalid_choice": "未知的规则“%(value)s”;可选:" + "、".join(RULE_IDS) + "。"},
    )
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部"))] + list(STATUS_LABELS.items()),
        error_messages={"invalid_choice": "未知的状态“%(value)s”;可选:" + "、".join(STATUSES) + "。"},
    )
    action = forms.ChoiceField(
        label=_("处置方式"), required=False, choices=[("", _("全部"))] + list(ACTION_LABELS.items()),
        error_messages={"invalid_choice": "未知的处置方式“%(value)s”;可选:" + "、".join(ACTIONS) + "。"},
    )
    include_met = StrictBooleanField(label=_("包括已达标"), required=False)


class DataCheckFilterForm(OversightQueryForm):
    """GET /api/v1/data-checks/: check besides term, as_of, street committee and deputy."""

    # --- gaps14b: the A10.5 contact checks (about members) are checks of the page and API too
    check = forms.ChoiceField(
        label=_("检查项"), required=False,
        choices=[("", _("全部"))] + list(DATA_CHECK_LABELS.items()) + list(OFFICE_CHECK_LABELS.items()),
        error_messages={"invalid_choice": "未知的检查项“%(value)s”;可选:"
                        + "、".join([*DATA_CHECK_LABELS, *OFFICE_CHECK_LABELS]) + "。"},
    )


# --- thresholds of a term in the Django admin: one whole-number field per key ------------------------


def _threshold_field(key: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=THRESHOLD_LABELS[key], min_value=1, required=True,
        help_text=f"{ARTICLE_HEADINGS.get(THRESHOLD_ARTICLES[key], THRESHOLD_ARTICLES[key])};默认 {DEFAULT_THRESHOLDS[key]}",
        error_messages={"required": "请填写正整数。", "invalid": "必须是正整数。", "min_value": "必须是正整数。"},
    )


class _TermThresholdsForm(forms.ModelForm):
    class Meta:
        model = Term
        fields = ["number", "name", "start_date", "end_date"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        current = thresholds_with_defaults(
            self.instance.thresholds if isinstance(self.instance.thresholds, dict) else None
        )
        for key in DEFAULT_THRESHOLDS:
            self.initial.setdefault(threshold_field_name(key), current[key])

    def clean(self) -> dict:
        cleaned = super().clean()
        values = {key: cleaned.get(threshold_field_name(key)) for key in DEFAULT_THRESHOLDS}
        if all(value is not None for value in values.values()):
            self.instance.thresholds = values
        return cleaned


def threshold_field_name(key: str) -> str:
    return f"threshold_{key}"


# Declared fields must exist when the class is made (the admin checks its fieldsets against them).
TermAdminForm = type(
    "TermAdminForm",
    (_TermThresholdsForm,),
    {
        "__module__": __name__,
        "__doc__": "A term in the admin, its thresholds as one positive whole-number field each (not raw JSON).",
        **{threshold_field_name(key): _threshold_field(key) for key in DEFAULT_THRESHOLDS},
    },
)

TERM_ADMIN_FIELDSETS = (
    (None, {"fields": ("number", "name", "start_date", "end_date", "notice_days_before")}),
    ("履职阈值", {
        "fields": tuple(threshold_field_name(key) for key in DEFAULT_THRESHOLDS),
        "description": "本届的基础阈值,每项均为正整数;年度要求在任职不满一年时按比例折算(向上取整)。"
                       "修改这里会改变本届每个期间的评估;要从某一天起调整(不改写已经开始的年度),"
                       "请由代表联络机构在“履职阈值”页面登记阈值调整。",
    }),
)
