"""Pages of closed-period activities: the list, one activity with its materials, the form, the
invitations, the outcomes screen; personal registration and its review; the spreadsheet import.

Reads go through the selectors (scoped), writes through the services (permission-checked,
atomic, in history). An activity the user cannot see is a 404; one they can see but not change
is a 403 (Art. 8(一): whoever organizes registers).
"""
from __future__ import annotations

import datetime as dt
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Exists, OuterRef, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from deputies.models import Delegation, StreetCommittee, Term
from deputies.selectors import current_term, deputy_list
from dutyadmin.permissions import allows
from dutyadmin.forms import apply_errors
from dutyadmin.roles import Role
from dutyadmin.scope import scope_for
from dutyadmin.list_views import ScopedListView, page_of
from dutyadmin.year_lock import year_lock_notice

from .links import activity_links  # --- opinions
from . import services
from .importing.files import MAX_UPLOAD_BYTES
from .importing.rows import MAX_PROBLEMS_KEPT
from .importing.sheet import MAX_ROWS
from .importing.template import template_workbook
from .choices import ActivityKind, ImportStatus, OrganizerLevel, Outcome, SelfRegistrationStatus
from .filtersets import ActivityFilterSet
from .forms import (
    ActivityForm,
    DeputySearchForm,
    ImportUploadForm,
    InvitationAnswerForm,
    MaterialForm,
    ParticipationFormSet,
    ReturnForm,
    SelfRegistrationForm,
    forced_street_id,
)
from .models import Activity, ActivityImport, ActivityMaterial, Participation, SelfRegistration
from .selectors import (
    activity_import_list,
    activity_list,
    invitation_counts,
    my_invitations,
    participation_list,
    self_registration_list,
    with_participation_counts,
)

FILTER_FIELDS = ("term", "kind", "organizer_level", "street_committee", "q", "date_after", "date_before")
INVITE_LIMIT = 300  # deputies listed at once on the invitation page; search narrows it
PREVIEW_ACTIVITIES = 200
PROBLEMS_SHOWN = 500


def _posted(request: HttpRequest):
    """The form data of a POST (even an empty one, so it shows its errors), else None."""
    return request.POST if request.method == "POST" else None


def _can_edit(request: HttpRequest, activity: Activity) -> bool:
    return allows(scope_for(request.user), "enter_activity", activity)


def _visible_activity(request: HttpRequest, pk: int) -> Activity:
    return get_object_or_404(activity_list(user=request.user), pk=pk)


def _editable_activity(request: HttpRequest, pk: int) -> Activity:
    activity = _visible_activity(request, pk)
    if not _can_edit(request, activity):
        raise PermissionDenied(_("这项活动由其他组织方登记,您只能查看,不能修改(谁组织、谁登记)。"))
    return activity


