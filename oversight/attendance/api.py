"""/api/v1/attendance/: meetings' attendance records with the regulation's `excused` (DESIGN.md contract).

The records and their writes are meetings' (meetings.api.views.AttendanceViewSet: selector, services,
policy); what a record means is the classification's: `excused` is true exactly when the
(deputy, meeting) mark's status is `excused` (oversight.rules.classify), and the `excused` filter keeps
the records whose mark says so. Registered on dutyadmin/api/urls.py's router in place of meetings' viewset.

Queries stay bounded: one classification per term on the page (six queries, narrowed to the page's
deputies, and to its session when the page has only one), whatever the number of rows.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Q, QuerySet
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from deputies.models import Deputy, Term
from dutyadmin.api.filters import BooleanFilter
from meetings.api.serializers import AttendanceSerializer
from meetings.api.views import AttendanceViewSet as RecordsViewSet
from meetings.filtersets import AttendanceFilterSet
from meetings.models import Attendance
from meetings.selectors import attendance_records
from oversight.rules.classify import EXCUSED

from ..findings.selectors import classification_for


def excused_of(records: Iterable[Attendance], as_of: dt.date | None = None) -> dict[int, bool]:
    """Attendance id → whether the classification reads that (deputy, meeting) as excused."""
    as_of = as_of or timezone.localdate()
    by_term: dict[int, list[Attendance]] = defaultdict(list)
    terms: dict[int, Term] = {}
    for record in records:
        term = record.meeting.session.term
        terms[term.pk] = term
        by_term[term.pk].append(record)
    excused: dict[int, bool] = {}
    for term_id, rows in by_term.items():
        sessions = {r.meeting.session_id for r in rows}
        classification = classification_for(
            term=terms[term_id], as_of=as_of, deputies={r.deputy_id for r in rows}, attendance_only=True,
            session=next(iter(sessions)) if len(sessions) == 1 else None,
        )
        for r in rows:
            mark = classification.meeting(r.deputy_id, r.meeting_id)
            excused[r.pk] = mark is not None and mark.status == EXCUSED
    return excused


def excused_q(queryset: QuerySet[Attendance], as_of: dt.date | None = None) -> Q:
    """Q: the records of `queryset` whose mark is excused (one classification per term of the queryset)."""
    as_of = as_of or timezone.localdate()
    wanted = Q(pk__in=[])
    for term in Term.objects.filter(pk__in=queryset.order_by().values("meeting__session__term_id")):
        deputies = Deputy.objects.filter(pk__in=queryset.order_by().values("deputy_id"), term=term)
        classification = classification_for(term=term, as_of=as_of, deputies=deputies, attendance_only=True)
        for deputy_id, reading in classification.deputies.items():
            meetings = [meeting_id for meeting_id, mark in reading.meetings.items() if mark.status == EXCUSED]
            if meetings:
                wanted |= Q(deputy_id=deputy_id, meeting_id__in=meetings)
    return wanted


class ClassifiedAttendanceFilterSet(AttendanceFilterSet):
    """meetings' attendance filters, and `excused` as the classification reads it."""

    excused = BooleanFilter(label="已请假", method="filter_excused")

    class Meta(AttendanceFilterSet.Meta):
        pass

    def filter_excused(self, queryset, name, value):
        if value is None:
            return queryset
        wanted = excused_q(queryset)
        return queryset.filter(wanted) if value else queryset.exclude(wanted)


class ClassifiedAttendanceSerializer(AttendanceSerializer):
    excused = serializers.SerializerMethodField(
        help_text="缺席(或未登记)已有批准的请假覆盖:分类结果为 excused 时为 true。")

    class Meta(AttendanceSerializer.Meta):
        pass

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_excused(self, obj: Attendance) -> bool:
        known = self.context.setdefault("excused", {})
        if obj.pk not in known:
            known.update(excused_of([obj]))
        return known[obj.pk]


class AttendanceViewSet(RecordsViewSet):
    """出席记录, one per meeting and deputy; `excused`: the classification reads the meeting as excused."""

    selector = staticmethod(attendance_records)
    serializer_class = ClassifiedAttendanceSerializer
    filterset_class = ClassifiedAttendanceFilterSet

    def get_queryset(self):
        return super().get_queryset().select_related("meeting__session__term")

    def get_serializer(self, *args, **kwargs):
        instance = args[0] if args else kwargs.get("instance")
        kwargs.setdefault("context", self.get_serializer_context())
        if isinstance(instance, (list, QuerySet)):
            kwargs["context"]["excused"] = excused_of(instance)
        return self.get_serializer_class()(*args, **kwargs)
