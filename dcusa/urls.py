"""URL map of the product (composition root)."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from . import accounts, party_home, views
from .dashboard import views as dashboard_views

admin.site.site_header = "DCUSA Secretariat"
admin.site.site_title = "DCUSA Secretariat"
admin.site.index_title = "Register and change process"

urlpatterns = [
    path("", views.home, name="home"),
    path("signed-in/", views.signed_in, name="signed_in"),
    path("my/", party_home.my_home, name="my_home"),
    path("my/consultations/", include("changes.urls_my")),
    path("my/parties/", include("panel.urls_my")),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/two-factor/", accounts.two_factor, name="two_factor"),
    path(
        "accounts/password_reset/",
        auth_views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("panel/dashboard/", dashboard_views.dashboard, name="panel-dashboard"),
    path(
        "panel/dashboard/proposals-by-state.csv",
        dashboard_views.proposals_by_state_csv,
        name="panel-dashboard-states-csv",
    ),
    path(
        "panel/dashboard/deadlines.csv",
        dashboard_views.deadlines_csv,
        name="panel-dashboard-deadlines-csv",
    ),
    path(
        "panel/dashboard/stage-times.csv",
        dashboard_views.stage_times_csv,
        name="panel-dashboard-stage-times-csv",
    ),
    path(
        "panel/dashboard/turnout.csv",
        dashboard_views.turnout_csv,
        name="panel-dashboard-turnout-csv",
    ),
    path("panel/", include("panel.panel_urls")),
    path("", include("panel.urls")),
    path("changes/", include("changes.urls")),
    path("", include("voting.urls")),
    path("api/v1/", include("dcusa.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
]
