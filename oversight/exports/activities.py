"""The activities export: the activity list's activities with their participants."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.http import QueryDict

from activities.choices import ActivityKind, OrganizerLevel, Outcome
from activities.filtersets import ActivityFilterSet
from activities.selectors import activity_list, participation_list
from dutyadmin.exporters import BaseExporter, Mark, chinese_date, register

from .base import _available, _with_current_term


OUTCOME_TONES = {Outcome.ABSENT: "bad", Outcome.EXCUSED: "warn", Outcome.PENDING: "muted"}


@register
class ActivitiesExporter(BaseExporter):
    identifier = "activities"
    verbose_name = "闭会期间活动及参加代表"
    description = "活动列表页面所列的活动(同样的筛选条件),每位参加代表一行:是否应邀确定参加、参加情况。"
    filterset_class = ActivityFilterSet
    frozen_columns = 4
    ACTIVITY_CHUNK = 500

    @classmethod
    def available(cls, scope) -> bool:
        return _available(scope)

    def base_queryset(self):
        return activity_list(user=self.user)

    def filter_data(self, data: QueryDict) -> QueryDict:
        return _with_current_term(data)

    def title(self) -> str:
        cleaned = self.filterset.form.cleaned_data
        term, street = cleaned.get("term"), cleaned.get("street_committee")
        parts = [settings.DISTRICT_NAME, term.name if term else "", street.name if street else ""]
        kind = cleaned.get("kind")
        what = f"{ActivityKind(kind).label}活动" if kind else "闭会期间活动"
        span = cleaned.get("date")
        when = ""
        if span and (span.start or span.stop):
            when = f"{chinese_date(span.start) or '…'}至{chinese_date(span.stop) or '…'},"
        return f"{' '.join(p for p in parts if p)} {what}及参加代表({when}截至{chinese_date(self.today)})"

    def iterate(self) -> Iterator[Any]:
        yield ["日期", "结束日期", "活动类型", "活动名称", "组织方", "组织街工委", "地点", "参加代表", "代表所属街工委",
               "应邀确定参加", "参加情况"]
        activities = self.filtered().select_related("street_committee").order_by("-date", "-id")
        # Participants the user may see (a street's staff: their deputies only), whatever the activity.
        visible = participation_list(user=self.user)
        with_participants = activities.filter(Exists(visible.filter(activity_id=OuterRef("pk"))))
        total = (visible.filter(activity__in=activities.values("pk")).count()
                 + activities.count() - with_participants.count())
        yield total
        chunk: list = []
        for activity in activities.iterator(chunk_size=self.ACTIVITY_CHUNK):
            chunk.append(activity)
            if len(chunk) >= self.ACTIVITY_CHUNK:
                yield from self._rows(chunk, visible)
                chunk = []
        if chunk:
            yield from self._rows(chunk, visible)

    def _rows(self, activities: list, visible) -> Iterator[list]:
        people: dict[int, list] = defaultdict(list)
        for p in (visible.filter(activity_id__in=[a.pk for a in activities])
                  .select_related("deputy__street_committee").order_by("deputy__street_committee__code", "deputy__name")):
            people[p.activity_id].append(p)
        organizers = dict(OrganizerLevel.choices)
        for activity in activities:
            head = [activity.date, activity.end_date, ActivityKind(activity.kind).label, activity.title,
                    organizers.get(activity.organizer_level, activity.organizer_level),
                    activity.street_committee.name if activity.street_committee_id else "", activity.location]
            if not people.get(activity.pk):
                yield [*head, "", "", "", ""]
                continue
            for p in people[activity.pk]:
                outcome = Outcome(p.outcome).label
                tone = OUTCOME_TONES.get(p.outcome)
                yield [*head, p.deputy.name, p.deputy.street_committee.name, "是" if p.confirmed else "否",
                       Mark(outcome, tone) if tone else outcome]