def _file_response(field, filename: str) -> FileResponse:
    try:
        handle = field.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404(_("文件已丢失。")) from exc
    response = FileResponse(handle, as_attachment=True, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- the list -----------------------------------------------------------------------------------


def _filter_choices(scope) -> dict:
    streets = StreetCommittee.objects.all()
    if not scope.is_district and scope.street_committee_id:
        streets = streets.filter(pk=scope.street_committee_id)
    elif not scope.is_district:
        streets = streets.none()
    return {
        "term": [(str(t.pk), t.name) for t in Term.objects.all()],
        "kind": list(ActivityKind.choices),
        "organizer_level": list(OrganizerLevel.choices),
        "street_committee": [(str(s.pk), s.name) for s in streets],
    }


class ActivityListView(ScopedListView):
    """Activities in the user's scope: search, filters (the API's filterset), 50 a page."""

    selector = activity_list
    filterset_class = ActivityFilterSet
    template_name = "activities/activity_list.html"
    section = "activities"
    default_current_term = current_term
    filter_fields = FILTER_FIELDS
    ordering = ("-date", "-id")  # Meta.ordering does not apply to a GROUP BY query
    denied_message = gettext_lazy("您的角色不能查看闭会期间活动。")

    def allowed(self, scope) -> bool:
        return allows(scope, "see_records")

    def refine(self, queryset):
        return with_participation_counts(queryset)

    def get_extra_context(self, *, scope, filterset, page) -> dict:
        return {"choices": _filter_choices(scope), "can_create": allows(scope, "import_spreadsheet")}


_staff_activity_list_view = ActivityListView.as_view()


def activity_list_view(request: HttpRequest, *args, **kwargs) -> HttpResponse:
    """The activities in scope; a deputy, who sees nobody but themself, gets their own activities instead."""
    if allows(scope_for(request.user), "see_own_records_only"):
        return redirect("activities:mine")
    return _staff_activity_list_view(request, *args, **kwargs)


# --- a deputy's own: 我的活动, 我的邀请 --------------------------------------------------------------


def _own_deputy_id(request: HttpRequest) -> int:
    scope = scope_for(request.user)
    if not allows(scope, "see_own_activities"):
        raise PermissionDenied(_("只有代表本人可以查看自己的活动和邀请。"))
    return scope.deputy_id


@login_required
def my_activities_view(request: HttpRequest) -> HttpResponse:
    """我的活动: every activity the deputy was invited to or registered, newest first, with their answer and outcome."""
    deputy_id = _own_deputy_id(request)
    mine = participation_list(user=request.user).filter(deputy_id=deputy_id).select_related(
        "activity__street_committee")
    years = sorted({d.year for d in mine.values_list("activity__date", flat=True)}, reverse=True)
    notices: list[str] = []
    raw = request.GET.get("year", "")
    year = None
    if raw == "all":
        year = "all"
    elif raw:
        year = int(raw) if raw.isdigit() and int(raw) in years else None
        if year is None:
            notices.append(_("年份“%(value)s”无效,已显示最近一年。") % {"value": raw[:20]})
    if year is None:
        year = years[0] if years else "all"
    shown = mine if year == "all" else mine.filter(activity__date__year=year)
    counts = {value: 0 for value in Outcome.values}
    for outcome in shown.values_list("outcome", flat=True):
        counts[outcome] += 1
    page = page_of(request, shown.order_by("-activity__date", "-activity_id"), notices)
    context = {
        "section": "my_activities",
        "page": page,
        "years": years,
        "year": year,
        "total": sum(counts.values()),
        "counts": [{"value": v, "label": label, "count": counts[v]} for v, label in Outcome.choices if counts[v]],
        "notices": notices,
        "today": timezone.localdate(),
        "unanswered": invitation_counts(my_invitations(deputy_id=deputy_id, today=timezone.localdate()))["unanswered"],
    }
    return render(request, "activities/my_activities.html", context)


def _invitations_page(request: HttpRequest, deputy_id: int, bound: dict | None = None, status: int = 200) -> HttpResponse:
    """我的邀请 with one answer form per invitation (bound: {participation id: the form that failed})."""
    today = timezone.localdate()
    invitations = my_invitations(deputy_id=deputy_id, today=today)
    rows = []
    shown = {p.pk for p in invitations if p.answer_state != "recorded"}
    for pk, form in (bound or {}).items():
        if pk not in shown:  # gone from the list (the day has passed) or closed: say why above it
            messages.error(request, " ".join(str(m) for errors in form.errors.values() for m in errors))
    for participation in invitations:
        form = (bound or {}).get(participation.pk) or InvitationAnswerForm(
            prefix=f"p{participation.pk}", initial={"decline_reason": participation.decline_reason})
        rows.append({"p": participation, "form": form, "open": participation.answer_state != "recorded"})
    context = {
        "section": "my_invitations",
        "rows": rows,
        "counts": invitation_counts(invitations),
        "today": today,
    }
    return render(request, "activities/my_invitations.html", context, status=status)


@login_required
def my_invitations_view(request: HttpRequest) -> HttpResponse:
    """我的邀请: invitations to activities still to come, each answered 确定参加 or 不能参加 (with a reason)."""
    return _invitations_page(request, _own_deputy_id(request))


@login_required
@require_POST
def invitation_answer_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Answer one invitation; a refusal (no reason, too late, outcome recorded) is shown next to it, nothing changed."""
    deputy_id = _own_deputy_id(request)
    participation = get_object_or_404(participation_list(user=request.user).filter(deputy_id=deputy_id), pk=pk)
    form = InvitationAnswerForm(request.POST, prefix=f"p{pk}")
    if form.is_valid():
        try:
            saved = services.invitation_answer(user=request.user, participation=participation,
                                               attend=form.cleaned_data["attend"],
                                               reason=form.cleaned_data["decline_reason"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if saved.confirmed:
                text = _("已答复:确定参加“%(title)s”。") % {"title": saved.activity.title}
            else:
                text = _("已答复:不能参加“%(title)s”,原因已转组织方,由组织方决定是否准假。") % {
                    "title": saved.activity.title}
            messages.success(request, text)
            return redirect("activities:my_invitations")  # the page's top: the message and the new counts
    return _invitations_page(request, deputy_id, bound={pk: form}, status=400)


# --- one activity -------------------------------------------------------------------------------


def _outcome_counts(participations) -> list[dict]:
    counts = {value: 0 for value in Outcome.values}
    confirmed = declined = unanswered = 0
    for p in participations:
        counts[p.outcome] += 1
        confirmed += p.confirmed
        declined += p.answer_state == "declined"
        unanswered += p.answer_state == "unanswered"
    return [{"value": v, "label": label, "count": counts[v]} for v, label in Outcome.choices] + [
        {"value": "confirmed", "label": _("应邀确定参加"), "count": confirmed},
        {"value": "declined", "label": _("答复不能参加"), "count": declined},  # asking leave: the organizer's to decide
        {"value": "unanswered", "label": _("未答复"), "count": unanswered},
    ]


def _detail_context(request: HttpRequest, activity: Activity, material_form: MaterialForm | None = None) -> dict:
    participations = list(
        participation_list(user=request.user)
        .filter(activity=activity)
        .select_related("deputy__street_committee")
        .order_by("deputy__street_committee__code", "deputy__name", "deputy_id")
    )
    can_edit = _can_edit(request, activity)
    return {
        "section": "activities",
        "activity": activity,
        "participations": participations,
        "counts": _outcome_counts(participations),
        "materials": list(activity.materials.select_related("uploaded_by")),
        "can_edit": can_edit,
        "material_form": (material_form or MaterialForm()) if can_edit else None,
        "self_registration": SelfRegistration.objects.filter(activity=activity).select_related("deputy").first(),
        # --- opinions: links upper apps register (activities/links.py), e.g. a reception's opinions
        "activity_links": activity_links(activity=activity, user=request.user),
    }


@login_required
def activity_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    """What, when, where, who organized it; materials; who was invited and how it went."""
    activity = _visible_activity(request, pk)
    return render(request, "activities/activity_detail.html", _detail_context(request, activity))


def _activity_form(request: HttpRequest, activity: Activity | None) -> HttpResponse:
    scope = scope_for(request.user)
    if activity is None and not allows(scope, "import_spreadsheet"):
        raise PermissionDenied(_("您的角色不能登记活动。"))
    form = ActivityForm(_posted(request), instance=activity, scope=scope)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.activity_save(user=request.user, activity=activity, data=form.service_data())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已保存活动“%(title)s”。") % {"title": saved.title})
            if activity is None:
                return redirect("activities:invite", pk=saved.pk)
            return redirect("activities:detail", pk=saved.pk)
    context = {"section": "activities", "form": form, "activity": activity,
               "year_lock_notices": year_lock_notice(user=request.user, term=activity.term_id if activity else None)}
    return render(request, "activities/activity_form.html", context)


@login_required
def activity_create_view(request: HttpRequest) -> HttpResponse:
    return _activity_form(request, None)


@login_required
def activity_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _activity_form(request, _editable_activity(request, pk))


@login_required
def activity_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm, then delete the activity with its participation records (kept in history)."""
    activity = _editable_activity(request, pk)
    if request.method == "POST":
        title = activity.title
        try:
            services.activity_delete(user=request.user, activity=activity)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("activities:detail", pk=pk)
        messages.success(request, _("已删除活动“%(title)s”。") % {"title": title})
        return redirect("activities:list")
    context = {"section": "activities", "activity": activity, "invited": activity.participations.count()}
    return render(request, "activities/activity_confirm_delete.html", context)


# --- materials ----------------------------------------------------------------------------------


@login_required
@require_POST
def material_upload_view(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _editable_activity(request, pk)
    form = MaterialForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            material = services.activity_material_add(user=request.user, activity=activity, upload=form.cleaned_data["file"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已上传材料“%(name)s”。") % {"name": material.name})
            return redirect("activities:detail", pk=pk)
    # Errors next to the file field, on the activity's page.
    return render(request, "activities/activity_detail.html", _detail_context(request, activity, form), status=400)


def _visible_material(request: HttpRequest, pk: int) -> ActivityMaterial:
    return get_object_or_404(
        ActivityMaterial.objects.select_related("activity").filter(activity__in=activity_list(user=request.user)),
        pk=pk,
    )


@login_required
def material_download_view(request: HttpRequest, pk: int) -> FileResponse:
    """A material, to whoever may see its activity (never served from /media/)."""
    material = _visible_material(request, pk)
    return _file_response(material.file, material.name)


@login_required
@require_POST
def material_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    material = _visible_material(request, pk)
    services.activity_material_delete(user=request.user, material=material)
    messages.success(request, _("已删除材料“%(name)s”。") % {"name": material.name})
    return redirect("activities:detail", pk=material.activity_id)


# --- invitations --------------------------------------------------------------------------------


def _invitable(request: HttpRequest, activity: Activity):
    """Deputies the user may invite to this activity: in scope, of its term, in service on its date."""
    scope = scope_for(request.user)
    deputies = deputy_list(user=request.user).filter(term_id=activity.term_id, service_start__lte=activity.date).filter(
        Q(service_end__isnull=True) | Q(service_end__gte=activity.date)
    )
    if not scope.has(Role.LIAISON_OFFICE):
        # Street staff invite their own street's deputies (enter_participation).
        deputies = deputies.filter(street_committee_id=scope.street_committee_id)
    return deputies


def _group_choices(request: HttpRequest, activity: Activity, deputies) -> list[dict]:
    """Whole streets and delegations that have invitable deputies, with how many each adds."""
    rows = deputies.order_by().values_list("street_committee_id", "street_committee__name", "delegation_id",
                                           "delegation__name")
    streets: dict[int, list] = {}
    delegations: dict[int, list] = {}
    for street_id, street_name, delegation_id, delegation_name in rows:
        streets.setdefault(street_id, [street_name, 0])[1] += 1
        if delegation_id:
            delegations.setdefault(delegation_id, [delegation_name, 0])[1] += 1
    groups = [{"value": f"street:{pk}", "label": _("%(name)s 街工委全体代表") % {"name": name}, "count": n}
              for pk, (name, n) in sorted(streets.items(), key=lambda item: item[1][0])]
    groups += [{"value": f"delegation:{pk}", "label": _("%(name)s全体代表") % {"name": name}, "count": n}
               for pk, (name, n) in sorted(delegations.items(), key=lambda item: item[1][0])]
    return groups


def _group_members(deputies, value: str) -> list[int] | None:
    kind, _sep, raw = (value or "").partition(":")
    if not raw.isdigit() or kind not in {"street", "delegation"}:
        return None
    field = "street_committee_id" if kind == "street" else "delegation_id"
    return list(deputies.filter(**{field: int(raw)}).values_list("id", flat=True))


@login_required
def activity_invite_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Invite deputies: pick some from a search, or add a whole street committee or delegation at once."""
    activity = _editable_activity(request, pk)
    deputies = _invitable(request, activity)
    invited_ids = set(activity.participations.values_list("deputy_id", flat=True))
    if request.method == "POST":
        if request.POST.get("group"):
            wanted = _group_members(deputies, request.POST["group"])
            if wanted is None:
                messages.error(request, _("请选择要整体邀请的街工委或代表团。"))
                return redirect("activities:invite", pk=pk)
        else:
            raw = request.POST.getlist("deputies")
            if not raw or not all(v.isdigit() for v in raw):
                messages.error(request, _("请先勾选要邀请的代表。"))
                return redirect(request.get_full_path())
            allowed = set(deputies.filter(pk__in=[int(v) for v in raw if len(v) < 19]).values_list("id", flat=True))
            wanted = [int(v) for v in raw if len(v) < 19 and int(v) in allowed]
            if len(wanted) < len(raw):
                messages.warning(request, _("部分代表不在您的管理范围或不在任职期间,已跳过。"))
        new = sorted(set(wanted) - invited_ids)
        if new:
            try:
                services.participation_bulk_upsert(user=request.user, activity=activity,
                                                   records=[{"deputy": d} for d in new])
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
                return redirect("activities:invite", pk=pk)
        skipped = len(set(wanted)) - len(new)
        text = _("已邀请 %(n)s 位代表。") % {"n": len(new)}
        if skipped:
            text += _("另有 %(n)s 位已在名单中。") % {"n": skipped}
        messages.success(request, text)
        return redirect("activities:invite", pk=pk)

    scope = scope_for(request.user)
    streets = StreetCommittee.objects.all()
    if forced_street_id(scope) is not None:
        streets = streets.filter(pk=scope.street_committee_id)
    delegations = Delegation.objects.filter(term_id=activity.term_id, pk__in=deputies.values("delegation_id"))
    form = DeputySearchForm(
        request.GET or None,
        streets=[(s.pk, s.name) for s in streets],
        delegations=[(d.pk, d.name) for d in delegations],
    )
    candidates = deputies.exclude(pk__in=invited_ids)
    notices: list[str] = []
    if form.is_bound and not form.is_valid():
        notices.append(_("筛选条件无效,已忽略。"))
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    for word in (filters.get("q") or "").split():
        candidates = candidates.filter(Q(name__icontains=word) | Q(unit__icontains=word) | Q(constituency__icontains=word))
    if filters.get("street_committee"):
        candidates = candidates.filter(street_committee_id=filters["street_committee"])
    if filters.get("delegation"):
        candidates = candidates.filter(delegation_id=filters["delegation"])
    shown = list(candidates[: INVITE_LIMIT + 1])
    if len(shown) > INVITE_LIMIT:
        shown = shown[:INVITE_LIMIT]
        notices.append(_("只列出前 %(n)s 位代表,请用搜索缩小范围。") % {"n": INVITE_LIMIT})
    context = {
        "section": "activities",
        "activity": activity,
        "form": form,
        "candidates": shown,
        "groups": _group_choices(request, activity, deputies.exclude(pk__in=invited_ids)),
        "invited_count": len(invited_ids),
        "notices": notices,
        "year_lock_notices": year_lock_notice(user=request.user, term=activity.term_id, dates=[activity.date]),
    }
    return render(request, "activities/activity_invite.html", context)


# --- confirmations and outcomes -----------------------------------------------------------------


@login_required
def participation_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Every invitee on one screen: confirmed, outcome, or removed; saved in one transaction."""
    activity = _editable_activity(request, pk)
    participations = list(
        participation_list(user=request.user)
        .filter(activity=activity)
        .select_related("deputy__street_committee", "deputy__delegation")
        .order_by("deputy__street_committee__code", "deputy__name", "deputy_id")
    )
    by_deputy = {p.deputy_id: p for p in participations}
    initial = [{"deputy": p.deputy_id, "confirmed": p.confirmed, "outcome": p.outcome} for p in participations]
    formset = ParticipationFormSet(_posted(request), initial=initial, prefix="p")
    if request.method == "POST" and formset.is_valid():
        records, remove, unknown = [], [], False
        for form in formset.forms:
            row = form.cleaned_data
            if not row or row["deputy"] not in by_deputy:
                unknown = True
                continue
            if row["remove"]:
                remove.append(row["deputy"])
            else:
                records.append({"deputy": row["deputy"], "confirmed": row["confirmed"], "outcome": row["outcome"]})
        if unknown:
            formset._non_form_errors = formset.error_class([_("名单已被他人修改,请刷新页面后重新填写。")])
        else:
            try:
                result = services.participation_roster_save(
                    user=request.user, activity=activity, records=records, remove=remove
                )
            except ValidationError as exc:
                _row_errors(formset, exc, records)
            else:
                changed = result["created"] + result["updated"]
                text = _("已保存参加情况(%(changed)s 人有变化)。") % {"changed": changed}
                if result["removed"]:
                    text += _("移除 %(n)s 人。") % {"n": result["removed"]}
                messages.success(request, text)
                return redirect("activities:detail", pk=pk)
    rows = []
    for form in formset.forms:
        deputy_id = form.initial.get("deputy") if not formset.is_bound else _int(form["deputy"].value())
        rows.append({"form": form, "participation": by_deputy.get(deputy_id)})
    context = {
        "section": "activities",
        "activity": activity,
        "formset": formset,
        "rows": rows,
        "outcomes": Outcome.choices,
        "year_lock_notices": year_lock_notice(user=request.user, term=activity.term_id, dates=[activity.date]),
    }
    return render(request, "activities/participation_form.html", context)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _row_errors(formset, exc: ValidationError, records: list[dict]) -> None:
    """Put a bulk service's row errors on the rows they name, the rest above the table."""
    rest = []
    forms_by_deputy = {_int(f["deputy"].value()): f for f in formset.forms}
    if hasattr(exc, "error_dict"):
        for error in exc.error_dict.get("records", []):
            params = error.params or {}
            index = params.get("index")
            if isinstance(index, int) and 0 <= index < len(records):
                form = forms_by_deputy.get(records[index]["deputy"])
                field = params.get("field") if params.get("field") in ("confirmed", "outcome") else None
                if form is not None:
                    form.add_error(field, error.message % params if params else error.message)
                    continue
            rest.extend(error.messages)
        for key, errors in exc.error_dict.items():
            if key != "records":
                rest.extend(e for err in errors for e in err.messages)
    else:
        rest.extend(exc.messages)
    formset._non_form_errors = formset.error_class(rest or [_("保存失败,请检查标出的行。")])


# --- personal registration ----------------------------------------------------------------------


class SelfRegistrationListView(ScopedListView):
    """A deputy's own registrations and how their review went."""

    template_name = "activities/self_registration_list.html"
    section = "self_registrations"
    denied_message = gettext_lazy("个人登记只对代表本人开放。")

    def allowed(self, scope) -> bool:
        return allows(scope, "self_register")

    @staticmethod
    def selector(*, user):
        return self_registration_list(user=user).filter(deputy_id=scope_for(user).deputy_id)


self_registration_list_view = SelfRegistrationListView.as_view()


def _own_registration(request: HttpRequest, pk: int) -> SelfRegistration:
    scope = scope_for(request.user)
    return get_object_or_404(self_registration_list(user=request.user).filter(deputy_id=scope.deputy_id), pk=pk)


def _self_registration_form(request: HttpRequest, registration: SelfRegistration | None) -> HttpResponse:
    scope = scope_for(request.user)
    if not allows(scope, "self_register"):
        raise PermissionDenied(_("个人登记只对代表本人开放。"))
    refusal = None if registration is None else services.self_registration_refusal(scope, registration)
    if refusal is not None:  # approved: who approved it and when; the staff change it from now on
        messages.error(request, str(refusal))
        return redirect("activities:self_detail", pk=registration.pk)
    # The deputy is known before validation, so the form checks the date against their service too.
    form = SelfRegistrationForm(_posted(request), instance=registration or SelfRegistration(deputy_id=scope.deputy_id))
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            services.self_registration_save(user=request.user, registration=registration, data=data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            text = _("已重新提交,等待街工委审核。") if registration is not None else _("已提交,等待街工委审核;审核通过后计入履职统计。")
            messages.success(request, text)
            return redirect("activities:self_list")
    context = {"section": "self_registrations", "form": form, "registration": registration,
               "year_lock_notices": year_lock_notice(user=request.user)}
    return render(request, "activities/self_registration_form.html", context)


@login_required
def self_registration_create_view(request: HttpRequest) -> HttpResponse:
    return _self_registration_form(request, None)


@login_required
def self_registration_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    if not allows(request.user, "self_register"):
        raise PermissionDenied(_("个人登记只对代表本人开放。"))
    return _self_registration_form(request, _own_registration(request, pk))


def _duplicates_q():
    """Is the deputy already recorded at an activity of the same kind on the same day? (shown while pending)"""
    return Exists(
        Participation.objects.filter(
            deputy_id=OuterRef("deputy_id"), activity__kind=OuterRef("kind"), activity__date=OuterRef("date")
        )
    )


@login_required
def self_registration_detail_view(request: HttpRequest, pk: int, *, return_form: ReturnForm | None = None,
                                  status: int = 200) -> HttpResponse:
    """One registration: what the deputy reported, its review, and (for the staff) approve or return."""
    registration = get_object_or_404(
        self_registration_list(user=request.user).annotate(possible_duplicate=_duplicates_q()), pk=pk
    )
    scope = scope_for(request.user)
    can_review = (
        allows(scope, "review_self_registration", registration.deputy)
        and registration.status == SelfRegistrationStatus.PENDING
    )
    context = {
        "section": "reviews" if allows(scope, "review_self_registration") else "self_registrations",
        "registration": registration,
        "can_review": can_review,
        "is_own": scope.deputy_id == registration.deputy_id,
        "return_form": return_form or (ReturnForm() if can_review else None),
        "year_lock_notices": year_lock_notice(deputies=[registration.deputy_id], dates=[registration.date])
        if can_review else [],
        "history": list(registration.history.select_related("history_user").order_by("-history_date")[:20]),
    }
    return render(request, "activities/self_registration_detail.html", context, status=status)


@login_required
def review_list_view(request: HttpRequest) -> HttpResponse:
    """The street staff's queue: pending personal registrations first, then recent decisions."""
    scope = scope_for(request.user)
    if not allows(scope, "review_self_registration"):
        raise PermissionDenied(_("只有街工委工作人员和代表联络机构可以审核个人登记。"))
    status = request.GET.get("status") or SelfRegistrationStatus.PENDING
    notices: list[str] = []
    if status not in SelfRegistrationStatus.values:
        notices.append(_("状态“%(value)s”无效,已显示待审核的登记。") % {"value": status[:20]})
        status = SelfRegistrationStatus.PENDING
    registrations = self_registration_list(user=request.user)
    if not scope.has(Role.LIAISON_OFFICE):
        registrations = registrations.filter(deputy__street_committee_id=scope.street_committee_id)
    counts = dict(registrations.order_by().values_list("status").annotate(n=Count("id")))
    shown = registrations.filter(status=status).annotate(possible_duplicate=_duplicates_q())
    shown = shown.order_by("submitted_at", "id") if status == SelfRegistrationStatus.PENDING else shown.order_by(
        "-reviewed_at", "-id")
    page = page_of(request, shown, notices)
    context = {
        "section": "reviews",
        "page": page,
        "notices": notices,
        "status": status,
        "tabs": [{"value": v, "label": label, "count": counts.get(v, 0)} for v, label in SelfRegistrationStatus.choices],
    }
    return render(request, "activities/review_list.html", context)


def _reviewable(request: HttpRequest, pk: int) -> SelfRegistration:
    registration = get_object_or_404(self_registration_list(user=request.user), pk=pk)
    if not allows(request.user, "review_self_registration", registration.deputy):
        raise PermissionDenied(_("只有该代表所在街工委的工作人员可以审核这条登记。"))
    return registration


@login_required
@require_POST
def self_registration_approve_view(request: HttpRequest, pk: int) -> HttpResponse:
    registration = _reviewable(request, pk)
    try:
        services.self_registration_approve(user=request.user, registration=registration)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("activities:self_detail", pk=pk)
    messages.success(
        request, _("已通过 %(name)s 的登记“%(title)s”,已计入履职统计。") % {"name": registration.deputy.name,
                                                                 "title": registration.title}
    )
    return redirect("activities:review_list")


@login_required
@require_POST
def self_registration_return_view(request: HttpRequest, pk: int) -> HttpResponse:
    registration = _reviewable(request, pk)
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            services.self_registration_return(
                user=request.user, registration=registration, reason=form.cleaned_data["return_reason"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已退回 %(name)s 的登记,代表修改后可重新提交。") % {"name": registration.deputy.name})
            return redirect("activities:review_list")
    return self_registration_detail_view(request, pk, return_form=form, status=400)


# --- spreadsheet import -------------------------------------------------------------------------


@login_required
def import_list_view(request: HttpRequest) -> HttpResponse:
    """Upload a filled template; earlier imports below."""
    scope = scope_for(request.user)
    if not allows(scope, "import_spreadsheet"):
        raise PermissionDenied(_("只有街工委工作人员和代表联络机构可以导入活动表格。"))
    form = ImportUploadForm(request.POST, request.FILES) if request.method == "POST" else ImportUploadForm()
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                record = services.activity_import_upload(user=request.user, upload=form.cleaned_data["file"])
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                return redirect("activities:import_detail", pk=record.pk)
        status = 400
    notices: list[str] = []
    page = page_of(request, activity_import_list(user=request.user), notices, per_page=20)
    context = {
        "section": "imports",
        "form": form,
        "page": page,
        "notices": notices,
        "max_rows": MAX_ROWS,
        "max_mb": MAX_UPLOAD_BYTES // 1024 // 1024,
        "year_lock_notices": year_lock_notice(user=request.user),
    }
    return render(request, "activities/import_list.html", context, status=status)


@login_required
def import_template_view(request: HttpRequest) -> HttpResponse:
    """The .xlsx template, with drop-down lists, an example row and instructions."""
    if not allows(request.user, "import_spreadsheet"):
        raise PermissionDenied(_("只有街工委工作人员和代表联络机构可以导入活动表格。"))
    content = template_workbook(user=request.user)
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    filename = "活动登记导入模板.xlsx"
    response["Content-Disposition"] = f"attachment; filename=\"activity-import.xlsx\"; filename*=UTF-8''{quote(filename)}"
    return response


def _visible_import(request: HttpRequest, pk: int) -> ActivityImport:
    if not allows(request.user, "import_spreadsheet"):
        raise PermissionDenied(_("只有街工委工作人员和代表联络机构可以导入活动表格。"))
    return get_object_or_404(activity_import_list(user=request.user), pk=pk)


@login_required
def import_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The preview: every problem by row and column, or what will be created, then confirm."""
    record = _visible_import(request, pk)
    problems = record.errors or []
    summary = record.summary or []
    kinds = dict(ActivityKind.choices)
    context = {
        "section": "imports",
        "record": record,
        "problems": problems[:PROBLEMS_SHOWN],
        "problems_total": len(problems),
        "problems_capped": len(problems) >= MAX_PROBLEMS_KEPT,
        "problem_rows": len({p.get("row") for p in problems}),
        "activities": [
            {**a, "kind_label": kinds.get(a["kind"], a["kind"]), "date": dt.date.fromisoformat(a["date"])}
            for a in summary[:PREVIEW_ACTIVITIES]
        ] if record.status == ImportStatus.READY else [],
        "activities_more": max(len(summary) - PREVIEW_ACTIVITIES, 0),
        "can_confirm": record.status == ImportStatus.READY and record.user_id == request.user.pk,
        "created": list(record.activities.order_by("date", "id")[:PREVIEW_ACTIVITIES])
        if record.status == ImportStatus.IMPORTED else [],
    }
    return render(request, "activities/import_detail.html", context)


@login_required
@require_POST
def import_confirm_view(request: HttpRequest, pk: int) -> HttpResponse:
    record = _visible_import(request, pk)
    try:
        record = services.activity_import_confirm(user=request.user, activity_import=record)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("activities:import_detail", pk=pk)
    if record.status == ImportStatus.IMPORTED:
        messages.success(
            request,
            _("导入完成:%(activities)s 项活动,%(participations)s 条参加记录。")
            % {"activities": record.activity_count, "participations": record.participation_count},
        )
    else:
        messages.error(request, _("数据在预览后发生了变化,重新检查发现问题,未导入任何记录。请按下面的提示修改后重新上传。"))
    return redirect("activities:import_detail", pk=pk)


@login_required
def import_file_view(request: HttpRequest, pk: int) -> FileResponse:
    """The spreadsheet as it was uploaded."""
    record = _visible_import(request, pk)
    return _file_response(record.file, record.original_name)
