"""Request parsers with Chinese messages (DRF formats its JSON error before translating it)."""
from __future__ import annotations

from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except ParseError as exc:
            raise ParseError(f"请求体不是有效的 JSON:{exc.detail}") from exc


# What every API view accepts: JSON, and forms (multipart for file uploads).
PARSER_CLASSES = [JSONParser, parsers.FormParser, parsers.MultiPartParser]
