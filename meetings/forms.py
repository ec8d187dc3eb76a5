"""Browser forms of meetings: sessions and meetings, leave requests (asked, acted on, backfilled),
contributions (审议意见、建议、议案、询问) and their review."""
from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from dutyadmin.api.fields import parse_id
from dutyadmin.forms import DateInput, DeputyChoiceField, FriendlyFormMixin

from .choices import LeaveRoute, LeaveStatus
from .models import CongressSession, Contribution, LeaveRequest, Meeting
from .services import FILING, LEAVE_CHAINS, PaperStep, validate_leave_meetings
from .validators import validate_certificate


class SessionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: CongressSession) -> str:
        return obj.full_name


class ContributionForm(FriendlyFormMixin, forms.ModelForm):
    """A contribution of a deputy the user may record for; no session means the closed period."""

    deputy = DeputyChoiceField(label=_("代表"), queryset=None)
    session = SessionChoiceField(
        label=_("大会"),
        queryset=CongressSession.objects.select_related("term").order_by("-start_date"),
        required=False,
        empty_label=_("闭会期间(不属于大会)"),
        help_text=_("在大会期间提出的审议意见、建议请选择该次大会。"),
    )

    wide_fields = ("title",)

    class Meta:
        model = Contribution
        fields = ["deputy", "session", "kind", "date", "title"]
        labels = {"kind": _("类型"), "date": _("日期"), "title": _("标题")}
        widgets = {"date": DateInput()}

    def __init__(self, *args, deputies: QuerySet, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["deputy"].queryset = deputies


class MeetingChoicesField(forms.ModelMultipleChoiceField):
    """Meetings chosen by id; anything that is not a database id is refused, never a crash."""

    def clean(self, value):
        values = value if isinstance(value, (list, tuple)) else [value] if value not in self.empty_values else []
        for item in values:
            if parse_id(item) is None:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": str(item)[:50]}
                )
        return super().clean([str(parse_id(item)) for item in values])


class CertificateField(forms.FileField):
    """单位请假证明: pdf, jpg or png, at most 10 MB, checked by content (the same check as the API)."""

    default_validators = [validate_certificate]


# --- sessions and meetings -----------------------------------------------------------------------


class SessionForm(FriendlyFormMixin, forms.ModelForm):
    """A congress session of a term."""

    class Meta:
        model = CongressSession
        fields = ["term", "number", "name", "start_date", "end_date"]
        labels = {"term": _("届"), "number": _("第几次会议"), "name": _("名称"), "start_date": _("开始日期"),
                  "end_date": _("结束日期")}
        help_texts = {"name": _("例如:第十七届第三次会议")}
        widgets = {"start_date": DateInput(), "end_date": DateInput()}


class MeetingForm(FriendlyFormMixin, forms.ModelForm):
    """One sitting of a session; the session is given by the page."""

    wide_fields = ("title",)

    class Meta:
        model = Meeting
        fields = ["kind", "title", "date", "half_day"]
        labels = {"kind": _("会议类型"), "title": _("名称"), "date": _("日期"), "half_day": _("时段")}
        widgets = {"date": DateInput()}


# --- leave ---------------------------------------------------------------------------------------


class LeaveSessionField(forms.ModelChoiceField):
    def label_from_instance(self, obj: CongressSession) -> str:
        day = obj.start_date
        return f"{obj.name}({day.year}年{day.month}月{day.day}日起)"


def check_meetings(form: forms.Form, route: str | None, session: CongressSession | None) -> None:
    """The service's own check of the meetings against the route, shown with the other field errors."""
    meetings = form.cleaned_data.get("meetings")
    if route not in LeaveRoute.values or session is None or meetings is None:
        return
    try:
        validate_leave_meetings(LeaveRequest(route=route, session=session), meetings)
    except ValidationError as exc:
        form.add_error(None, exc)


class LeaveRequestForm(FriendlyFormMixin, forms.ModelForm):
    """A leave request of a deputy the user may ask for; the meetings are those of the chosen session."""

    deputy = DeputyChoiceField(label=_("代表"), queryset=None)
    session = LeaveSessionField(label=_("大会"), queryset=CongressSession.objects.none())
    route = forms.ChoiceField(label=_("请假类型"), choices=LeaveRoute.choices, widget=forms.RadioSelect)
    meetings = MeetingChoicesField(label=_("请假的会议"), queryset=Meeting.objects.none(), required=False)
    certificate = CertificateField(
        label=_("单位请假证明"),
        required=False,
        help_text=_("全程请假须附所在单位出具的请假证明:pdf、jpg 或 png,不超过 10 MB。"),
    )

    wide_fields = ("reason",)

    class Meta:
        model = LeaveRequest
        fields = ["deputy", "session", "route", "meetings", "reason", "certificate"]
        labels = {"reason": _("事由")}
        widgets = {"reason": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, deputies: QuerySet, sessions: QuerySet, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["deputy"].queryset = deputies
        self.fields["session"].queryset = sessions
        self.fields["meetings"].queryset = Meeting.objects.filter(session__in=sessions)

    def clean(self):
        data = super().clean()
        check_meetings(self, data.get("route"), data.get("session"))
        return data

    def service_data(self) -> dict:
        """What leave_request_save takes: a new certificate replaces the old, a cleared one is removed."""
        data = {name: self.cleaned_data[name] for name in ("deputy", "session", "route", "reason")}
        data["meetings"] = list(self.cleaned_data["meetings"])
        certificate = self.cleaned_data.get("certificate")
        if certificate is False:
            data["certificate"] = ""
        elif certificate:
            data["certificate"] = certificate
        return data


class LeaveActionForm(forms.Form):
    """An approver's comment; a reject needs it as the reason."""

    comment = forms.CharField(label=_("意见"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 2}))
    # The step the approver saw as current (its order): a second click finds it done (Conflict), not the next.
    step = forms.IntegerField(required=False, min_value=1, max_value=99, widget=forms.HiddenInput)


