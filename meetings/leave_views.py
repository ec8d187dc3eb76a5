"""Pages of leave requests (请假, Art. 3(一)): the list, asking, one request with its chain and
history, the approver's inbox and actions, the backfill of paper records, the certificate download."""
from __future__ import annotations

from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from deputies.selectors import current_term, editable_deputies
from dutyadmin.forms import apply_errors
from dutyadmin.services import Conflict
from dutyadmin.roles import Role
from dutyadmin.scope import scope_for
from dutyadmin.permissions import allows
from dutyadmin.year_lock import year_lock_notice
from dutyadmin.templatetags.dutyadmin_ui import display_name
from dutyadmin.list_views import ScopedListView

from . import services
from .choices import LeaveRoute, LeaveStatus, StepStatus
from .filtersets import LeaveRequestFilterSet
from .forms import LeaveActionForm, LeaveBackfillForm, LeaveRequestForm
from .models import CongressSession, LeaveRequest, Meeting
from .selectors import leave_filings_waiting, leave_inbox, leave_request_history, leave_request_list
from .services import DECIDING, DECIDING_STEPS, FILING, FILING_STEPS, LEAVE_CHAINS, STEP_KINDS, STEP_LABELS

ROUTE_HINTS = {
    LeaveRoute.WHOLE_SESSION: gettext_lazy("不能出席整次大会:附单位请假证明,逐级审批。"),
    LeaveRoute.PLENARY: gettext_lazy("临时请假半天及以上:选择要请假的全体会议等会议。"),
    LeaveRoute.DELEGATION_MEETING: gettext_lazy("分团会议请假半天及以内:选择要请假的分团会议。"),
}


def _term_sessions():
    term = current_term()
    sessions = CongressSession.objects.select_related("term").order_by("-start_date", "-id")
    return sessions.filter(term=term) if term else sessions.none()


def _term_deputies(user, act: str):
    deputies = editable_deputies(user=user, act=act)
    term = current_term()
    return deputies.filter(term=term) if term else deputies.none()


def route_steps(route: str) -> dict:
    """Which step of the route decides, and who files it afterwards (RULES.md, Leave), as the pages say it."""
    deciding, filing = DECIDING_STEPS[route], FILING_STEPS[route]
    return {
        "deciding": deciding.label,
        "deciding_role": Role(deciding.role).label,
        "filing": filing.label if filing else "",
        "filing_role": Role(filing.role).label if filing else "",
    }


def _routes() -> list[dict]:
    return [
        {"value": route.value, "label": route.label, "hint": ROUTE_HINTS[route],
         "steps": [{"label": spec.label, "kind": spec.kind} for spec in LEAVE_CHAINS[route]],
         **route_steps(route)}
        for route in LeaveRoute
    ]


def _meeting_groups(form) -> list[tuple[CongressSession, list[Meeting]]]:
    meetings = form.fields["meetings"].queryset.select_related("session").order_by(
        "session__start_date", "session_id", "date", "half_day", "id"
    )
    return [(session, list(items)) for session, items in groupby(meetings, key=lambda m: m.session)]


def _chosen(form, name: str) -> set[str]:
    if form.is_bound:
        return set(form.data.getlist(name)) if hasattr(form.data, "getlist") else set()
    value = form.initial.get(name) or []
    return {str(getattr(v, "pk", v)) for v in value}


class LeaveListView(ScopedListView):
    """Leave requests of the deputies in scope (a deputy: their own), newest first, with filters."""

    selector = leave_request_list
    filterset_class = LeaveRequestFilterSet
    template_name = "meetings/leave_list.html"
    section = "leave"
    filter_fields = ("q", "session", "route", "status", "backfilled")
    ordering = ("-created_at", "-id")
    denied_message = gettext_lazy("您的角色不能查看请假申请。")

    def allowed(self, scope) -> bool:
        return allows(scope, "see_records")

    def get_extra_context(self, *, scope, filterset, page) -> dict:
        user = self.request.user
        return {
            "sessions": _term_sessions(),
            "routes": LeaveRoute.choices,
            "statuses": LeaveStatus.choices,
            "can_ask": _term_deputies(user, "file_leave").exists(),
            "can_backfill": _term_deputies(user, "backfill_leave").exists(),
            "is_approver": allows(scope, "decide_leave_step"),
        }


