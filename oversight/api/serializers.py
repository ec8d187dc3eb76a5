"""JSON of interventions (DESIGN.md API)."""
from __future__ import annotations

from rest_framework import serializers

from deputies.models import Deputy
from deputies.selectors import deputy_list
from dutyadmin.api.fields import IdRelatedField
from dutyadmin.api.serializers import ModelSerializer

from ..models import Intervention


class InterventionSerializer(ModelSerializer):
    deputy = IdRelatedField(label="代表", queryset=Deputy.objects.all(), selector=deputy_list)
    deputy_name = serializers.CharField(source="deputy.name", read_only=True)

    class Meta:
        model = Intervention
        fields = ["id", "deputy", "deputy_name", "rule", "kind", "date", "conducted_by", "notes"]
