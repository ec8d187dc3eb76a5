"""The base viewset: reads come from an app's selector (already scoped by user), writes go
through services / record_save after a dutyadmin.permissions check, so the API, the HTML pages and the
exports agree on who sees and changes what."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from rest_framework import permissions, status, viewsets
from rest_framework.response import Response

from dutyadmin.scope import Scope, scope_for
from dutyadmin.permissions import allows
from dutyadmin.services import record_delete, record_save

from .parsers import PARSER_CLASSES

WRITE_DENIED = "您无权修改这条记录。"


class ScopedWritePermission(permissions.BasePermission):
    """Unsafe methods ask the viewset's policy: first for the kind of record, then for the object."""

    message = WRITE_DENIED

    def has_permission(self, request, view) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        if (view.lookup_url_kwarg or view.lookup_field) in view.kwargs:
            # On one object the lookup comes first: an object the user cannot see is a 404, not a 403.
            return True
        return view.can_write_any(scope_for(request.user))

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        return view.can_write(scope_for(request.user), obj)


class ScopedModelViewSet(viewsets.ModelViewSet):
    """CRUD over `selector(user=...)`; subclasses name the selector and the write policy.

    Out-of-scope objects are not in the queryset, so reading or writing them is a 404.
    """

    selector: Callable[..., models.QuerySet]
    permission_classes = [permissions.IsAuthenticated, ScopedWritePermission]
    parser_classes = PARSER_CLASSES

    def get_queryset(self):
        return self.selector(user=self.request.user)

    @property
    def scope(self) -> Scope:
        return scope_for(self.request.user)

    # --- policy -------------------------------------------------------------------------------

    def can_write_any(self, scope: Scope) -> bool:
        """May this user write records of this kind at all? (checked before reading the body)"""
        return True

    def can_write(self, scope: Scope, obj: models.Model) -> bool:
        """May this user write this record, in its current state?"""
        raise NotImplementedError

    # --- writes -------------------------------------------------------------------------------

    def save_record(self, instance: models.Model | None, data: dict[str, Any]) -> models.Model:
        """Default write path: the policy must allow the record before and after the change."""
        scope = self.scope
        model = self.get_queryset().model
        if instance is None:
            instance = model()
        elif not self.can_write(scope, instance):
            raise PermissionDenied(WRITE_DENIED)
        m2m = {}
        for name, value in data.items():
            if model._meta.get_field(name).many_to_many:
                m2m[name] = value
            else:
                setattr(instance, name, value)
        return record_save(instance, user=self.request.user, data=m2m, allowed=self.can_write(scope, instance))

    def delete_record(self, instance: models.Model) -> None:
        record_delete(instance, user=self.request.user, allowed=self.can_write(self.scope, instance))

    def reload(self, instance: models.Model) -> models.Model:
        """The saved record as the selector shows it (annotations, prefetches)."""
        try:
            return self.get_queryset().get(pk=instance.pk)
        except instance.__class__.DoesNotExist:
            return instance

    def perform_create(self, serializer) -> None:
        serializer.instance = self.reload(self.save_record(None, dict(serializer.validated_data)))

    def perform_update(self, serializer) -> None:
        serializer.instance = self.reload(self.save_record(serializer.instance, dict(serializer.validated_data)))

    def perform_destroy(self, instance) -> None:
        self.delete_record(instance)


class ReferenceWritesMixin:
    """Terms, streets, delegations, deputies, contact assignments: the liaison office edits them."""

    def can_write_any(self, scope: Scope) -> bool:
        return allows(scope, "manage_roster")

    def can_write(self, scope: Scope, obj) -> bool:
        return self.can_write_any(scope)


class SessionWritesMixin:
    """Sessions, meetings, attendance: the secretariat records them."""

    def can_write_any(self, scope: Scope) -> bool:
        return allows(scope, "record_attendance")

    def can_write(self, scope: Scope, obj) -> bool:
        return self.can_write_any(scope)


def bulk_response(run: Callable[[], dict]) -> Response:
    """Run a bulk upsert service; on bad rows answer 400 with every row's index, field and reason."""
    try:
        result = run()
    except DjangoValidationError as exc:
        rows = bulk_row_errors(exc)
        if rows is None:
            raise
        return Response(
            {"detail": f"有 {len({r['index'] for r in rows})} 条记录有误,未保存任何记录。", "records": rows},
            status=status.HTTP_400_BAD_REQUEST,
        )
    return Response(result, status=status.HTTP_200_OK)


def bulk_row_errors(exc: DjangoValidationError) -> list[dict] | None:
    """[{index, field, message}] from a service's per-row ValidationError, else None."""
    if not hasattr(exc, "error_dict") or "records" not in exc.error_dict:
        return None
    rows = []
    for error in exc.error_dict["records"]:
        params = error.params or {}
        if "index" not in params:
            return None
        rows.append({"index": params["index"], "field": params.get("field", "record"), "message": error.message})
    return rows
