"""The login/logout wiring of the browser UI and the pagination every list shares (the home page is
oversight/home.py: it reads every app)."""
from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.core.paginator import Page, Paginator
from django.http import HttpRequest
from django.utils.translation import gettext as _

PAGE_SIZE = 50  # rows per page of every list


class LoginView(auth_views.LoginView):
    """Django's login; a signed-in user goes straight to the home page."""

    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """Django's logout: POST only, so a link or an image cannot sign anyone out."""


def page_of(request: HttpRequest, queryset, notices: list[str], per_page: int = PAGE_SIZE) -> Page:
    """The requested page; a page number that is not one shows the nearest page and says so."""
    paginator = Paginator(queryset, per_page)
    raw = request.GET.get("page")
    page = paginator.get_page(raw)
    if raw is not None and not (raw.strip().isdigit() and int(raw) == page.number):
        notices.append(_("页码“%(page)s”无效,已显示第 %(number)s 页。") % {"page": raw, "number": page.number})
    return page
