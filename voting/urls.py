"""Pages of the voting system (included at the site root)."""

from django.urls import path

from .views import ballots, elections, integrity, log, party, publication, verify

app_name = "voting"

urlpatterns = [
    path("changes/<str:reference>/vote/", publication.vote_page, name="vote_page"),
    path("changes/<str:reference>/vote.json", publication.vote_page_json, name="vote_page_json"),
    path("changes/<str:reference>/vote.csv", publication.vote_page_csv, name="vote_page_csv"),
    path("changes/<str:reference>/vote/log.json", log.log_json, name="vote_log_json"),
    path("changes/<str:reference>/vote/log.csv", log.log_csv, name="vote_log_csv"),
    path("votes/verify/", verify.verify_receipt, name="verify"),
    path("my/votes/", party.my_votes, name="my_votes"),
    path("my/votes/<int:pk>/", party.my_vote_cast, name="cast"),
    path("votes/ballots/", ballots.ballot_list, name="ballot_list"),
    path("votes/ballots/open/", ballots.ballot_open_view, name="ballot_open"),
    path("votes/ballots/<int:pk>/", ballots.ballot_detail, name="ballot_detail"),
    path("votes/ballots/<int:pk>/faults/", integrity.ballot_faults, name="ballot_faults"),
    path(
        "votes/ballots/<int:pk>/<str:action>/",
        ballots.ballot_action,
        name="ballot_action",
    ),
    path("elections/", elections.election_list, name="election_list"),
    path("elections/manage/", elections.election_manage, name="election_manage"),
    path("elections/<int:pk>/", elections.election_detail, name="election_detail"),
    path(
        "elections/<int:pk>/<str:action>/",
        elections.election_action,
        name="election_action",
    ),
]
