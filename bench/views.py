"""Benchmark-only views (bench/pages.py): a bare ListView of the deputy list's rows, to measure the real list
against. Served only when DUTYADMIN_BENCH_VIEWS=1 (dutyadmin/urls.py); never part of the site."""
from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.urls import path
from django.views.generic import ListView

from deputies.models import Term
from deputies.selectors import deputy_list
from dutyadmin.list_views import PAGE_SIZE


class BareDeputyListView(LoginRequiredMixin, ListView):
    """The rows of /deputies/'s first page (the user's deputies of the current term), nothing else."""

    template_name = "bench/bare_deputy_list.html"
    context_object_name = "deputies"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        current = Term.objects.order_by("-number").values("pk")[:1]
        return deputy_list(user=self.request.user).filter(term__in=current)


app_name = "bench"
urlpatterns = [path("deputies/", BareDeputyListView.as_view(), name="bare_deputy_list")]
