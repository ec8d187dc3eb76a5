"""The login/logout wiring of the browser UI (the home page is oversight/home.py: it reads every app;
pagination is dutyadmin/list_views.page_of)."""
from __future__ import annotations

from django.contrib.auth import views as auth_views


class LoginView(auth_views.LoginView):
    """Django's login; a signed-in user goes straight to the home page."""

    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """Django's logout: POST only, so a link or an image cannot sign anyone out."""
