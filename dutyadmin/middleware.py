"""Language selection: Chinese unless the user picked English with the language switch."""
from __future__ import annotations

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    """Like Django's, but the browser's Accept-Language is not asked.

    DESIGN.md: Chinese is the default language of every page; an office computer set up in
    English must still open in Chinese. The switch (django's set_language) stores the choice in the
    language cookie, which is the only thing read here.
    """

    def process_request(self, request) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
