"""The Secretariat's window on ballots and elections: listed, filtered, searched and shown; nothing
is added, edited or deleted here. What the Secretariat must do is an admin action that calls the
service (permission-checked, audited), or a link to the ballot's desk page (voiding asks for the
Authority's direction there)."""

from __future__ import annotations

import json
from collections.abc import Callable
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
from .selectors import choices_published
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


SEALED = "sealed until the declaration"
# Fields that hold a Group's choice or reason: never a filter in the URL (?choice=reject would
# tell by the count), never searched, shown only once the ballot is declared (13.4.3).
SEALED_FIELDS = frozenset({"choice", "reason", "payload", "answers", "faults"})


class SealedAdmin(ProcessRecordAdmin):
    """A window on records holding choices: they show only once the ballot is declared."""

    def lookup_allowed(self, lookup: str, value: str, request: Any = None) -> bool:
        if SEALED_FIELDS.intersection(lookup.split("__")):
            return False
        return super().lookup_allowed(lookup, value, request)


def _sealed(ballot: Ballot, shown: Callable[[], Any]) -> str:
    return str(shown()) if choices_published(ballot) else SEALED


def _json(value: Any) -> str:
    return json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False)


def _ballot_page(ballot: Ballot) -> str:
    return reverse("voting:ballot_detail", kwargs={"pk": ballot.pk})


def _declare(ballot: Ballot, by: Any) -> None:
    ballot_declare(ballot=ballot, by=by)


def _notify(ballot: Ballot, by: Any) -> None:
    declaration_notify(declaration=Declaration.objects.get(ballot=ballot), by=by)


@admin.register(Ballot)
class BallotAdmin(SealedAdmin):
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

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return [f.name if f.name != "faults" else "faults_shown" for f in self.model._meta.fields]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return self.get_fields(request, obj)

    @admin.display(description="faults")
    def faults_shown(self, ballot: Ballot) -> str:
        """Which entries are at fault may name a choice: counted here until the declaration; the
        faults page lists them."""
        faults = ballot.faults or []
        if choices_published(ballot) or not faults:
            return _json(faults)
        return f"{len(faults)} at fault ({SEALED}; see the ballot's faults page)"


@admin.register(RollEntry)
class RollEntryAdmin(SealedAdmin):
    list_display = ["ballot", "category", "group_name", "n"]
    list_filter = ["category"]
    search_fields = ["group_name", "ballot__reference"]
    inlines = [RollMemberInline]


@admin.register(Vote)
class VoteAdmin(SealedAdmin):
    """Who voted and when; the choice and the reason are sealed until the declaration (13.4.3)."""

    list_display = ["ballot", "roll_entry", "question", "cast_at", "superseded_at", "choice_shown"]
    list_filter = ["ballot__kind"]
    list_select_related = ["ballot", "roll_entry", "question__ballot"]
    search_fields = ["ballot__reference", "roll_entry__group_name"]
    fields = [
        "ballot",
        "roll_entry",
        "question",
        "cast_by",
        "cast_at",
        "superseded_at",
        "choice_shown",
        "reason_shown",
    ]
    readonly_fields = ["choice_shown", "reason_shown"]

    @admin.display(description="choice")
    def choice_shown(self, vote: Vote) -> str:
        return _sealed(vote.ballot, lambda: vote.question.choice_label(vote.choice))

    @admin.display(description="reason")
    def reason_shown(self, vote: Vote) -> str:
        return _sealed(vote.ballot, lambda: vote.reason or "-")


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
class VoteLogEntryAdmin(SealedAdmin):
    """The chain (sequence, hashes, time) always; the payload, which holds the Group, its
    choices and its reason, only once the ballot is declared (13.4.3)."""

    list_display = ["ballot", "sequence", "entry_hash", "recorded_at"]
    list_select_related = ["ballot"]
    search_fields = ["entry_hash"]
    fields = ["ballot", "sequence", "previous_hash", "entry_hash", "recorded_at", "payload_shown"]
    readonly_fields = ["payload_shown"]

    @admin.display(description="payload")
    def payload_shown(self, entry: VoteLogEntry) -> str:
        return _sealed(entry.ballot, lambda: _json(entry.payload))


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
