"""Pages of the Panel at work, included under /panel/ (Clauses 5-7, Schedule 7)."""

from django.urls import path

from . import panel_views as views

app_name = "panel_work"

urlpatterns = [
    path("meetings/", views.meeting_list, name="meeting_list"),
    path("meetings/new/", views.meeting_new, name="meeting_new"),
    path("meetings/<int:pk>/", views.meeting_view, name="meeting_detail"),
    path("meetings/<int:pk>/attendance/", views.attendance_edit, name="attendance"),
    path("meetings/<int:pk>/resolutions/new/", views.resolution_new, name="resolution_new"),
    path("members/", views.member_register, name="member_list"),
    path("minutes/", views.minutes_list, name="minutes_list"),
    path("minutes/<int:pk>/", views.minutes_detail, name="minutes_detail"),
    path("sig/", views.sig_issue_list, name="sig_issue_list"),
    path("sig/raise/", views.sig_issue_raise, name="sig_issue_raise"),
    path("sig/issues/<int:pk>/", views.sig_issue_detail, name="sig_issue_detail"),
]
