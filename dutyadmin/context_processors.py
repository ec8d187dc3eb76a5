from django.conf import settings

from dutyadmin.scope import scope_for


def navigation(request):
    """The user's scope and the district's name, for the header and the menu."""
    return {
        "scope": scope_for(getattr(request, "user", None)),
        "district_name": settings.DISTRICT_NAME,
    }
