"""待办建议: a handling unit's staff see what is assigned to their unit (as lead or co-unit), overdue first, then the
soonest due, with the days left; they reply on each suggestion's detail page."""
from __future__ import annotations

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy

from dutyadmin.list_views import ScopedListView
from dutyadmin.permissions import allows
from dutyadmin.scope import Scope

from .choices import AWAITING_REPLY
from .selectors import unit_suggestion_list
from .views_office import with_clocks

WAITING, ALL = "waiting", "all"


class UnitSuggestionListView(ScopedListView):
    """The unit's suggestions: by default those awaiting its reply (``?show=all`` adds the replied and closed)."""

    selector = unit_suggestion_list
    template_name = "oversight/suggestions/unit_list.html"
    section = "unit_suggestions"
    denied_message = gettext_lazy("待办建议只对承办单位的工作人员开放。")

    def allowed(self, scope: Scope) -> bool:
        return allows(scope, "see_unit_suggestions")

    def show(self) -> str:
        return ALL if self.request.GET.get("show") == ALL else WAITING

    def refine(self, queryset):
        if self.show() == WAITING:
            queryset = queryset.filter(status__in=AWAITING_REPLY)
        if q := self.request.GET.get("q", "").strip():
            for word in q.split()[:5]:
                queryset = queryset.filter(Q(title__icontains=word) | Q(lead_deputy__name__icontains=word))
        return queryset

    def get_extra_context(self, *, scope, filterset, page) -> dict:
        today = timezone.localdate()
        with_clocks(page.object_list, today)
        return {"today": today, "show": self.show(), "q": self.request.GET.get("q", "")}


unit_list_view = UnitSuggestionListView.as_view()
