"""Pages of the change process under /changes/ (the vote is served by voting.urls)."""

from django.urls import path, re_path

from . import feeds
from .views import authority, desk, party_steps, raising, register, steps

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
    path("drafts/<int:pk>/delete/", raising.draft_delete, name="draft_delete"),
    path("desk/", desk.desk, name="desk"),
    # The Authority's own steps (changes.views.authority).
    path("awaiting-authority/", authority.authority_queue, name="authority_queue"),
    path("<str:reference>/authority/decide/", authority.authority_decide, name="authority_decide"),
    path(
        "<str:reference>/authority/appeals/<int:pk>/",
        authority.authority_appeal,
        name="authority_appeal",
    ),
    path(
        "<str:reference>/authority/direct/<slug:action>/",
        authority.authority_direct,
        name="authority_direct",
    ),
    path(
        "<str:reference>/authority/reports/<int:version>/waive-wait/",
        authority.authority_waive_wait,
        name="authority_waive_wait",
    ),
    path(
        "<str:reference>/authority/implementation-date/",
        authority.authority_implementation_date,
        name="authority_implementation_date",
    ),
    # A Party's own steps (changes.views.party_steps).
    path("<str:reference>/appeal/", party_steps.party_appeal, name="party_appeal"),
    path("<str:reference>/withdrawal/", party_steps.party_withdraw, name="party_withdraw"),
    path("<str:reference>/adoption/", party_steps.party_adopt, name="party_adopt"),
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
