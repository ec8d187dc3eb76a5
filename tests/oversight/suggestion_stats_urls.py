"""The site's URLs with a stand-in suggestions:list while the liaison office's list is not installed, so the
statistics page's links can be followed in tests (the real list, once there, is used as it is)."""
from django.http import HttpResponse
from django.urls import URLResolver, include, path

from dutyadmin import urls as site
from oversight.suggestions import urls as suggestion_urls


def _list_stand_in(request):
    return HttpResponse("")


_patterns = list(suggestion_urls.urlpatterns)
if not any(getattr(p, "name", None) == "list" for p in _patterns):
    _patterns.append(path("", _list_stand_in, name="list"))

urlpatterns = [
    p for p in site.urlpatterns if not (isinstance(p, URLResolver) and p.namespace == "suggestions")
] + [path("suggestions/", include((_patterns, "suggestions")))]
