"""Base serializer of the API: integer ids with Chinese messages for every reference."""
from __future__ import annotations

from django.db import models
from rest_framework import serializers

from .fields import DateField, IdRelatedField


class ModelSerializer(serializers.ModelSerializer):
    """ModelSerializer whose references are strict integer ids.

    Serializers only translate JSON; the viewset saves through services (which full_clean and
    check dutyadmin.permissions), so create() and update() are never called.
    """

    serializer_related_field = IdRelatedField
    serializer_field_mapping = {**serializers.ModelSerializer.serializer_field_mapping, models.DateField: DateField}

    def create(self, validated_data):  # pragma: no cover - a programming error, not user input
        raise NotImplementedError("API writes go through the viewset's service, not the serializer.")

    def update(self, instance, validated_data):  # pragma: no cover
        raise NotImplementedError("API writes go through the viewset's service, not the serializer.")


class CommentSerializer(serializers.Serializer):
    """Body of a leave action: an optional comment."""

    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
    step = serializers.IntegerField(
        required=False, min_value=1, max_value=99, label="环节",
        help_text="办理的环节序号(steps 中的 order,即您看到的当前环节)。给出时,若该环节已办理或申请已由他人处理,"
                  "答复 409 和当前状态,不会重复办理。不给出时办理当前环节;但若上一环节刚由您本人办理,"
                  "视为重复点击,答复 409(继续办理下一环节请注明 step)。")


class BulkResultSerializer(serializers.Serializer):
    """Answer of a bulk upsert: how many records were created, changed, or already so."""

    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
