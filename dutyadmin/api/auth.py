"""POST /api/v1/auth/token/ {"username", "password"} → {"token"}."""
from __future__ import annotations

from django.contrib.auth import authenticate
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.response import Response
from rest_framework.views import APIView

from .parsers import PARSER_CLASSES


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(label="用户名", max_length=150)
    password = serializers.CharField(label="密码", max_length=128, trim_whitespace=False, write_only=True)

    def validate(self, attrs):
        user = authenticate(
            request=self.context.get("request"), username=attrs["username"], password=attrs["password"]
        )
        # One message for unknown user, wrong password and inactive user: no hint which it was.
        if user is None or not user.is_active:
            raise serializers.ValidationError("用户名或密码错误。", code="authorization")
        attrs["user"] = user
        return attrs


class ObtainTokenView(APIView):
    """Exchange a username and password for the user's API token (created once, then reused)."""

    authentication_classes = []
    permission_classes = []
    parser_classes = PARSER_CLASSES
    serializer_class = TokenRequestSerializer

    @extend_schema(
        request=TokenRequestSerializer,
        responses=inline_serializer("TokenResponse", {"token": serializers.CharField()}),
    )
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        token, _ = Token.objects.get_or_create(user=serializer.validated_data["user"])
        return Response({"token": token.key})
