"""The Secretariat's window on ballots and elections: listed, filtered, searched and shown; nothing
is added, edited or deleted here. What the Secretariat must do is an admin action that calls the
service (permission-checked, audited), or a link to the ballot's desk page (voiding asks for the
Authority's direction there)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse

from changes.admin.base import ProcessRecordAdmin, ReadOnlyInline, action_calling, action_to_desk

from .models import (
    Ballot,
    Declaration,
    Election,
    ElectionResult,
    ElectionRound,
    Nomination,
    Question,
    Reminder,
    RollEntry,
    RollMember,
    Vote,
    VoteLogEntry,
)
from .services import ballot_declare, declaration_notify
from .services.election_results import election_count, election_results_publish
from .services.elections import candidates_publish


class QuestionInline(ReadOnlyInline):
    model = Question
    fields = ("position", "kind", "text", "options", "implementation_date")
    show_change_link = False


class RollMemberInline(ReadOnlyInline):
    model = RollMember
    fields = ("party", "idno_otso", "n")
    show_change_link = False


def _ballot_page(ballot: Ballot) -> str:
    return reverse("voting:ballot_detail", kwargs={"pk": ballot.pk})


def _declare(ballot: Ballot, by: Any) -> None:
    ballot_declare(ballot=ballot, by=by)


def _notify(ballot: Ballot, by: Any) -> None:
    declaration_notify(declaration=Declaration.objects.get(ballot=ballot), by=by)


@admin.register(Ballot)
class BallotAdmin(ProcessRecordAdmin):
    list_display = ["reference", "title", "kind", "status", "opens_at", "closes_at", "voided_at"]
    list_filter = ["kind", "status"]
    search_fields = ["reference", "title"]
    inlines = [QuestionInline]
    actions = [
        action_to_desk(
            name="close_now",
            description="Close a vote whose closing time has passed (12.4.1): asks why",
            url=lambda ballot: f"{_ballot_page(ballot)}close/",
        ),
        action_calling(
            name="declare",
            description="Declare a closed ballot (13.4)",
            done="{count} ballot(s) declared.",
            service=_declare,
        ),
        action_calling(
            name="send_notice",
            description="Send the notice of the declaration again (13.8)",
            done="{count} notice(s) sent.",
            service=_notify,
        ),
        action_to_desk(
            name="void", description="Mark the vote void (13.12.1): asks why", url=_ballot_page
        ),
    ]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return [f.name for f in self.model._meta.fields]


@admin.register(RollEntry)
class RollEntryAdmin(ProcessRecordAdmin):
    list_display = ["ballot", "category", "group_name", "n"]
    list_filter = ["category"]
    search_fields = ["group_name", "ballot__reference"]
    inlines = [RollMemberInline]


@admin.register(Vote)
class VoteAdmin(ProcessRecordAdmin):
    """Who voted and when; the choice is secret until the declaration (13.4.3): not listed."""

    list_display = ["ballot", "roll_entry", "question", "cast_at", "superseded_at"]
    list_filter = ["ballot__kind"]
    search_fields = ["ballot__reference", "roll_entry__group_name"]
    fields = ["ballot", "roll_entry", "question", "cast_by", "cast_at", "superseded_at"]


@admin.register(Declaration)
class DeclarationAdmin(ProcessRecordAdmin):
    list_display = [
        "ballot",
        "declared_at",
        "variation_outcome",
        "date_outcome",
        "combined_outcome",
    ]


@admin.register(VoteLogEntry)
class VoteLogEntryAdmin(ProcessRecordAdmin):
    list_display = ["ballot", "sequence", "entry_hash", "recorded_at"]
    search_fields = ["entry_hash"]
    # The payload holds the choice: not shown in the list, only on the entry itself.


@admin.register(Reminder)
class ReminderAdmin(ProcessRecordAdmin):
    list_display = ["ballot", "roll_entry", "working_days_before", "sent_at"]


@admin.register(Election)
class ElectionAdmin(ProcessRecordAdmin):
    list_display = ["year", "category", "role", "status", "nominations_close", "published_at"]
    list_filter = ["year", "category", "role", "status"]
    actions = [
        action_calling(
            name="notify_candidates",
            description="Notify the candidates and open the vote (6.2.3-6.2.4)",
            done="{count} election(s): candidates notified.",
            service=lambda election, by: candidates_publish(by=by, election=election),
        ),
        action_calling(
            name="count",
            description="Count the vote (6.2.7)",
            done="{count} election(s) counted.",
            service=lambda election, by: election_count(by=by, election=election),
        ),
        action_calling(
            name="publish_results",
            description="Publish the results (6.2.7)",
            done="{count} result(s) published.",
            service=lambda election, by: election_results_publish(by=by, election=election),
        ),
    ]


@admin.register(Nomination)
class NominationAdmin(ProcessRecordAdmin):
    list_display = ["election", "person", "employer_name", "nominated_by", "received_on"]
    list_filter = ["election"]


@admin.register(ElectionRound)
class ElectionRoundAdmin(ProcessRecordAdmin):
    list_display = ["election", "number", "ballot"]


@admin.register(ElectionResult)
class ElectionResultAdmin(ProcessRecordAdmin):
    list_display = ["election", "position", "nomination", "votes", "elected", "seat"]
    list_filter = ["election", "elected"]
