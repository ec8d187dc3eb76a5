"""Pages of constituents' opinions (namespace `opinions`, under /opinions/): the list, one opinion with its
steps, the opinions of one station reception (recorded there, several per reception), the statistics."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.views.decorators.http import require_POST

from activities.choices import ActivityKind
from activities.selectors import activity_list
from deputies.models import Deputy, StreetCommittee
from deputies.selectors import current_term, deputy_list
from dutyadmin.forms import apply_errors
from dutyadmin.list_views import ScopedListView
from dutyadmin.permissions import allows
from dutyadmin.roles import Role
from dutyadmin.scope import Scope, scope_for

from . import selectors, services
from .filtersets import OpinionFilterSet
from .forms import CloseForm, ForwardForm, OpinionEditForm, OpinionRecordForm, OpinionVisitForm, ReplyForm
from .models import Opinion


class OpinionListView(ScopedListView):
    selector = selectors.opinion_list
    filterset_class = OpinionFilterSet
    template_name = "oversight/opinions/list.html"
    section = "opinions"
    exporter = "opinions"
    ordering = ("-received_on", "-id")
    denied_message = "您无权查看群众意见。"

    def allowed(self, scope: Scope) -> bool:
        return allows(scope, "see_opinions")

    def get_extra_context(self, *, scope, filterset, page) -> dict:
        today = timezone.localdate()
        for o in page.object_list:
            o.is_overdue = o.overdue_on(today)
        return {"today": today, "shown_fields": [filterset.form[n] for n in
                ("q", "status", "street_committee", "overdue", "due_soon", "unforwarded")],
                "can_record": allows(scope, "record_opinion")}  # --- gaps14b: the visit form's button


opinion_list_view = OpinionListView.as_view()


def _opinion(request: HttpRequest, pk: int) -> Opinion:
    try:
        return selectors.opinion_detail(user=request.user, pk=pk)
    except Opinion.DoesNotExist as exc:
        raise Http404("这条群众意见不存在，或不在您的管理范围内。") from exc


def _detail(request: HttpRequest, opinion: Opinion, *, forms: dict | None = None, status: int = 200) -> HttpResponse:
    forms = forms or {}
    user = request.user
    context = {
        "section": "opinions", "opinion": opinion, "today": timezone.localdate(),
        "overdue": opinion.overdue,
        "phone": selectors.opinion_phone_for(user=user, opinion=opinion, via="detail_page"),
        "phone_unmasked": allows(user, "see_citizen_phone", opinion),
        "phone_reads": list(selectors.phone_reads(opinion=opinion)[:20]) if allows(user, "see_citizen_phone", opinion) else [],
        "forward_form": forms.get("forward") or (ForwardForm() if opinion.status == "received"
                                                  and allows(user, "forward_opinion", opinion) else None),
        "reply_form": forms.get("reply") or (ReplyForm() if opinion.status == "forwarded"
                                              and allows(user, "reply_opinion", opinion) else None),
        "close_form": forms.get("close") or (CloseForm() if opinion.status == "replied"
                                              and allows(user, "close_opinion", opinion) else None),
        # --- gaps14b: correct until closed, delete while not forwarded
        "can_edit": opinion.status != "closed" and allows(user, "edit_opinion", opinion),
        "can_delete": opinion.status == "received" and allows(user, "edit_opinion", opinion),
    }
    return render(request, "oversight/opinions/detail.html", context, status=status)


@login_required
def opinion_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _opinion(request, pk))


def _step_view(name, form_class, run):
    @login_required
    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        opinion = _opinion(request, pk)
        form = form_class(request.POST)
        if form.is_valid():
            try:
                run(request.user, opinion, form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "已保存。")
                return redirect("opinions:detail", pk=opinion.pk)
        return _detail(request, opinion, forms={name: form}, status=400)
    return view


opinion_forward_view = _step_view("forward", ForwardForm, lambda user, o, d: services.opinion_forward(
    user=user, opinion=o, unit=d["unit"], date=d["date"]))
opinion_reply_view = _step_view("reply", ReplyForm, lambda user, o, d: services.opinion_reply(
    user=user, opinion=o, date=d["date"], text=d["text"]))
opinion_close_view = _step_view("close", CloseForm, lambda user, o, d: services.opinion_close(
    user=user, opinion=o, date=d["date"], note=d["note"]))


@login_required
def reception_opinions_view(request: HttpRequest, activity: int) -> HttpResponse:
    """One station reception's opinions, and a form to record another (several per reception)."""
    reception = get_object_or_404(activity_list(user=request.user), pk=activity)
    if reception.kind != ActivityKind.STATION_RECEPTION:
        raise Http404("这项活动不是代表之家、联络站接待群众活动。")
    if not allows(request.user, "see_opinions"):
        raise PermissionDenied("您无权查看群众意见。")
    can_record = reception.street_committee_id is not None and allows(request.user, "record_opinion",
                                                                       reception.street_committee_id)
    deputies = Deputy.objects.filter(participations__activity=reception).order_by("name").distinct()
    form = OpinionRecordForm(request.POST or None, deputies=deputies) if can_record else None
    status = 200
    if request.method == "POST":
        if not can_record:
            raise PermissionDenied("只有本街道工委的工作人员或代表联络机构可以登记这次接待的群众意见。")
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.opinion_record(user=request.user, reception=reception, content=d["content"],
                                        deputies=d["deputies"], citizen_name=d["citizen_name"],
                                        citizen_phone=d["citizen_phone"])
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "已登记一条群众意见，可以继续登记下一条。")
                return redirect("opinions:reception", activity=reception.pk)
        status = 400
    opinions = list(selectors.opinion_list(user=request.user).filter(reception=reception).order_by("id"))
    today = timezone.localdate()
    for o in opinions:
        o.is_overdue = o.overdue_on(today)
    return render(request, "oversight/opinions/reception.html", {
        "section": "opinions", "reception": reception, "opinions": opinions, "form": form,
        "deputies": deputies if can_record else [],
    }, status=status)


