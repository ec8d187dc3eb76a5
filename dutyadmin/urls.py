from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from dutyadmin import views as ui_views
from dutyadmin import audit_views  # --- audit15
from dutyadmin.health import healthz
from oversight.home import home
from oversight.public import manage as public_manage
from oversight.public import views as public_views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz/", healthz, name="healthz"),
    # REST API (DESIGN.md contract); Swagger UI is served from drf_spectacular_sidecar, no CDN.
    path("api/v1/", include("dutyadmin.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    # Browser UI
    path("", home, name="home"),
    path("accounts/login/", ui_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", ui_views.LogoutView.as_view(), name="logout"),
    path("deputies/", include("deputies.urls")),
    path("meetings/", include("meetings.urls")),
    path("oversight/", include("oversight.urls")),
    path("exports/", include("dutyadmin.export_urls")),
    path("activities/", include("activities.urls")),
    path("suggestions/", include("oversight.suggestions.urls")),
    # --- contacts: A10.5 standing-committee members' contacts with their deputies
    path("contacts/", include("oversight.contacts.urls")),
    # --- opinions: constituents' opinions (issue 14) ---
    path("opinions/", include("oversight.opinions.urls")),
    # --- receptions: A10.6 主任会议成员接待代表 and the streets' recommended deputies
    path("receptions/", include("oversight.receptions.urls")),
    # --- public: the public duty pages (no login; off unless turned on) and robots.txt
    path("public/", include("oversight.public.urls")),
    path("robots.txt", public_views.robots_txt_view, name="robots_txt"),
    path("public-settings/", include(([
        path("", public_manage.public_settings_view, name="settings"),
        path("interventions/<int:pk>/publish/", public_manage.intervention_publish_view, name="publish"),
    ], "public_manage"))),
    # --- calendar: a deputy's private calendar feed (the .ics address needs no login; its token is the secret)
    path("calendar/", include("oversight.calendar.urls")),
    # --- auth15: password change, "forgot password", the liaison office's lockout list
    path("accounts/password/", ui_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/forgotten/", ui_views.PasswordForgottenView.as_view(), name="password_forgotten"),
    path("accounts/lockouts/", ui_views.lockout_list_view, name="lockouts"),
    # --- audit15: the audit log (administrator)
    path("audit/", include(([path("", audit_views.audit_list_view, name="list")], "audit"))),
]
# Uploaded files (leave certificates, materials) are never served from /media/: each is downloaded
# through a view that checks the user's scope.
# --- list18: the bare ListView that bench/pages.py measures the deputy list against; only with DUTYADMIN_BENCH_VIEWS=1
import os  # noqa: E402  (kept in this block: the one line the benchmark adds)

if os.environ.get("DUTYADMIN_BENCH_VIEWS") == "1":
    urlpatterns.append(path("bench/", include("bench.views")))
