"""Pages of the change process under /changes/ (the vote is served by voting.urls)."""

from django.urls import path, re_path

from . import feeds
from .views import desk, raising, register, steps

app_name = "changes"
urlpatterns = [
    path("", register.register, name="register"),
    path("register.csv", register.register_csv, name="register_csv"),
    path("feed.atom", feeds.StatusChangesFeed(), name="feed"),
    path("deadlines.ics", feeds.deadlines_ics, name="deadlines_ics"),
    path("register/copies/", register.register_copy_list, name="register_copies"),
    re_path(
        r"^register/copies/(?P<month>[0-9]{4}-(?:0[1-9]|1[0-2]))\.(?P<fmt>csv|html)$",
        register.register_copy_download,
        name="register_copy",
    ),
    path("raise/", raising.raise_proposal, name="raise"),
    path("drafts/", raising.draft_list, name="drafts"),
    path("drafts/<int:pk>/", raising.draft_edit, name="draft_edit"),
    path("desk/", desk.desk, name="desk"),
    path("desk/<str:reference>/<slug:action>/", desk.desk_action, name="desk_action"),
    path(
        "<str:reference>/consultations/<int:pk>/close/",
        desk.consultation_close,
        name="consultation_close",
    ),
    path("<str:reference>/documents/<int:pk>/", register.document_download, name="document"),
    # Working Groups, consultations, Change Reports, decisions: one declared step each.
    *steps.urlpatterns(),
    path("<str:reference>/", register.proposal_detail, name="detail"),
]
