"""Password rules with messages in Chinese (settings.AUTH_PASSWORD_VALIDATORS).

Django 5.2 changed the minimum-length message's source text and its Chinese catalog has no translation
for the new text yet (the page showed "This password is too short…"): this validator says it in Chinese,
and in English when the user switched the interface to English.
"""
from __future__ import annotations

from django.contrib.auth.password_validation import MinimumLengthValidator as DjangoMinimumLengthValidator
from django.utils.translation import get_language


class MinimumLengthValidator(DjangoMinimumLengthValidator):
    def get_error_message(self) -> str:
        if (get_language() or "").startswith("en"):
            return super().get_error_message()
        return f"密码太短：至少需要 {self.min_length} 个字符。"

    def get_help_text(self) -> str:
        if (get_language() or "").startswith("en"):
            return super().get_help_text()
        return f"密码至少需要 {self.min_length} 个字符。"
