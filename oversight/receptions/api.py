"""/api/v1/reception-recommendations/: the deputy each street recommends for a 主任会议成员接待代表 activity
(Art. 10(六)). Reads through the selectors (district roles all, a street committee its own), writes through
oversight/receptions/services.py. PATCH changes the deputy or the note; a reception or street cannot move."""
from __future__ import annotations

import django_filters
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from activities.models import Activity
from deputies.models import Deputy, StreetCommittee
from dutyadmin.api.fields import DateField, IdRelatedField
from dutyadmin.api.filters import IdFilter
from dutyadmin.api.serializers import ModelSerializer
from dutyadmin.api.viewsets import ScopedModelViewSet
from dutyadmin.permissions import allows

from . import selectors, services
from .models import ReceptionRecommendation


class ReceptionRecommendationFilterSet(django_filters.FilterSet):
    reception = IdFilter(label="接待活动", field_name="reception_id")
    street_committee = IdFilter(label="街道工委", field_name="street_committee_id")
    deputy = IdFilter(label="代表", field_name="deputy_id")
    year = django_filters.NumberFilter(label="年度", field_name="reception__date__year", min_value=1900,
                                       max_value=2100)

    class Meta:
        model = ReceptionRecommendation
        fields = ["reception", "street_committee", "deputy", "year"]


class ReceptionRecommendationSerializer(ModelSerializer):
    reception = IdRelatedField(label="接待活动", queryset=Activity.objects.filter(kind="director_reception"))
    street_committee = IdRelatedField(label="推荐的街道工委", queryset=StreetCommittee.objects.all())
    deputy = IdRelatedField(label="推荐的代表", queryset=Deputy.objects.all())
    reception_date = DateField(source="reception.date", read_only=True)
    street_committee_name = serializers.CharField(source="street_committee.name", read_only=True)
    deputy_name = serializers.CharField(source="deputy.name", read_only=True)

    class Meta:
        model = ReceptionRecommendation
        fields = ["id", "reception", "reception_date", "street_committee", "street_committee_name", "deputy",
                  "deputy_name", "note", "created_at"]
        read_only_fields = ["created_at"]
        validators: list = []  # one per street and reception: the service answers a repeat with a 409 and the current


class ReceptionRecommendationViewSet(ScopedModelViewSet):
    """接待代表活动推荐: a street's staff (or the liaison office on its behalf) recommend one deputy per reception
    (POST); PATCH changes the deputy; DELETE withdraws it. No PUT."""

    selector = staticmethod(selectors.recommendation_list)
    serializer_class = ReceptionRecommendationSerializer
    filterset_class = ReceptionRecommendationFilterSet
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def list(self, request, *args, **kwargs):
        if not allows(request.user, "see_receptions"):
            raise PermissionDenied("您无权查看主任会议成员接待代表活动的推荐。")
        return super().list(request, *args, **kwargs)

    def can_write_any(self, scope) -> bool:
        return allows(scope, "recommend_reception_deputy")

    def can_write(self, scope, obj) -> bool:
        return allows(scope, "recommend_reception_deputy", obj.street_committee_id)

    def perform_create(self, serializer) -> None:
        data = serializer.validated_data
        serializer.instance = self.reload(services.recommendation_set(
            user=self.request.user, reception=data["reception"], street_committee=data["street_committee"],
            deputy=data["deputy"], note=data.get("note", ""), current=0))

    def perform_update(self, serializer) -> None:
        rec, data = serializer.instance, serializer.validated_data
        moved = {name: "不能修改；如推荐错了接待活动或街工委，请撤回后重新推荐。" for name in ("reception", "street_committee")
                 if name in data and data[name] != getattr(rec, name)}
        if moved:
            raise DjangoValidationError(moved)
        serializer.instance = self.reload(services.recommendation_set(
            user=self.request.user, reception=rec.reception, street_committee=rec.street_committee,
            deputy=data.get("deputy", rec.deputy), note=data.get("note", rec.note), current=rec.pk))

    def perform_destroy(self, instance) -> None:
        services.recommendation_withdraw(user=self.request.user, recommendation=instance)
