"""Public duty pages: no login; 404 unless the district turned them on."""
from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from deputies.models import Deputy

from .selectors import TTL, current_term, data_version, public_duty, public_index, public_settings


def _settings_or_404():
    settings = public_settings()
    if settings is None:
        raise Http404("履职公示页未开放。")
    return settings


def public_index_view(request):
    settings = _settings_or_404()
    term = current_term()
    q = (request.GET.get("q") or "").strip()[:50]
    key = f"public_duty:{data_version()}:index:{term.pk if term else 0}:{q}"
    html = cache.get(key)
    if html is None:
        groups = public_index(term) if term else []
        if q:
            groups = [g if q in g["street"] else {"street": g["street"],
                                                   "deputies": [d for d in g["deputies"] if q in d.name]}
                      for g in groups]
            groups = [g for g in groups if g["deputies"]]
        html = render_to_string("oversight/public/index.html",
                                {"term": term, "groups": groups, "q": q, "settings": settings})
        cache.set(key, html, TTL)
    return HttpResponse(html)


def public_deputy_view(request, pk: int):
    settings = _settings_or_404()
    key = f"public_duty:{data_version()}:deputy:{pk}"
    html = cache.get(key)
    if html is None:
        deputy = get_object_or_404(Deputy.objects.select_related("street_committee", "delegation", "term"), pk=pk)
        html = render_to_string("oversight/public/deputy.html",
                                {"deputy": deputy, "years": public_duty(deputy, timezone.localdate()), "settings": settings})
        cache.set(key, html, TTL)
    return HttpResponse(html)


class PublicDeputySitemap(Sitemap):
    """Every deputy page of the current term (asked only while the pages are on)."""

    changefreq = "monthly"

    def items(self):
        term = current_term()
        return Deputy.objects.filter(term=term).order_by("pk").only("pk") if term else Deputy.objects.none()

    def location(self, item) -> str:
        return reverse("public:deputy", args=[item.pk])


class PublicIndexSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return ["public:index"]

    def location(self, item) -> str:
        return reverse(item)


SITEMAPS = {"index": PublicIndexSitemap, "deputies": PublicDeputySitemap}


def sitemap_view(request):
    """/public/sitemap.xml: the public duty pages, 404 while they are off."""
    _settings_or_404()
    return sitemap(request, sitemaps=SITEMAPS)


def robots_txt_view(request):
    lines = ["User-agent: *", "Allow: /public/", "Disallow: /"]
    if public_settings() is not None:
        lines.append(f"Sitemap: {request.build_absolute_uri(reverse('public:sitemap'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")
