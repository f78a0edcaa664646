"""Pages of the Panel at work, included under /panel/ (Clauses 5-7, Schedule 7).

Each Secretariat form is a declared step (`views.steps.Step`) served by the one step view.
"""

from django.urls import path

from .views import meetings, members, minutes, resolutions, sig

app_name = "panel_work"

urlpatterns = [
    path("meetings/", meetings.meeting_list, name="meeting_list"),
    path("meetings/new/", meetings.SCHEDULE.view(), name="meeting_new"),
    path("meetings/requisition/", meetings.REQUISITION.view(), name="meeting_requisition"),
    path("meetings/<int:pk>/", meetings.meeting_view, name="meeting_detail"),
    path("meetings/<int:pk>/attendance/", meetings.ATTENDANCE.view(), name="attendance"),
    path(
        "meetings/<int:pk>/resolutions/new/",
        resolutions.RESOLUTION.view(),
        name="resolution_new",
    ),
    path("meetings/<int:pk>/agenda/new/", meetings.AGENDA_ITEM.view(), name="agenda_item_new"),
    path("meetings/<int:pk>/observers/new/", meetings.OBSERVER.view(), name="observer_new"),
    path("meetings/<int:pk>/chair/", resolutions.PANEL_CHAIR.view(), name="panel_chair_new"),
    path("meetings/<int:pk>/minutes/", minutes.DRAFT.view(), name="minutes_edit"),
    path(
        "meetings/<int:pk>/minutes/circulate/", minutes.CIRCULATE.view(), name="minutes_circulate"
    ),
    path(
        "meetings/<int:pk>/minutes/objections/new/",
        minutes.OBJECTION.view(),
        name="minutes_objection_new",
    ),
    path("meetings/<int:pk>/minutes/approve/", minutes.APPROVE.view(), name="minutes_approve"),
    path("meetings/<int:pk>/minutes/publish/", minutes.PUBLISH.view(), name="minutes_publish"),
    path(
        "resolutions/written/",
        resolutions.written_resolution_list,
        name="written_resolution_list",
    ),
    path(
        "resolutions/written/new/",
        resolutions.WRITTEN_RESOLUTION.view(),
        name="written_resolution_new",
    ),
    path("members/", members.member_register, name="member_list"),
    path("minutes/", minutes.minutes_list, name="minutes_list"),
    path("minutes/<int:pk>/", minutes.minutes_detail, name="minutes_detail"),
    path("sig/", sig.sig_issue_list, name="sig_issue_list"),
    path("sig/raise/", sig.ISSUE_RAISE.view(), name="sig_issue_raise"),
    path("sig/issues/<int:pk>/", sig.sig_issue_detail, name="sig_issue_detail"),
    path("sig/issues/<int:pk>/outcome/", sig.SIG_OUTCOME.view(), name="sig_outcome_new"),
    path("sig/meetings/", sig.sig_meeting_list, name="sig_meeting_list"),
    path("sig/meetings/new/", sig.SIG_MEETING.view(), name="sig_meeting_new"),
    path("sig/meetings/<int:pk>/", sig.sig_meeting_view, name="sig_meeting_detail"),
    path("sig/meetings/<int:pk>/minutes/", sig.SIG_MINUTES.view(), name="sig_minutes_new"),
]
