"""The login/logout wiring of the browser UI (the home page is oversight/home.py: it reads every app;
pagination is dutyadmin/list_views.page_of)."""
from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.generic import TemplateView

from dutyadmin.accounts import current_lockouts, unlock
from dutyadmin.list_views import page_of
from dutyadmin.permissions import allows


class LoginView(auth_views.LoginView):
    """Django's login; a signed-in user goes straight to the home page."""

    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """Django's logout: POST only, so a link or an image cannot sign anyone out."""


# --- auth15: password change, "forgot password" explained, the liaison office's lockout list --------------


class PasswordChangeView(auth_views.PasswordChangeView):
    """A signed-in user changes their password (Django's form and validators, messages in Chinese);
    the session stays, the user's API tokens end (dutyadmin/accounts.py)."""

    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, "密码已修改。用过的 API 令牌已失效，如需请重新获取。")
        return response


class PasswordForgottenView(TemplateView):
    """No e-mail in this deployment: the page says who sets a temporary password."""

    template_name = "registration/password_forgotten.html"


class UnlockForm(forms.Form):
    kind = forms.ChoiceField(choices=[("username", "账户"), ("ip_address", "IP 地址")])
    value = forms.CharField(max_length=255)


@login_required
def lockout_list_view(request):
    """Accounts and addresses locked out after failed logins, each with an unlock button."""
    if not allows(request.user, "unlock_logins"):
        raise PermissionDenied("只有人大常委会代表联络室或系统管理员可以解除登录锁定。")
    if request.method == "POST":
        form = UnlockForm(request.POST)
        if form.is_valid():
            kind, value = form.cleaned_data["kind"], form.cleaned_data["value"]
            label = dict(form.fields["kind"].choices)[kind]
            if unlock(kind, value):
                messages.success(request, f"已解除{label}“{value}”的登录锁定，可以重新登录。")
            else:
                messages.info(request, f"{label}“{value}”当前没有被锁定。")
        else:
            messages.error(request, "解锁请求无效，请从列表中点“解锁”。")
        return redirect("lockouts")
    notices: list[str] = []
    q = request.GET.get("q", "").strip()
    page = page_of(request, current_lockouts(q), notices)
    return render(request, "dutyadmin/lockout_list.html", {
        "page": page, "q": q, "notices": notices,
        "limit": settings.AXES_FAILURE_LIMIT, "minutes": settings.AXES_COOLOFF_MINUTES,
    })
