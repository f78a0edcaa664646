"""Pages of the voting system (included at the site root)."""

from django.urls import path

from . import election_views, views

app_name = "voting"

urlpatterns = [
    path("changes/<str:reference>/vote/", views.vote_page, name="vote_page"),
    path("changes/<str:reference>/vote.json", views.vote_page_json, name="vote_page_json"),
    path("changes/<str:reference>/vote.csv", views.vote_page_csv, name="vote_page_csv"),
    path("votes/verify/", views.verify_receipt, name="verify"),
    path("my/votes/", views.my_votes, name="my_votes"),
    path("my/votes/<int:pk>/", views.my_vote_cast, name="cast"),
    path("votes/ballots/", views.ballot_list, name="ballot_list"),
    path("votes/ballots/open/", views.ballot_open_view, name="ballot_open"),
    path("votes/ballots/<int:pk>/", views.ballot_detail, name="ballot_detail"),
    path(
        "votes/ballots/<int:pk>/<str:action>/",
        views.ballot_action,
        name="ballot_action",
    ),
    path("elections/", election_views.election_list, name="election_list"),
    path("elections/manage/", election_views.election_manage, name="election_manage"),
    path("elections/<int:pk>/", election_views.election_detail, name="election_detail"),
    path(
        "elections/<int:pk>/<str:action>/",
        election_views.election_action,
        name="election_action",
    ),
]
