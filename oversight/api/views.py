"""API of oversight: interventions (CRUD), and the read-only findings, data checks and handbooks."""
from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from deputies.selectors import deputy_list
from dutyadmin.permissions import allows
from dutyadmin.api.pagination import StandardPagination
from dutyadmin.api.viewsets import ScopedModelViewSet

from ..office_checks import OFFICE_CHECK_LABELS, office_data_checks
from ..findings import selectors
from ..findings.forms import DataCheckFilterForm, FindingFilterForm
from ..handbook.build import handbook_build
from ..handbook.selectors import handbook_year_bounds
from ..handbook.forms import HandbookQueryForm
from ..interventions import selectors as intervention_selectors
from ..interventions.filtersets import InterventionFilterSet
from ..labels import ACTIONS, DATA_CHECK_LABELS, RULE_IDS, STATUSES
from .serializers import DataCheckSerializer, FindingSerializer, HandbookSerializer, InterventionSerializer


class InterventionViewSet(ScopedModelViewSet):
    """约谈、通报、资格终止、劝辞: what the office did; the kind must be the rule's own (400 otherwise)."""

    selector = staticmethod(intervention_selectors.intervention_list)
    serializer_class = InterventionSerializer
    filterset_class = InterventionFilterSet

    def can_write(self, scope, obj) -> bool:
        return allows(scope, "record_intervention", obj)

    def save_record(self, instance, data):
        """Saved as any record; the answer says whether the rules count it as resolving a finding."""
        saved = super().save_record(instance, data)
        saved.resolves_finding = intervention_selectors.intervention_resolves_finding(intervention=saved)
        return saved

    def reload(self, instance):
        reloaded = super().reload(instance)
        reloaded.resolves_finding = getattr(instance, "resolves_finding", None)
        return reloaded


# --- findings, data checks, handbooks: computed by the rules, read-only ---------------------------


def _valid(form) -> dict:
    """The form's cleaned data, or a 400 naming each bad parameter in Chinese."""
    if not form.is_valid():
        raise ValidationError({name: [str(message) for message in messages] for name, messages in form.errors.items()})
    return form.cleaned_data


def _query_parameters(*extra: OpenApiParameter) -> list[OpenApiParameter]:
    return [
        OpenApiParameter("term", int, required=True, description="届的编号(必填)"),
        OpenApiParameter("as_of", OpenApiTypes.DATE, description="评估日期 YYYY-MM-DD,默认今天"),
        OpenApiParameter("street_committee", int, description="人大街工委编号"),
        OpenApiParameter("deputy", int, description="代表编号"),
        *extra,
    ]


class FindingListView(GenericAPIView):
    """履职提示: every rule's finding about the deputies in your scope, as of a date (RULES.md)."""

    serializer_class = FindingSerializer
    pagination_class = StandardPagination
    permission_classes = [permissions.IsAuthenticated]
    filter_backends: list = []  # the query form validates the parameters (400s in Chinese)

    @extend_schema(
        operation_id="v1_findings_list",
        responses=FindingSerializer(many=True),
        parameters=_query_parameters(
            OpenApiParameter("rule", str, enum=list(RULE_IDS)),
            OpenApiParameter("status", str, enum=list(STATUSES)),
            OpenApiParameter("action", str, enum=list(ACTIONS)),
            OpenApiParameter("include_met", bool, description="包括已达标的(默认否)"),
        ),
    )
    def get(self, request: Request) -> Response:
        form = FindingFilterForm(request.query_params)
        data = _valid(form)
        findings = selectors.findings_for(
            user=request.user, term=data["term"], as_of=data["as_of"] or timezone.localdate(), filters=form.filters()
        )
        page = self.paginate_queryset(findings)
        context = {**self.get_serializer_context(), "deputies": selectors.deputy_names(f.deputy for f in page)}
        return self.get_paginated_response(FindingSerializer(page, many=True, context=context).data)


class DataCheckListView(GenericAPIView):
    """数据质量检查: records to complete or correct (not sanctions), about the deputies in your scope."""

    serializer_class = DataCheckSerializer
    pagination_class = StandardPagination
    permission_classes = [permissions.IsAuthenticated]
    filter_backends: list = []  # the query form validates the parameters (400s in Chinese)

    @extend_schema(operation_id="v1_data_checks_list", responses=DataCheckSerializer(many=True),
                   parameters=_query_parameters(OpenApiParameter("check", str,
                                                                 enum=[*DATA_CHECK_LABELS, *OFFICE_CHECK_LABELS])))
    def get(self, request: Request) -> Response:
        form = DataCheckFilterForm(request.query_params)
        data = _valid(form)
        as_of, filters = data["as_of"] or timezone.localdate(), form.filters()
        checks = [] if filters.get("check") in OFFICE_CHECK_LABELS else selectors.data_checks_for(
            user=request.user, term=data["term"], as_of=as_of, filters=filters
        )
        # then the office's own checks: A10.5 contacts (member, member_name, year added), A10.6 receptions (year)
        checks += office_data_checks(user=request.user, term=data["term"], as_of=as_of, filters=filters)
        page = self.paginate_queryset(checks)
        context = {**self.get_serializer_context(), "deputies": selectors.deputy_names(c.deputy for c in page)}
        return self.get_paginated_response(DataCheckSerializer(page, many=True, context=context).data)


class DeputyHandbookView(GenericAPIView):
    """履职手册: one deputy's records of a year grouped by kind, and every rule's finding for that year."""

    serializer_class = HandbookSerializer
    permission_classes = [permissions.IsAuthenticated]
    pagination_class = None

    @extend_schema(parameters=[OpenApiParameter("year", int, required=True, description="年度,例如 2025")])
    def get(self, request: Request, pk: int) -> Response:
        deputy = get_object_or_404(deputy_list(user=request.user), pk=pk)
        first, last = handbook_year_bounds(deputy.term)
        data = _valid(HandbookQueryForm(request.query_params, first_year=first, last_year=last))
        handbook = handbook_build(deputy=deputy, year=data["year"], today=timezone.localdate())
        context = {**self.get_serializer_context(), "deputies": {deputy.pk: deputy}}
        return Response(HandbookSerializer(handbook, context=context).data)
