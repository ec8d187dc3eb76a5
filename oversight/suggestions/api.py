"""/api/v1/handling-units/ and /api/v1/suggestions/ (DESIGN.md contract): reads through the selectors, every
write through oversight/suggestions/services.py; a wrong state or role answers 400/403, never 500."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from deputies.models import Deputy, HandlingUnit, Term
from deputies.selectors import deputy_list
from dutyadmin.api.fields import DateField, IdRelatedField
from dutyadmin.api.serializers import ModelSerializer
from dutyadmin.api.viewsets import ScopedModelViewSet, bulk_response
from dutyadmin.permissions import allows
from meetings.models import CongressSession

from . import selectors, services
from .choices import Resolution, Satisfaction
from .filtersets import HandlingUnitFilterSet, SuggestionFilterSet
from .models import Suggestion, SuggestionEvent, SuggestionReply, SuggestionReplyAttachment

# --- handling units ----------------------------------------------------------------------------------


class HandlingUnitSerializer(ModelSerializer):
    class Meta:
        model = HandlingUnit
        fields = ["id", "name", "code", "kind"]


class HandlingUnitViewSet(ScopedModelViewSet):
    """承办单位: read by staff; the liaison office creates, changes and deletes them."""

    selector = staticmethod(selectors.handling_unit_list)
    serializer_class = HandlingUnitSerializer
    filterset_class = HandlingUnitFilterSet

    def list(self, request, *args, **kwargs):
        if not allows(request.user, "see_handling_units"):
            raise PermissionDenied("您无权查看承办单位。")
        return super().list(request, *args, **kwargs)

    def can_write_any(self, scope) -> bool:
        return allows(scope, "manage_handling_units")

    def can_write(self, scope, obj) -> bool:
        return self.can_write_any(scope)

    def save_record(self, instance, data):
        return services.handling_unit_save(user=self.request.user, unit=instance, data=data)

    def delete_record(self, instance) -> None:
        services.handling_unit_delete(user=self.request.user, unit=instance)


# --- suggestions ---------------------------------------------------------------------------------------


def unit_field(**kwargs) -> IdRelatedField:
    return IdRelatedField(queryset=HandlingUnit.objects.all(), **kwargs)


class SuggestionReplyAttachmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = SuggestionReplyAttachment
        fields = ["id", "name", "file_type", "size", "uploaded_at"]
        read_only_fields = fields


class SuggestionReplySerializer(serializers.ModelSerializer):
    attachments = SuggestionReplyAttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = SuggestionReply
        fields = ["id", "unit", "rehandling", "date", "text", "resolution", "satisfaction", "evaluation_comment",
                  "evaluated_on", "attachments"]
        read_only_fields = fields


class SuggestionEventSerializer(serializers.ModelSerializer):
    actor = serializers.SerializerMethodField()

    class Meta:
        model = SuggestionEvent
        fields = ["action", "before_status", "after_status", "actor", "at", "date", "note"]
        read_only_fields = fields

    def get_actor(self, event) -> str:
        if event.actor is None:
            return ""
        return f"{event.actor.last_name}{event.actor.first_name}".strip() or event.actor.get_username()


class SuggestionSerializer(ModelSerializer):
    """The contract's fields; the states' dates are read-only (set by the actions, computed by the clocks)."""

    term = IdRelatedField(label="届", queryset=Term.objects.all(), required=False)
    session = IdRelatedField(label="大会", queryset=CongressSession.objects.all(), required=False, allow_null=True)
    lead_deputy = IdRelatedField(label="领衔代表", queryset=Deputy.objects.all(), selector=deputy_list)
    cosigners = IdRelatedField(label="附议代表", queryset=Deputy.objects.all(), many=True, required=False)
    lead_deputy_name = serializers.CharField(source="lead_deputy.name", read_only=True)
    lead_unit_name = serializers.CharField(source="lead_unit.name", read_only=True, default=None)
    overdue = serializers.BooleanField(read_only=True, help_text="答复已逾期：答复期限已过而主办单位尚未答复。")
    reply_due = DateField(read_only=True, help_text="正等待的答复的期限（重新办理时为重新办理答复期限）。")
    submitted_on = DateField(required=False, help_text="提出日期，默认为今天。")

    class Meta:
        model = Suggestion
        fields = [
            "id", "term", "session", "title", "content", "lead_deputy", "lead_deputy_name", "cosigners",
            "submitted_on", "status", "lead_unit", "lead_unit_name", "co_units", "assigned_on", "due_date",
            "extended", "extension_reason", "reply_due", "first_replied_on", "replied_on", "reply_text",
            "resolution", "satisfaction", "evaluation_comment", "evaluated_on", "feedback_due", "rehandling_due",
            "closed_on", "close_note", "overdue", "contribution", "created_at",
        ]
        read_only_fields = [
            "status", "lead_unit", "co_units", "assigned_on", "due_date", "extended", "extension_reason",
            "first_replied_on", "replied_on", "reply_text", "resolution", "satisfaction", "evaluation_comment",
            "evaluated_on", "feedback_due", "rehandling_due", "closed_on", "close_note", "contribution",
            "created_at",
        ]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["resolution"] = data["resolution"] or None  # no reply yet: null, as satisfaction
        return data


class SuggestionDetailSerializer(SuggestionSerializer):
    replies = SuggestionReplySerializer(many=True, read_only=True)
    events = SuggestionEventSerializer(many=True, read_only=True)

    class Meta(SuggestionSerializer.Meta):
        fields = [*SuggestionSerializer.Meta.fields, "replies", "events"]


class AssignSerializer(serializers.Serializer):
    lead_unit = unit_field(label="主办单位")
    co_units = unit_field(label="协办单位", many=True, required=False)
    date = DateField(label="交办日期")


class BulkAssignLineSerializer(serializers.Serializer):
    suggestion = serializers.IntegerField(label="建议", min_value=1)
    lead_unit = unit_field(label="主办单位")
    co_units = unit_field(label="协办单位", many=True, required=False)


class BulkAssignSerializer(serializers.Serializer):
    date = DateField(label="交办日期")
    records = BulkAssignLineSerializer(many=True, allow_empty=False)


class ExtendSerializer(serializers.Serializer):
    reason = serializers.CharField(label="延期理由", max_length=2000)


class ChaseSerializer(serializers.Serializer):
    note = serializers.CharField(label="催办意见", max_length=2000, required=False, allow_blank=True, default="")


class ReplySerializer(serializers.Serializer):
    date = DateField(label="答复日期")
    text = serializers.CharField(label="答复内容", max_length=20000)
    resolution = serializers.ChoiceField(label="办理结果", choices=Resolution.choices)
    files = serializers.ListField(child=serializers.FileField(), required=False, default=list)


class EvaluateSerializer(serializers.Serializer):
    satisfaction = serializers.ChoiceField(label="代表评价", choices=Satisfaction.choices)
    comment = serializers.CharField(label="评价意见", required=False, allow_blank=True, default="", max_length=5000)
    date = DateField(label="评价日期", required=False, allow_null=True, default=None)


class CloseSerializer(serializers.Serializer):
    date = DateField(label="办结日期")
    note = serializers.CharField(label="办结说明", required=False, allow_blank=True, default="", max_length=5000)


class SuggestionViewSet(ScopedModelViewSet):
    """代表建议: a deputy submits their own, staff enter paper forms for deputies in scope (POST); each step is an
    action. PATCH corrects one not yet assigned (suggestion_update); no PUT or DELETE (withdraw/ instead)."""

    selector = staticmethod(selectors.suggestion_list)
    serializer_class = SuggestionSerializer
    filterset_class = SuggestionFilterSet
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        if self.action == "retrieve":
            return selectors.suggestion_detail_list(user=self.request.user)
        return super().get_queryset()

    def get_serializer_class(self):
        return SuggestionDetailSerializer if self.action == "retrieve" else SuggestionSerializer

    def list(self, request, *args, **kwargs):
        if not allows(request.user, "see_suggestions"):
            raise PermissionDenied("您无权查看代表建议。")
        return super().list(request, *args, **kwargs)

    def can_write_any(self, scope) -> bool:
        return allows(scope, "submit_suggestion") or allows(scope, "assign_suggestion")

    def can_write(self, scope, obj) -> bool:
        return True  # each action's service decides who may act, in which state

    def perform_create(self, serializer) -> None:
        data = dict(serializer.validated_data)
        suggestion = services.suggestion_submit(
            user=self.request.user, lead_deputy=data["lead_deputy"], title=data["title"], content=data["content"],
            session=data.get("session"), cosigners=data.get("cosigners", ()),
            submitted_on=data.get("submitted_on"), term=data.get("term"),
        )
        serializer.instance = self.reload(suggestion)

    def perform_update(self, serializer) -> None:
        suggestion = services.suggestion_update(user=self.request.user, suggestion=serializer.instance,
                                                data=dict(serializer.validated_data))
        serializer.instance = self.reload(suggestion)

    def _answer(self, suggestion):
        return Response(SuggestionSerializer(self.reload(suggestion), context=self.get_serializer_context()).data)

    def _body(self, serializer_class, request):
        body = serializer_class(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        return body.validated_data

    @extend_schema(request=AssignSerializer, responses=SuggestionSerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def assign(self, request, pk=None):
        """交办 {lead_unit, co_units, date}: the due date is computed from the date (three months, clocks)."""
        suggestion = self.get_object()
        body = self._body(AssignSerializer, request)
        return self._answer(services.suggestion_assign(
            user=request.user, suggestion=suggestion, lead_unit=body["lead_unit"],
            co_units=body.get("co_units", ()), date=body["date"],
        ))

    @extend_schema(request=BulkAssignSerializer, responses=SuggestionSerializer(many=True))
    @action(detail=False, methods=["post"], url_path="assign-bulk", filterset_class=None)
    def assign_bulk(self, request):
        """交办 many at once after a session {date, records: [{suggestion, lead_unit, co_units}]}, all or none."""
        body = self._body(BulkAssignSerializer, request)
        visible = selectors.suggestion_list(user=request.user).in_bulk([r["suggestion"] for r in body["records"]])
        missing = [i for i, r in enumerate(body["records"]) if r["suggestion"] not in visible]
        if missing:
            raise serializers.ValidationError(
                {"records": [f"第{i + 1}条：编号为 {body['records'][i]['suggestion']} 的建议不存在，或不在您的管理范围内。"
                             for i in missing]}
            )
        lines = [services.SuggestionAssignment(visible[r["suggestion"]], r["lead_unit"], tuple(r.get("co_units", ())))
                 for r in body["records"]]

        def run():
            done = services.suggestion_assign_bulk(user=request.user, assignments=lines, date=body["date"])
            return {"assigned": len(done), "results": SuggestionSerializer(
                [self.reload(s) for s in done], many=True, context=self.get_serializer_context()).data}

        return bulk_response(run)

    @extend_schema(request=ExtendSerializer, responses=SuggestionSerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def extend(self, request, pk=None):
        """延期 {reason}: the due date becomes six months after the assignment (clocks)."""
        suggestion = self.get_object()
        body = self._body(ExtendSerializer, request)
        return self._answer(services.suggestion_extend(user=request.user, suggestion=suggestion, reason=body["reason"]))

    @extend_schema(request=ChaseSerializer, responses=SuggestionSerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def chase(self, request, pk=None):
        """催办 {note}: the liaison office presses the lead unit for an awaited reply; the state does not change."""
        suggestion = self.get_object()
        body = self._body(ChaseSerializer, request)
        event = services.suggestion_chase(user=request.user, suggestion=suggestion, note=body["note"])
        return self._answer(event.suggestion)

    @extend_schema(request=ReplySerializer, responses=SuggestionSerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def reply(self, request, pk=None):
        """答复 {date, text, resolution} (multipart: files) by the lead unit, or the liaison office for it."""
        suggestion = self.get_object()
        body = self._body(ReplySerializer, request)
        return self._answer(services.suggestion_reply(
            user=request.user, suggestion=suggestion, date=body["date"], text=body["text"],
            resolution=body["resolution"], files=body.get("files") or (),
        ))

    @extend_schema(request=EvaluateSerializer, responses=SuggestionSerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def evaluate(self, request, pk=None):
        """评价 {satisfaction, comment, date} by the lead deputy; date defaults to today."""
        suggestion = self.get_object()
        body = self._body(EvaluateSerializer, request)
        return self._answer(services.suggestion_evaluate(
            user=request.user, suggestion=suggestion, satisfaction=body["satisfaction"], comment=body["comment"],
            date=body.get("date"),
        ))

    @extend_schema(request=CloseSerializer, responses=SuggestionSerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def close(self, request, pk=None):
        """办结 {date, note} by the liaison office: no feedback by feedback_due."""
        suggestion = self.get_object()
        body = self._body(CloseSerializer, request)
        return self._answer(services.suggestion_close(
            user=request.user, suggestion=suggestion, date=body["date"], note=body["note"],
        ))

    @extend_schema(request=None, responses=SuggestionSerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def withdraw(self, request, pk=None):
        """撤回 before a reply: the lead deputy or the liaison office."""
        return self._answer(services.suggestion_withdraw(user=request.user, suggestion=self.get_object()))
