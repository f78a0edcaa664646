"""Pages of the Panel at work, included under /panel/ (Clauses 5-7, Schedule 7)."""

from django.urls import path

from . import panel_views as views

app_name = "panel_work"

urlpatterns = [
    path("meetings/", views.meeting_list, name="meeting_list"),
    path("meetings/new/", views.meeting_new, name="meeting_new"),
    path("meetings/requisition/", views.meeting_requisition, name="meeting_requisition"),
    path("meetings/<int:pk>/", views.meeting_view, name="meeting_detail"),
    path("meetings/<int:pk>/attendance/", views.attendance_edit, name="attendance"),
    path("meetings/<int:pk>/resolutions/new/", views.resolution_new, name="resolution_new"),
    path("meetings/<int:pk>/agenda/new/", views.agenda_item_new, name="agenda_item_new"),
    path("meetings/<int:pk>/observers/new/", views.observer_new, name="observer_new"),
    path("meetings/<int:pk>/chair/", views.panel_chair_new, name="panel_chair_new"),
    path("meetings/<int:pk>/minutes/", views.minutes_edit, name="minutes_edit"),
    path(
        "meetings/<int:pk>/minutes/circulate/",
        views.minutes_circulate_view,
        name="minutes_circulate",
    ),
    path(
        "meetings/<int:pk>/minutes/objections/new/",
        views.minutes_objection_new,
        name="minutes_objection_new",
    ),
    path("meetings/<int:pk>/minutes/approve/", views.minutes_approve_view, name="minutes_approve"),
    path("meetings/<int:pk>/minutes/publish/", views.minutes_publish_view, name="minutes_publish"),
    path("resolutions/written/", views.written_resolution_list, name="written_resolution_list"),
    path("resolutions/written/new/", views.written_resolution_new, name="written_resolution_new"),
    path("members/", views.member_register, name="member_list"),
    path("minutes/", views.minutes_list, name="minutes_list"),
    path("minutes/<int:pk>/", views.minutes_detail, name="minutes_detail"),
    path("sig/", views.sig_issue_list, name="sig_issue_list"),
    path("sig/raise/", views.sig_issue_raise, name="sig_issue_raise"),
    path("sig/issues/<int:pk>/", views.sig_issue_detail, name="sig_issue_detail"),
    path("sig/issues/<int:pk>/outcome/", views.sig_outcome_new, name="sig_outcome_new"),
    path("sig/meetings/", views.sig_meeting_list, name="sig_meeting_list"),
    path("sig/meetings/new/", views.sig_meeting_new, name="sig_meeting_new"),
    path("sig/meetings/<int:pk>/", views.sig_meeting_view, name="sig_meeting_detail"),
    path("sig/meetings/<int:pk>/minutes/", views.sig_minutes_new, name="sig_minutes_new"),
]
