"""A10.6 pages (app namespace `receptions`, under /receptions/): 主任会议成员接待代表 of a year against 7 with the
streets that have not recommended a deputy (the liaison office: every street; a street committee: its own), and one
reception's recommendations with the form to recommend, change or withdraw a street's deputy."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from activities.models import Activity
from deputies.models import Deputy, StreetCommittee
from deputies.selectors import current_term_or_404
from dutyadmin.dates import chinese_date
from dutyadmin.forms import apply_errors
from dutyadmin.permissions import allows
from dutyadmin.scope import scope_for
from oversight.rules.receptions import DIRECTOR_RECEPTIONS_PER_YEAR

from . import selectors, services
from .forms import RecommendationForm
from .models import ReceptionRecommendation


@login_required
def year_view(request: HttpRequest) -> HttpResponse:
    """The year's receptions against 7, each with the streets' recommended deputies and the streets missing."""
    if not allows(request.user, "see_receptions"):
        raise PermissionDenied(_("您无权查看主任会议成员接待代表活动。"))
    term = current_term_or_404()
    today = timezone.localdate()
    years = selectors.term_years(term)
    default = min(max(today.year, years[0]), years[-1])
    raw, status, notice = request.GET.get("year"), 200, ""
    year = default
    if raw:
        try:
            year = int(raw)
        except ValueError:
            year = None
        if year not in years:
            notice = _("年度“%(raw)s”不在本届（%(first)d—%(last)d年）内，已显示%(year)d年。") % {
                "raw": raw, "first": years[0], "last": years[-1], "year": default}
            year, status = default, 400
    page = selectors.reception_year_page(user=request.user, term=term, year=year, as_of=today)
    scope = scope_for(request.user)
    return render(request, "oversight/receptions/year.html", {
        "section": "receptions", "term": term, "page": page, "year": year, "years": years, "notice": notice,
        "per_year": DIRECTOR_RECEPTIONS_PER_YEAR, "today": today, "district": scope.is_district,
        "can_recommend": allows(request.user, "recommend_reception_deputy"),
        "can_arrange": allows(request.user, "manage_receptions"),
        "missing_total": sum(len(r.missing) for r in page.rows if r.reception.date >= today),
    }, status=status)


def _reception_or_404(pk: int) -> Activity:
    reception = get_object_or_404(Activity.objects.select_related("term"), pk=pk)
    if reception.kind != "director_reception":
        raise Http404(_("这项活动不是主任会议成员接待代表活动。"))
    return reception


@login_required
def reception_view(request: HttpRequest, activity: int) -> HttpResponse:
    """One reception: each street's recommended deputy (in the user's view) and the form to recommend one."""
    if not allows(request.user, "see_receptions"):
        raise PermissionDenied(_("您无权查看主任会议成员接待代表活动。"))
    reception = _reception_or_404(activity)
    # The streets the user may recommend for (their own; every street for the liaison office), by the one predicate.
    streets = StreetCommittee.objects.filter(pk__in=[
        s.pk for s in StreetCommittee.objects.all() if allows(request.user, "recommend_reception_deputy", s)])
    can_recommend = streets.exists()
    deputies = Deputy.objects.filter(term=reception.term, street_committee__in=streets)
    form, status = None, 200
    if can_recommend:
        form = RecommendationForm(request.POST or None, streets=streets, deputies=deputies)
    if request.method == "POST":
        if form is None:
            raise PermissionDenied(_("只有本街工委的工作人员或代表联络机构可以推荐代表。"))
        if form.is_valid():
            d = form.cleaned_data
            try:
                rec = services.recommendation_set(user=request.user, reception=reception,
                                                  street_committee=d["street_committee"], deputy=d["deputy"],
                                                  note=d["note"], current=d["current"])
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("已记录%(street)s推荐%(deputy)s参加%(date)s的接待活动。") % {
                    "street": rec.street_committee.name, "deputy": rec.deputy.name,
                    "date": chinese_date(reception.date)})
                return redirect("receptions:reception", activity=reception.pk)
        status = 400
    row = selectors.reception_row(user=request.user, reception=reception)
    mine = {r.street_committee_id: r for r in row.recommendations}
    if form is not None and not form.is_bound and streets.count() == 1:
        own = mine.get(streets.first().pk)
        form.initial.update({"current": own.pk if own else 0, "deputy": own.deputy_id if own else None,
                             "note": own.note if own else ""})
    elif form is not None and not form.is_bound:
        form.initial["current"] = None  # the office picks a street: no single "seen" state
    return render(request, "oversight/receptions/reception.html", {
        "section": "receptions", "reception": reception, "row": row, "form": form,
        "own": mine.get(streets.first().pk) if streets.count() == 1 else None,
        "can_recommend": can_recommend,
    }, status=status)


@login_required
@require_POST
def withdraw_view(request: HttpRequest, pk: int) -> HttpResponse:
    rec = get_object_or_404(selectors.recommendation_list(user=request.user), pk=pk)
    try:
        services.recommendation_withdraw(user=request.user, recommendation=rec)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("已撤回%(street)s对%(deputy)s的推荐。") % {
            "street": rec.street_committee.name, "deputy": rec.deputy.name})
    return redirect("receptions:reception", activity=rec.reception_id)


__all__ = ["ReceptionRecommendation", "reception_view", "withdraw_view", "year_view"]
