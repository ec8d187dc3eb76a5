"""The liaison office's page for the public duty pages' switches, and publishing an intervention."""
from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from django.utils.http import url_has_allowed_host_and_scheme

from dutyadmin.permissions import allows

from ..interventions.services import intervention_publish
from ..models import Intervention, PublicDutySettings


class PublicDutySettingsForm(forms.ModelForm):
    class Meta:
        model = PublicDutySettings
        fields = ["enabled", "show_unit", "show_position"]


def _office(request) -> None:
    if not allows(request.user, "manage_public_pages"):
        raise PermissionDenied("只有代表联络机构可以设置履职公示。")


@login_required
def public_settings_view(request):
    _office(request)
    row = PublicDutySettings.current()
    form = PublicDutySettingsForm(request.POST or None, instance=row)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "履职公示设置已保存。")
        return redirect("public_manage:settings")
    return render(request, "oversight/public/settings.html", {
        "form": form, "section": "public_settings",
        "published_count": Intervention.objects.filter(published=True).count()})


@login_required
@require_POST
def intervention_publish_view(request, pk: int):
    _office(request)
    intervention = get_object_or_404(Intervention.objects.select_related("deputy"), pk=pk)
    intervention_publish(user=request.user, intervention=intervention, published=request.POST.get("published") == "1")
    name = intervention.deputy.name
    messages.success(request, f"已在履职公示页公开{name}的这条履职处置（仅在该年度经审核后显示）。"
                     if intervention.published else f"已撤回公开{name}的这条履职处置。")
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect("oversight:intervention_list")
