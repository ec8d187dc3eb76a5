"""Pages of contributions: the list, the staff form, a deputy's own entry, and the review queue where
staff confirm a deputy's entry or return it with a reason. Sessions, attendance and bulletins are in
session_views, leave in leave_views."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import HiddenInput
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from deputies.selectors import deputy_list, editable_deputies
from dutyadmin.forms import apply_errors
from dutyadmin.scope import scope_for
from dutyadmin.list_views import RecordListView, page_of
from dutyadmin.permissions import allows
from dutyadmin.year_lock import year_lock_notice

from .filtersets import ContributionFilterSet
from .forms import ContributionForm, ReturnForm
from .models import Contribution
from .selectors import contribution_list, contribution_review_list
from .owners import OWNED_CONTRIBUTION_MESSAGE, contributions_owned
from .services import (
    contribution_confirm,
    contribution_editable,
    contribution_refusal,
    contribution_return,
    contribution_save,
)


class ContributionListView(RecordListView):
    """Contributions of the deputies in scope, newest first, 50 a page.

    The API's FilterSet, so a query string filters the page and /api/v1/contributions/ alike.
    """

    selector = contribution_list
    filterset_class = ContributionFilterSet
    template_name = "meetings/contribution_list.html"
    section = "contributions"
    deputies = deputy_list
    denied_message = gettext_lazy("您的角色不能查看审议意见和建议。")

    def get_extra_context(self, *, scope, filterset, page) -> dict:
        owned = contributions_owned(c.pk for c in page.object_list)
        for c in page.object_list:
            c.may_edit = contribution_editable(scope, c, owned=owned)
        return {
            "can_create": allows(scope, "enter_contribution"),
            "waiting": contribution_review_list(user=self.request.user).count() if allows(scope, "enter_contribution") else 0,
        }


contribution_list_view = ContributionListView.as_view()


def _contribution_form(request: HttpRequest, contribution: Contribution | None, *, own: bool = False) -> HttpResponse:
    """Staff record (and so confirm) contributions of the deputies in their scope; with own, a deputy
    records or corrects their own entry, which waits for staff to confirm it."""
    scope = scope_for(request.user)
    if contribution is not None and contributions_owned([contribution.pk]):
        raise PermissionDenied(OWNED_CONTRIBUTION_MESSAGE)
    if own:
        if not allows(scope, "self_register"):
            raise PermissionDenied(_("只有代表本人可以登记自己的审议意见和建议。"))
        if contribution is not None and not contribution_editable(scope, contribution):
            raise contribution_refusal(scope, contribution) or PermissionDenied(_("已确认的记录只能由工作人员修改。"))
        deputies = deputy_list(user=request.user).filter(pk=scope.deputy_id)
    else:
        if not allows(scope, "enter_contribution"):
            raise PermissionDenied(_("您的角色不能登记审议意见和建议。"))
        if contribution is not None and not allows(scope, "enter_contribution", contribution.deputy):
            raise PermissionDenied(_("您无权修改这位代表的记录。"))
        deputies = editable_deputies(user=request.user, act="enter_contribution")
    initial = {}
    if own and contribution is None:
        initial["deputy"] = deputies.first()
    elif contribution is None and (wanted := request.GET.get("deputy", "")).isdigit() and len(wanted) < 19:
        initial["deputy"] = deputies.filter(pk=int(wanted)).first()
    form = ContributionForm(request.POST or None, instance=contribution, deputies=deputies, initial=initial)
    if own:
        form.fields["deputy"].widget = HiddenInput()  # only themself: named in the page head
    if request.method == "POST" and form.is_valid():
        try:
            saved = contribution_save(user=request.user, contribution=form.instance)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if own:
                messages.success(request, _("已提交“%(title)s”,等待工作人员确认;确认后计入履职记录。") % {
                    "title": saved.title})
                return redirect("meetings:contribution_list")
            messages.success(request, _("已保存“%(title)s”。") % {"title": saved.title})
            return redirect("deputies:detail", pk=saved.deputy_id)
    context = {"section": "contributions", "form": form, "contribution": contribution, "own": own,
               "self_deputy": deputies.first() if own else None,
               "year_lock_notices": year_lock_notice(user=request.user)}
    return render(request, "meetings/contribution_form.html", context)


@login_required
def contribution_create_view(request: HttpRequest) -> HttpResponse:
    return _contribution_form(request, None)


@login_required
def contribution_self_create_view(request: HttpRequest) -> HttpResponse:
    """A deputy records their own contribution (unconfirmed until staff confirm it)."""
    return _contribution_form(request, None, own=True)


@login_required
def contribution_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    contribution = get_object_or_404(contribution_list(user=request.user), pk=pk)
    scope = scope_for(request.user)
    own = not allows(scope, "enter_contribution", contribution.deputy) and allows(scope, "self_register", contribution)
    return _contribution_form(request, contribution, own=own)


# --- review: staff confirm a deputy's own entries or return them ------------------------------------


def _review_page(request: HttpRequest, *, errors: dict | None = None, forms: dict | None = None,
                 status: int = 200) -> HttpResponse:
    scope = scope_for(request.user)
    if not allows(scope, "enter_contribution"):
        raise PermissionDenied(_("您的角色不能确认审议意见和建议。"))
    notices: list[str] = []
    waiting = contribution_review_list(user=request.user)
    page = page_of(request, waiting, notices)
    forms = forms or {}
    for c in page.object_list:
        c.return_form = forms.get(c.pk) or ReturnForm(auto_id=f"id_return_{c.pk}_%s")
        c.error = (errors or {}).get(c.pk)
    context = {"section": "contribution_review", "page": page, "notices": notices,
               "year_lock_notices": year_lock_notice(user=request.user, dates=[c.date for c in page.object_list])}
    return render(request, "meetings/contribution_review.html", context, status=status)


@login_required
def contribution_review_view(request: HttpRequest) -> HttpResponse:
    """The deputies' own entries that wait for staff: confirm, or return with a reason."""
    return _review_page(request)


@login_required
@require_POST
def contribution_confirm_view(request: HttpRequest, pk: int) -> HttpResponse:
    contribution = get_object_or_404(contribution_list(user=request.user), pk=pk)
    try:
        contribution_confirm(user=request.user, contribution=contribution)
    except ValidationError as exc:
        messages.error(request, "".join(exc.messages))
    else:
        messages.success(request, _("已确认“%(title)s”,计入%(name)s的履职记录。") % {
            "title": contribution.title, "name": contribution.deputy.name})
    return redirect("meetings:contribution_review")


@login_required
@require_POST
def contribution_return_view(request: HttpRequest, pk: int) -> HttpResponse:
    contribution = get_object_or_404(contribution_list(user=request.user), pk=pk)
    form = ReturnForm(request.POST, auto_id=f"id_return_{pk}_%s")
    if not form.is_valid():
        return _review_page(request, forms={pk: form}, status=400)
    try:
        contribution_return(user=request.user, contribution=contribution, comment=form.cleaned_data["comment"])
    except ValidationError as exc:
        if hasattr(exc, "error_dict") and "comment" in exc.error_dict:
            apply_errors(form, ValidationError({"comment": exc.error_dict["comment"]}))
            return _review_page(request, forms={pk: form}, status=400)
        messages.error(request, "".join(exc.messages))
    else:
        messages.success(request, _("已退回“%(title)s”,代表修改后可重新提交。") % {"title": contribution.title})
    return redirect("meetings:contribution_review")
