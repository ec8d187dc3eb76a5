"""Turn Django's ValidationError and PermissionDenied from services into DRF responses."""
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from dutyadmin.services import Conflict
from dutyadmin.audit import record_api_denial


def exception_handler(exc, context):
    if isinstance(exc, Conflict):
        # The field's errors as in a 400 (clients reading them keep working), the message and the state now.
        body = {**exc.message_dict, "detail": exc.message, "current": exc.current}
        return Response(body, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            detail = {
                ("non_field_errors" if field == "__all__" else field): [str(m) for e in errors for m in e.messages]
                for field, errors in exc.error_dict.items()
            }
        else:
            detail = {"non_field_errors": exc.messages}
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = drf_exception_handler(exc, context)
    if response is not None and response.status_code == 403 and context.get("request") is not None:
        record_api_denial(context["request"], exc)  # --- audit15
    return response
