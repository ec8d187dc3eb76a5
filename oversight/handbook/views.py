"""Pages of the duty handbook (履职手册): one deputy's year on screen (printable on A4) and as a PDF.

A deputy sees their own; staff see the deputies in their scope; anyone else gets a 404 (the deputy is
looked up through the scoped selector). A bad ?year= is an error next to the year field, never a crash.
"""
from __future__ import annotations

from urllib.parse import quote, urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from deputies.selectors import deputy_list
from dutyadmin.scope import scope_for
from dutyadmin.permissions import allows

from ..models import YearReviewEntry
from ..review.deadlines import deadline_for
from .build import handbook_build, read_year
from .pdf import handbook_pdf, pdf_font_source
from .selectors import handbook_year_bounds


def _deputy(request: HttpRequest, pk: int):
    return get_object_or_404(deputy_list(user=request.user), pk=pk)


@login_required
def my_handbook_view(request: HttpRequest) -> HttpResponse:
    """A deputy's own handbook."""
    scope = scope_for(request.user)
    if scope.deputy_id is None:
        raise Http404(_("您的账号没有关联代表。"))
    response = redirect("oversight:handbook", pk=scope.deputy_id)
    if request.GET.get("year"):
        response["Location"] += f"?{urlencode({'year': request.GET['year'][:20]})}"
    return response


@login_required
def handbook_view(request: HttpRequest, pk: int) -> HttpResponse:
    """One deputy's handbook of a year: progress of every threshold, then the records as the regulation groups them."""
    deputy = _deputy(request, pk)
    today = timezone.localdate()
    year, form = read_year(request.GET, deputy.term, today)
    handbook = handbook_build(deputy=deputy, year=year, today=today)
    first, last = handbook_year_bounds(deputy.term)
    scope = scope_for(request.user)
    entry = (YearReviewEntry.objects.filter(deputy=deputy, review__year=year, review__term=deputy.term)
             .select_related("review").first())
    deadline, _set = deadline_for(deputy.term, year)
    context = {
        "section": "handbook" if scope.deputy_id == deputy.pk else "deputies",
        "deputy": deputy,
        "hb": handbook,
        "form": form,
        "years": list(range(first, last + 1)),
        "year": year,
        "is_self": scope.deputy_id == deputy.pk,
        "sees_list": allows(scope, "see_deputy_list"),
        "entry": entry,
        "deadline": deadline,
        "printed_on": today,
        "pdf_font": pdf_font_source(),
    }
    return render(request, "oversight/handbook.html", context, status=400 if form.errors else 200)


@login_required
def handbook_pdf_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The same handbook as an A4 PDF with Chinese glyphs (to file, print or send)."""
    deputy = _deputy(request, pk)
    today = timezone.localdate()
    year, form = read_year(request.GET, deputy.term, today)
    if form.errors:
        handbook = handbook_build(deputy=deputy, year=year, today=today)
        first, last = handbook_year_bounds(deputy.term)
        context = {"section": "deputies", "deputy": deputy, "hb": handbook, "form": form,
                   "years": list(range(first, last + 1)), "year": year, "printed_on": today,
                   "is_self": scope_for(request.user).deputy_id == deputy.pk}
        return render(request, "oversight/handbook.html", context, status=400)
    handbook = handbook_build(deputy=deputy, year=year, today=today)
    content = handbook_pdf(handbook, printed_on=today)
    response = HttpResponse(content, content_type="application/pdf")
    filename = f"{deputy.name}-{year}年度履职手册.pdf"
    response["Content-Disposition"] = f"inline; filename=\"handbook-{deputy.pk}-{year}.pdf\"; filename*=UTF-8''{quote(filename)}"
    return response
