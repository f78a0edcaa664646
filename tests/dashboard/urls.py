"""The site's URLs plus the Panel dashboard, as dcusa/urls.py will include them."""

from django.urls import include, path

from dcusa import dashboard_views

urlpatterns = [
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
    path("", include("dcusa.urls")),
]
