"""POST /api/v1/auth/token/ {"username", "password"} → {"token", "expires"}; DELETE revokes the caller's token.

Logins here are watched by django-axes like the login page (dutyadmin/accounts.py): authenticate() gets the
Django request, and a locked-out client gets 429 with when to try again. A token is good for
DUTYADMIN_API_TOKEN_DAYS; an expired one is refused with 401 and deleted.
"""
from __future__ import annotations

from django.contrib.auth import authenticate
from django.utils import timezone
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.response import Response
from rest_framework.views import APIView

from dutyadmin.accounts import locked_until, lockout_message, token_expired, token_expires

from .authentication import ExpiringTokenAuthentication
from .parsers import PARSER_CLASSES


class LockedOut(exceptions.APIException):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "locked_out"


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(label="用户名", max_length=150)
    password = serializers.CharField(label="密码", max_length=128, trim_whitespace=False, write_only=True)

    def validate(self, attrs):
        request = self.context.get("request")
        django_request = getattr(request, "_request", request)  # axes marks the Django request
        user = authenticate(request=django_request, username=attrs["username"], password=attrs["password"])
        if getattr(django_request, "axes_locked_out", False):
            raise LockedOut(lockout_message(locked_until(django_request)))
        # One message for unknown user, wrong password and inactive user: no hint which it was.
        if user is None or not user.is_active:
            raise serializers.ValidationError("用户名或密码错误。", code="authorization")
        attrs["user"] = user
        return attrs


class ObtainTokenView(APIView):
    """Exchange a username and password for the user's API token (reused until it expires), or revoke it."""

    authentication_classes = [ExpiringTokenAuthentication]
    permission_classes = []
    parser_classes = PARSER_CLASSES
    serializer_class = TokenRequestSerializer

    def get_authenticators(self):
        # POST needs no credentials (a wrong or expired token must not stop a new login); DELETE does.
        if self.request is not None and self.request.method == "POST":
            return []
        return super().get_authenticators()

    @extend_schema(
        request=TokenRequestSerializer,
        responses=inline_serializer(
            "TokenResponse", {"token": serializers.CharField(), "expires": serializers.DateTimeField()}
        ),
    )
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        token, _ = Token.objects.get_or_create(user=serializer.validated_data["user"])
        if token_expired(token):
            token.delete()
            token = Token.objects.create(user=serializer.validated_data["user"])
        return Response({"token": token.key, "expires": timezone.localtime(token_expires(token)).isoformat()})

    @extend_schema(request=None, responses={204: None})
    def delete(self, request):
        """Revoke the token this request was made with (sign the API client out)."""
        if not request.user.is_authenticated or not isinstance(request.auth, Token):
            raise exceptions.NotAuthenticated("请用要撤销的令牌调用(Authorization: Token …)。")
        request.auth.delete()
        return Response(status=status.HTTP_204_NO_CONTENT)
