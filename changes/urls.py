"""Pages of the change process under /changes/ (the vote is served by voting.urls)."""

from django.urls import path, re_path

from . import feeds, views

app_name = "changes"
urlpatterns = [
    path("", views.register, name="register"),
    path("register.csv", views.register_csv, name="register_csv"),
    path("feed.atom", feeds.StatusChangesFeed(), name="feed"),
    path("deadlines.ics", feeds.deadlines_ics, name="deadlines_ics"),
    path("register/copies/", views.register_copy_list, name="register_copies"),
    re_path(
        r"^register/copies/(?P<month>\d{4}-\d{2})\.(?P<fmt>csv|html)$",
        views.register_copy_download,
        name="register_copy",
    ),
    path("raise/", views.raise_proposal, name="raise"),
    path("drafts/", views.draft_list, name="drafts"),
    path("drafts/<int:pk>/", views.draft_edit, name="draft_edit"),
    path("desk/", views.desk, name="desk"),
    path("desk/<str:reference>/<slug:action>/", views.desk_action, name="desk_action"),
    path("<str:reference>/working-group/new/", views.working_group_new, name="working_group_new"),
    path("<str:reference>/consultations/new/", views.consultation_new, name="consultation_new"),
    path(
        "<str:reference>/consultations/<int:pk>/close/",
        views.consultation_close,
        name="consultation_close",
    ),
    path(
        "<str:reference>/consultations/<int:pk>/responses/new/",
        views.response_new,
        name="response_new",
    ),
    path("<str:reference>/documents/<int:pk>/", views.document_download, name="document"),
    path("<str:reference>/reports/new/", views.report_new, name="report_new"),
    path("<str:reference>/reports/<int:version>/send/", views.report_send, name="report_send"),
    path(
        "<str:reference>/reports/<int:version>/alternatives/add/",
        views.report_add_alternative,
        name="report_add_alternative",
    ),
    path("<str:reference>/alternatives/new/", views.alternative_new, name="alternative_new"),
    path(
        "<str:reference>/consultations/<int:pk>/summary/",
        views.consultation_summarise,
        name="consultation_summarise",
    ),
    path(
        "<str:reference>/working-group/<int:pk>/meetings/new/",
        views.working_group_meeting_new,
        name="working_group_meeting_new",
    ),
    path(
        "<str:reference>/working-group/<int:pk>/meetings/<int:meeting_pk>/minutes/",
        views.working_group_minutes,
        name="working_group_minutes",
    ),
    path(
        "<str:reference>/working-group/<int:pk>/members/new/",
        views.working_group_member_new,
        name="working_group_member_new",
    ),
    path(
        "<str:reference>/working-group/<int:pk>/members/remove/",
        views.working_group_member_remove,
        name="working_group_member_remove",
    ),
    path(
        "<str:reference>/working-group/<int:pk>/nominee/",
        views.working_group_nominee,
        name="working_group_nominee",
    ),
    path(
        "<str:reference>/working-group/<int:pk>/dissolve/",
        views.working_group_dissolve,
        name="working_group_dissolve",
    ),
    path(
        "<str:reference>/implementation/plan/",
        views.implementation_plan,
        name="implementation_plan",
    ),
    path(
        "<str:reference>/implementation/date/",
        views.implementation_date,
        name="implementation_date",
    ),
    path(
        "<str:reference>/authority-decision/",
        views.authority_decision,
        name="authority_decision",
    ),
    path("<str:reference>/appeals/new/", views.appeal_new, name="appeal_new"),
    path("<str:reference>/appeals/decide/", views.appeal_decide, name="appeal_decide"),
    path("<str:reference>/withdraw/", views.withdraw, name="withdraw"),
    path("<str:reference>/adopt/", views.adopt, name="adopt"),
    path("<str:reference>/", views.proposal_detail, name="detail"),
]