@login_required
def statistics_view(request: HttpRequest) -> HttpResponse:
    if not allows(request.user, "see_opinion_statistics"):
        raise PermissionDenied("您无权查看群众意见统计。")
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        year = today.year
    stats = selectors.opinion_statistics(user=request.user, today=today, year=year)
    return render(request, "oversight/opinions/statistics.html", {
        "section": "opinion_statistics", "stats": stats, "year": year, "today": today,
        "years": list(range(today.year, today.year - 6, -1)),
    })


# --- gaps14b: an opinion taken at a visit; correcting and deleting an opinion ------------------------------


def _visit_streets(user):
    """The streets the user records opinions for: every one for the liaison office, else their own."""
    scope = scope_for(user)
    streets = StreetCommittee.objects.order_by("code", "name")
    return streets if scope.has(Role.LIAISON_OFFICE) else streets.filter(pk=scope.street_committee_id or 0)


def _deputy_choices(user, *, also=()) -> QuerySet:
    """The deputies of the current term the user sees (and any already named on the opinion), by name."""
    term = current_term()
    seen = deputy_list(user=user).filter(term=term) if term else Deputy.objects.none()
    return (Deputy.objects.filter(Q(pk__in=seen.values("pk")) | Q(pk__in=[d.pk for d in also]))
            .select_related("street_committee").order_by("name", "id"))


@login_required
def opinion_visit_view(request: HttpRequest) -> HttpResponse:
    """登记走访等途径收集的群众意见 (no station reception): the street's staff or the liaison office."""
    if not allows(request.user, "record_opinion"):
        raise PermissionDenied("只有街道工委的工作人员或代表联络机构可以登记群众意见。")
    form = OpinionVisitForm(request.POST or None, streets=_visit_streets(request.user),
                            deputies=_deputy_choices(request.user))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                opinion = services.opinion_record(
                    user=request.user, street_committee=d["street_committee"], received_on=d["received_on"],
                    content=d["content"], deputies=d["deputies"], citizen_name=d["citizen_name"],
                    citizen_phone=d["citizen_phone"])
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "已登记这条群众意见；可以在下面转办。")
                return redirect("opinions:detail", pk=opinion.pk)
        status = 400
    return render(request, "oversight/opinions/visit.html", {"section": "opinions", "form": form}, status=status)


@login_required
def opinion_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    """修改 an opinion until it is closed (反馈办结)."""
    opinion = _opinion(request, pk)
    if not allows(request.user, "edit_opinion", opinion):
        raise PermissionDenied("只有本街道工委的工作人员或代表联络机构可以修改这条群众意见。")
    if opinion.status == "closed":
        messages.error(request, "这条意见已反馈办结，不能再修改。")
        return redirect("opinions:detail", pk=opinion.pk)
    current = list(opinion.deputies.all())
    if opinion.reception_id:
        choices = (Deputy.objects.filter(Q(participations__activity=opinion.reception_id) | Q(pk__in=[d.pk for d in current]))
                   .select_related("street_committee").order_by("name", "id").distinct())
    else:
        choices = _deputy_choices(request.user, also=current)
    initial = {"received_on": opinion.received_on, "deputies": [d.pk for d in current], "content": opinion.content,
               "citizen_name": opinion.citizen_name}
    form = OpinionEditForm(request.POST or None, initial=initial, opinion=opinion, streets=StreetCommittee.objects.none(),
                           deputies=choices)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.opinion_update(user=request.user, opinion=opinion, content=d["content"],
                                        received_on=d["received_on"], deputies=d["deputies"],
                                        citizen_name=d["citizen_name"], citizen_phone=d["citizen_phone"])
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "已保存修改。")
                return redirect("opinions:detail", pk=opinion.pk)
        status = 400
    return render(request, "oversight/opinions/edit.html", {"section": "opinions", "form": form, "opinion": opinion},
                  status=status)


@login_required
def opinion_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    """删除 an opinion recorded by mistake, while it is not forwarded: GET asks, POST deletes."""
    opinion = _opinion(request, pk)
    if not allows(request.user, "edit_opinion", opinion):
        raise PermissionDenied("只有本街道工委的工作人员或代表联络机构可以删除这条群众意见。")
    error = "" if opinion.status == "received" else f"这条意见{opinion.get_status_display()}，只有尚未转办的意见可以删除。"
    if request.method == "POST" and not error:
        try:
            services.opinion_delete(user=request.user, opinion=opinion)
        except ValidationError as exc:
            error = "；".join(m for ms in exc.message_dict.values() for m in ms)
        else:
            messages.success(request, "已删除这条群众意见（删除前的内容保留在变更历史中）。")
            if opinion.reception_id:
                return redirect("opinions:reception", activity=opinion.reception_id)
            return redirect("opinions:list")
    return render(request, "oversight/opinions/delete.html", {"section": "opinions", "opinion": opinion,
                                                             "error": error}, status=400 if error else 200)
