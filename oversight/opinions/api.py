"""/api/v1/opinions/ (DESIGN.md contract): reads through the selectors, every write through
oversight/opinions/services.py. citizen_phone is write-only: the API shows only citizen_phone_masked."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from activities.models import Activity
from deputies.models import Deputy, HandlingUnit, StreetCommittee
from deputies.selectors import deputy_list
from dutyadmin.api.fields import DateField, IdRelatedField
from dutyadmin.api.serializers import ModelSerializer
from dutyadmin.api.viewsets import ScopedModelViewSet
from dutyadmin.permissions import allows

from . import selectors, services
from .filtersets import OpinionFilterSet
from .models import Opinion


class OpinionSerializer(ModelSerializer):
    reception = IdRelatedField(label="接待活动", queryset=Activity.objects.all(), required=False, allow_null=True)
    deputies = IdRelatedField(label="听取意见的代表", queryset=Deputy.objects.all(), many=True, required=False,
                              selector=deputy_list)
    street_committee = IdRelatedField(label="街道工委", queryset=StreetCommittee.objects.all(), required=False)
    citizen_phone = serializers.CharField(label="联系电话", write_only=True, required=False, allow_blank=True,
                                          max_length=30)
    citizen_phone_masked = serializers.CharField(source="phone_masked", read_only=True,
                                                 help_text="联系电话（已隐去中间四位）。")
    received_on = DateField(required=False, help_text="收集日期，默认为接待活动的日期或今天。")
    overdue = serializers.BooleanField(read_only=True, help_text="已转办，答复期限已过而尚未答复。")
    forwarded_to_name = serializers.CharField(source="forwarded_to.name", read_only=True, default=None)

    class Meta:
        model = Opinion
        fields = ["id", "received_on", "reception", "deputies", "street_committee", "content", "citizen_name",
                  "citizen_phone", "citizen_phone_masked", "status", "forwarded_to", "forwarded_to_name",
                  "forwarded_on", "reply_due", "replied_on", "reply_text", "fed_back_on", "close_note", "overdue",
                  "created_at"]
        read_only_fields = ["status", "forwarded_to", "forwarded_on", "reply_due", "replied_on", "reply_text",
                            "fed_back_on", "close_note", "created_at"]


class OpinionForwardSerializer(serializers.Serializer):
    unit = IdRelatedField(label="转办单位", queryset=HandlingUnit.objects.all())
    date = DateField(label="转办日期")


class OpinionReplySerializer(serializers.Serializer):
    date = DateField(label="答复日期")
    text = serializers.CharField(label="答复内容", max_length=20000)


class OpinionCloseSerializer(serializers.Serializer):
    date = DateField(label="反馈日期")
    note = serializers.CharField(label="反馈情况", required=False, allow_blank=True, default="", max_length=5000)


class OpinionViewSet(ScopedModelViewSet):
    """群众意见: street staff (or the liaison office) record them (POST); each step is an action. PATCH corrects one
    until it is closed, DELETE removes one not yet forwarded (gaps14b; the services decide). No PUT."""

    selector = staticmethod(selectors.opinion_list)
    serializer_class = OpinionSerializer
    filterset_class = OpinionFilterSet
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def list(self, request, *args, **kwargs):
        if not allows(request.user, "see_opinions"):
            raise PermissionDenied("您无权查看群众意见。")
        return super().list(request, *args, **kwargs)

    def can_write_any(self, scope) -> bool:
        return allows(scope, "record_opinion") or allows(scope, "reply_opinion")

    def can_write(self, scope, obj) -> bool:
        return True  # each action's service decides who may act, in which state

    def perform_create(self, serializer) -> None:
        data = dict(serializer.validated_data)
        opinion = services.opinion_record(
            user=self.request.user, street_committee=data.get("street_committee"), content=data.get("content", ""),
            received_on=data.get("received_on"), reception=data.get("reception"), deputies=data.get("deputies", ()),
            citizen_name=data.get("citizen_name", ""), citizen_phone=data.get("citizen_phone", ""),
        )
        serializer.instance = self.reload(opinion)

    # --- gaps14b: correcting and deleting, through the services (state, role and history are theirs)
    def perform_update(self, serializer) -> None:
        opinion, data = serializer.instance, dict(serializer.validated_data)
        moved = {name: "不能修改；如登记错了街道或接待活动，请删除后重新登记。" for name in ("street_committee", "reception")
                 if name in data and data[name] != getattr(opinion, name)}
        if moved:
            raise DjangoValidationError(moved)
        services.opinion_update(
            user=self.request.user, opinion=opinion, content=data.get("content", opinion.content),
            received_on=data.get("received_on", opinion.received_on),
            deputies=data["deputies"] if "deputies" in data else list(opinion.deputies.all()),
            citizen_name=data.get("citizen_name", opinion.citizen_name), citizen_phone=data.get("citizen_phone"),
        )
        serializer.instance = self.reload(opinion)

    def perform_destroy(self, instance) -> None:
        services.opinion_delete(user=self.request.user, opinion=instance)

    def _answer(self, opinion):
        return Response(OpinionSerializer(self.reload(opinion), context=self.get_serializer_context()).data)

    def _body(self, serializer_class, request):
        body = serializer_class(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        return body.validated_data

    @extend_schema(request=OpinionForwardSerializer, responses=OpinionSerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def forward(self, request, pk=None):
        """转办 {unit, date}: the reply is due OPINION_REPLY_DAYS calendar days later (clocks)."""
        opinion = self.get_object()
        body = self._body(OpinionForwardSerializer, request)
        return self._answer(services.opinion_forward(user=request.user, opinion=opinion, unit=body["unit"],
                                                     date=body["date"]))

    @extend_schema(request=OpinionReplySerializer, responses=OpinionSerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def reply(self, request, pk=None):
        """答复 {date, text} by the unit it was forwarded to, or the liaison office."""
        opinion = self.get_object()
        body = self._body(OpinionReplySerializer, request)
        return self._answer(services.opinion_reply(user=request.user, opinion=opinion, date=body["date"],
                                                   text=body["text"]))

    @extend_schema(request=OpinionCloseSerializer, responses=OpinionSerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def close(self, request, pk=None):
        """反馈办结 {date, note}: the answer has been given back to the constituent."""
        opinion = self.get_object()
        body = self._body(OpinionCloseSerializer, request)
        return self._answer(services.opinion_close(user=request.user, opinion=opinion, date=body["date"],
                                                   note=body["note"]))