leave_list_view = LeaveListView.as_view()


def _leave_form(request: HttpRequest, leave: LeaveRequest | None) -> HttpResponse:
    scope = scope_for(request.user)
    deputies = _term_deputies(request.user, "file_leave")
    if not deputies.exists():
        raise PermissionDenied(_("您的角色不能申请请假。"))
    initial: dict = {"route": request.GET.get("route") if request.GET.get("route") in LeaveRoute.values else None}
    if leave is None:
        if scope.deputy_id and deputies.filter(pk=scope.deputy_id).exists():
            initial["deputy"] = scope.deputy_id
        elif (wanted := request.GET.get("deputy", "")).isdigit() and len(wanted) < 19:
            initial["deputy"] = deputies.filter(pk=int(wanted)).first()
    # Leave is asked before or during a session; a session already over is backfilled by staff.
    open_now = Q(end_date__gte=timezone.localdate())
    sessions = _term_sessions().filter(open_now | Q(pk=leave.session_id) if leave else open_now)
    if leave is None and (upcoming := sessions.order_by("start_date").first()) is not None:
        initial["session"] = upcoming
    form = LeaveRequestForm(
        request.POST or None, request.FILES or None, instance=leave, initial=initial,
        deputies=deputies.select_related("street_committee"), sessions=sessions,
    )
    only_self = deputies.count() == 1
    # Nothing to ask leave for: the page says so and what to do instead, with no form to fill in.
    no_sessions = leave is None and not sessions.exists()
    if request.method == "POST" and not no_sessions and form.is_valid():
        try:
            saved = services.leave_request_ask(
                user=request.user, leave_request=leave, data=form.service_data(), submit="save_draft" not in request.POST
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if saved.status == LeaveStatus.PENDING:
                messages.success(request, _("请假申请已提交,等待“%(step)s”。") % {
                    "step": STEP_LABELS[LEAVE_CHAINS[saved.route][0].code]})
            else:
                messages.success(request, _("已存为草稿,提交后才开始审批。"))
            return redirect("meetings:leave_detail", pk=saved.pk)
    context = {
        "section": "leave",
        "form": form,
        "leave": leave,
        "routes": _routes(),
        "chosen_route": form["route"].value() or "",
        "meeting_groups": _meeting_groups(form),
        "chosen_meetings": _chosen(form, "meetings"),
        "only_self": only_self,
        "self_deputy": deputies.first() if only_self else None,
        "year_lock_notices": year_lock_notice(user=request.user),
        "no_sessions": no_sessions,
        "can_backfill": no_sessions and _term_deputies(request.user, "backfill_leave").exists(),
    }
    return render(request, "meetings/leave_form.html", context, status=400 if no_sessions and request.method == "POST" else 200)


@login_required
def leave_create_view(request: HttpRequest) -> HttpResponse:
    return _leave_form(request, None)


@login_required
def leave_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    leave = get_object_or_404(leave_request_list(user=request.user), pk=pk)
    if not allows(scope_for(request.user), "file_leave", leave.deputy):
        raise PermissionDenied(_("您无权修改这份请假申请。"))
    if leave.status != LeaveStatus.DRAFT:
        messages.error(request, _("已提交的请假申请不能修改;如需更改,请撤回后重新申请。"))
        return redirect("meetings:leave_detail", pk=leave.pk)
    return _leave_form(request, leave)


def _annotated_steps(leave: LeaveRequest) -> list:
    """The request's steps in order, each with its label, its role's name and who acted on it."""
    steps = sorted(leave.steps.all(), key=lambda s: s.order)
    for step in steps:
        step.label = STEP_LABELS.get(step.code, step.code)
        step.kind = STEP_KINDS.get(step.code, "")
        step.role_label = Role(step.role).label if step.role in Role.values else step.role
        if step.acted_by is not None:
            step.who = display_name(step.acted_by)
        elif step.acted_by_name:
            step.who = _("%(name)s(纸质记录)") % {"name": step.acted_by_name}
        else:
            step.who = ""
        if step.stood_in:
            step.who = _("%(name)s(团长本人请假,依回避原则由大会秘书处代为办理)") % {"name": step.who}
    return steps


def _detail_context(request: HttpRequest, leave: LeaveRequest, action_form: LeaveActionForm | None = None) -> dict:
    scope = scope_for(request.user)
    steps = _annotated_steps(leave)
    current = next((s for s in steps if s.status == StepStatus.WAITING), None)
    can_ask = allows(scope, "file_leave", leave.deputy)
    open_step = current is not None and allows(scope, "decide_leave_step", current)
    return {
        "section": "leave",
        "leave": leave,
        "steps": steps,
        "current": current,
        "step_labels": STEP_LABELS,
        "route_steps": route_steps(leave.route),
        "meetings": sorted(leave.meetings.all(), key=lambda m: (m.date, m.half_day, m.pk)),
        "can_act": leave.status == LeaveStatus.PENDING and open_step,
        # 备案: the request is approved; the filer records the filing (no refusal at a filing step).
        "can_file": leave.status == LeaveStatus.APPROVED and open_step and current.kind == FILING,
        "can_withdraw": can_ask and leave.status in (LeaveStatus.DRAFT, LeaveStatus.PENDING),
        "can_edit": can_ask and leave.status == LeaveStatus.DRAFT,
        "certificate_missing": leave.route == LeaveRoute.WHOLE_SESSION and not leave.certificate,
        "rejection": next((s for s in steps if s.status == StepStatus.REJECTED), None),
        "history": leave_request_history(leave=leave),
        "action_form": action_form or LeaveActionForm(),
        "year_lock_notices": year_lock_notice(deputies=[leave.deputy_id], dates=[
            leave.session.start_date, leave.session.end_date]) if can_ask or current is not None else [],
    }


@login_required
def leave_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    """One request: deputy, meetings, reason, certificate, each step (who, when, comment) and the history."""
    leave = get_object_or_404(leave_request_list(user=request.user), pk=pk)
    return render(request, "meetings/leave_detail.html", _detail_context(request, leave))


ACTIONS = {
    "approve": (services.leave_request_approve, gettext_lazy("已同意,本环节办理完毕。")),
    "file": (services.leave_request_file, gettext_lazy("已备案。请假早已批准,备案不改变请假状态。")),
    "reject": (services.leave_request_reject, gettext_lazy("已驳回,请假申请结束。")),
    "withdraw": (services.leave_request_withdraw, gettext_lazy("已撤回请假申请。")),
}


def _approved_message(leave: LeaveRequest) -> str:
    filing = FILING_STEPS[leave.route]
    if filing is None:
        return _("已批准。请假自此生效,所请会议的缺席按请假对待。")
    return _("已批准。请假自此生效;待“%(step)s”。") % {"step": filing.label}


def _next_url(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


@login_required
@require_POST
def leave_action_view(request: HttpRequest, pk: int) -> HttpResponse:
    """approve / reject (reason required) / withdraw / submit / delete, by whoever the service allows."""
    leave = get_object_or_404(leave_request_list(user=request.user), pk=pk)
    action = request.POST.get("action", "")
    detail = reverse("meetings:leave_detail", args=[leave.pk])
    form = LeaveActionForm(request.POST)
    try:
        if action in ACTIONS:
            if not form.is_valid():
                return render(request, "meetings/leave_detail.html", _detail_context(request, leave, form), status=400)
            service, done = ACTIONS[action]
            acted = service(user=request.user, leave_request=leave, comment=form.cleaned_data["comment"],
                            step=form.cleaned_data["step"])
            if action == "approve" and acted.status == LeaveStatus.APPROVED:
                done = _approved_message(acted)
        elif action == "submit":
            services.leave_request_submit(user=request.user, leave_request=leave)
            done = _("请假申请已提交,开始审批。")
        elif action == "delete":
            services.leave_request_delete(user=request.user, leave_request=leave)
            messages.success(request, _("已删除草稿。"))
            return redirect("meetings:leave_list")
        else:
            messages.error(request, _("未知的操作。"))
            return redirect(detail)
    except Conflict as exc:  # a double click or another approver first: nothing was done twice
        messages.warning(request, exc.message)
        return redirect(detail)
    except ValidationError as exc:
        if hasattr(exc, "error_dict") and "comment" in exc.error_dict:
            apply_errors(form, ValidationError({"comment": exc.error_dict["comment"]}))
            leave = get_object_or_404(leave_request_list(user=request.user), pk=pk)
            return render(request, "meetings/leave_detail.html", _detail_context(request, leave, form), status=400)
        for message in exc.messages:
            messages.error(request, message)
        return redirect(detail)
    messages.success(request, done)
    return redirect(_next_url(request, detail))


def _inbox_row(leave: LeaveRequest) -> dict:
    steps = _annotated_steps(leave)
    current = next((s for s in steps if s.status == StepStatus.WAITING), None)
    return {
        "leave": leave,
        "current": current,
        "done": [s for s in steps if s.status == StepStatus.DONE],
        "decided": next((s for s in steps if s.kind == DECIDING and s.status == StepStatus.DONE), None),
        "certificate_missing": leave.route == LeaveRoute.WHOLE_SESSION and not leave.certificate,
        "meetings": sorted(leave.meetings.all(), key=lambda m: (m.date, m.half_day, m.pk)),
        "route_steps": route_steps(leave.route),
    }


class LeaveInboxView(ScopedListView):
    """待我审批: the pending requests whose current step is the user's to act on; below them 待备案, the
    approved requests whose filing step (备案) is the user's (all of them: filing is one click each)."""

    selector = leave_inbox
    template_name = "meetings/leave_inbox.html"
    section = "leave_inbox"
    ordering = ("created_at", "id")
    denied_message = gettext_lazy("您的角色不审批请假。")

    def allowed(self, scope) -> bool:
        return allows(scope, "decide_leave_step")

    def get_extra_context(self, *, scope, filterset, page) -> dict:
        rows = [_inbox_row(leave) for leave in page.object_list]
        filings = leave_filings_waiting(user=self.request.user).order_by("session__end_date", "created_at", "id")
        return {"rows": rows, "filings": [_inbox_row(leave) for leave in filings], "step_labels": STEP_LABELS}


leave_inbox_view = LeaveInboxView.as_view()


@login_required
def leave_backfill_view(request: HttpRequest) -> HttpResponse:
    """补录: staff enter a leave of a session already held from the paper records, step by step."""
    deputies = _term_deputies(request.user, "backfill_leave")
    if not deputies.exists():
        raise PermissionDenied(_("只有大会秘书处、代表联络机构和街工委工作人员可以补录请假。"))
    notices: list[str] = []
    route = request.GET.get("route") or LeaveRoute.WHOLE_SESSION
    if route not in LeaveRoute.values:
        notices.append(_("请假类型“%(value)s”无效,已改为全程请假。") % {"value": route[:50]})
        route = LeaveRoute.WHOLE_SESSION
    sessions = _term_sessions().filter(start_date__lte=timezone.localdate())
    form = LeaveBackfillForm(
        request.POST or None, request.FILES or None, route=route,
        deputies=deputies.select_related("street_committee"), sessions=sessions,
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.leave_request_backfill(
                user=request.user, data=form.service_data(), steps=form.paper_steps(),
                status=form.cleaned_data["status"],
            )
        except ValidationError as exc:
            form.apply_service_errors(exc)
        else:
            messages.success(request, _("已补录%(deputy)s的请假(%(status)s)。") % {
                "deputy": saved.deputy.name, "status": saved.get_status_display()})
            return redirect("meetings:leave_detail", pk=saved.pk)
    context = {
        "section": "leave",
        "form": form,
        "route": route,
        "route_label": LeaveRoute(route).label,
        "routes": LeaveRoute.choices,
        "meeting_groups": _meeting_groups(form),
        "chosen_meetings": _chosen(form, "meetings"),
        "notices": notices,
        "year_lock_notices": year_lock_notice(user=request.user),
    }
    return render(request, "meetings/leave_backfill.html", context, status=400 if form.errors else 200)


@login_required
def leave_certificate_view(request: HttpRequest, pk: int) -> FileResponse:
    """Download a request's certificate: only who may see the request may read it."""
    leave = get_object_or_404(leave_request_list(user=request.user), pk=pk)
    if not leave.certificate:
        raise Http404(_("该请假申请没有上传单位请假证明。"))
    try:
        handle = leave.certificate.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("单位请假证明文件已丢失。")) from exc
    return FileResponse(handle, as_attachment=True, filename=leave.certificate.name.rsplit("/", 1)[-1])