BACKFILL_STATUS_CHOICES = [(LeaveStatus.APPROVED, _("已批准")), (LeaveStatus.REJECTED, _("已驳回"))]


class LeaveBackfillForm(FriendlyFormMixin, forms.Form):
    """补录: a leave of a past session from the paper form, one route at a time, with each signed step."""

    deputy = DeputyChoiceField(label=_("代表"), queryset=None)
    session = LeaveSessionField(label=_("大会"), queryset=CongressSession.objects.none())
    meetings = MeetingChoicesField(label=_("请假的会议"), queryset=Meeting.objects.none(), required=False)
    reason = forms.CharField(label=_("事由"), widget=forms.Textarea(attrs={"rows": 2}))
    certificate = CertificateField(label=_("单位请假证明"), required=False,
                                   help_text=_("pdf、jpg 或 png,不超过 10 MB;纸质证明可扫描后上传。"))
    status = forms.ChoiceField(label=_("审批结果"), choices=BACKFILL_STATUS_CHOICES, widget=forms.RadioSelect,
                               initial=LeaveStatus.APPROVED)

    wide_fields = ("reason",)
    rejected_at = forms.TypedChoiceField(label=_("在哪一步被驳回"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, route: str, deputies: QuerySet, sessions: QuerySet, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.route = route
        self.chain = LEAVE_CHAINS[route]
        self.fields["deputy"].queryset = deputies
        self.fields["session"].queryset = sessions
        self.fields["meetings"].queryset = Meeting.objects.filter(session__in=sessions)
        # A filing step (备案) only records: it cannot refuse, so a request is rejected at the deciding step at the latest.
        self.fields["rejected_at"].choices = [("", _("请选择"))] + [
            (i, f"第 {i} 步:{spec.label}") for i, spec in enumerate(self.chain, start=1) if spec.kind != FILING
        ]
        for i, spec in enumerate(self.chain):
            self.fields[f"step{i}_name"] = forms.CharField(label=_("办理人"), required=False, max_length=50)
            self.fields[f"step{i}_date"] = forms.DateField(
                label=_("办理日期"), required=False, widget=DateInput(attrs={"aria-label": f"{spec.label} 办理日期"})
            )
            self.fields[f"step{i}_comment"] = forms.CharField(label=_("意见"), required=False, max_length=2000)

    def step_rows(self) -> list[dict]:
        """The step fields grouped for the template: label and the three bound fields of each step."""
        return [
            {"number": i + 1, "label": spec.label, "role": spec.role, "name": self[f"step{i}_name"],
             "date": self[f"step{i}_date"], "comment": self[f"step{i}_comment"]}
            for i, spec in enumerate(self.chain)
        ]

    def clean(self):
        data = super().clean()
        if data.get("status") == LeaveStatus.REJECTED and not data.get("rejected_at"):
            self.add_error("rejected_at", _("请选择在哪一步被驳回。"))
        check_meetings(self, self.route, data.get("session"))
        return data

    def paper_steps(self) -> list[PaperStep]:
        """The signed steps: when approved all of them, but a filing step left blank is still open;
        when rejected, up to the refusing one."""
        count = len(self.chain)
        if self.cleaned_data["status"] == LeaveStatus.REJECTED:
            count = self.cleaned_data["rejected_at"]
        else:
            while count and self.chain[count - 1].kind == FILING and not any(
                self.cleaned_data.get(f"step{count - 1}_{part}") for part in ("name", "date", "comment")
            ):
                count -= 1
        return [
            PaperStep(
                acted_by_name=self.cleaned_data.get(f"step{i}_name") or "",
                acted_at=self.cleaned_data.get(f"step{i}_date"),
                comment=self.cleaned_data.get(f"step{i}_comment") or "",
            )
            for i in range(count)
        ]

    def service_data(self) -> dict:
        data = {name: self.cleaned_data[name] for name in ("deputy", "session", "reason")}
        data["route"] = self.route
        data["meetings"] = list(self.cleaned_data["meetings"])
        if self.cleaned_data.get("certificate"):
            data["certificate"] = self.cleaned_data["certificate"]
        return data

    def apply_service_errors(self, exc: ValidationError) -> None:
        """Show the service's errors next to their fields; a step's error next to that step's field."""
        suffix = {"acted_by_name": "name", "acted_at": "date", "comment": "comment"}
        for name, errors in exc.error_dict.items():
            for error in errors:
                params = error.params or {}
                if name == "steps" and "index" in params:
                    self.add_error(f"step{params['index']}_{suffix.get(params.get('field'), 'name')}", error.message)
                elif name in self.fields:
                    self.add_error(name, error)
                else:
                    self.add_error(None, error)


class ReturnForm(forms.Form):
    """Why a deputy's entry goes back to them."""

    comment = forms.CharField(label=_("退回理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
                              error_messages={"required": _("退回时请填写理由。")})
