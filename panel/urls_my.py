"""A Party's authorised voters, under /my/parties/ (panel.views.voters)."""

from django.urls import path

from .views import voters

app_name = "voters"
urlpatterns = [
    path("voters/pending/", voters.pending_nominations, name="pending"),
    path("voters/pending/<int:pk>/confirm/", voters.nomination_confirm, name="confirm"),
    path("<str:short_code>/voters/", voters.party_voters, name="party_voters"),
    path("<str:short_code>/voters/<int:pk>/remove/", voters.voter_remove, name="remove"),
    path(
        "<str:short_code>/voters/<int:pk>/enrolment-code/",
        voters.voter_enrolment_code,
        name="enrolment_code",
    ),
]
