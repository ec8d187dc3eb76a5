"""The API's token authentication (settings.REST_FRAMEWORK): DRF's token with an expiry.

Kept apart from auth.py (the token view) because DRF imports the authentication classes while
rest_framework.views is still loading.
"""
from __future__ import annotations

from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from dutyadmin.accounts import TOKEN_EXPIRED_MESSAGE, token_expired


class ExpiringTokenAuthentication(TokenAuthentication):
    """DRF's token, refused (401, in Chinese) once DUTYADMIN_API_TOKEN_DAYS have passed since it was made."""

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if token_expired(token):
            token.delete()
            raise exceptions.AuthenticationFailed(TOKEN_EXPIRED_MESSAGE)
        return user, token
