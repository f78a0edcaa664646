"""Admin for the Secretariat: ballots are read here; every change goes through the services."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from panel.errors import DomainError

from .models import Ballot, Declaration, Question, Reminder, RollEntry, VoteLogEntry
from .services import ballot_close


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0
    can_delete = False
    readonly_fields = ("position", "kind", "text", "options", "implementation_date")
    fields = ("position", "kind", "text", "options", "implementation_date")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Ballot)
class BallotAdmin(ReadOnlyAdmin):
    list_display = ["reference", "title", "kind", "status", "opens_at", "closes_at", "voided_at"]
    list_filter = ["kind", "status"]
    search_fields = ["reference", "title"]
    inlines = [QuestionInline]
    actions = ["close_now"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.method == "GET" or request.POST.get("action") == "close_now"

    @admin.action(description="Close voting now and declare (Secretariat)")
    def close_now(self, request: HttpRequest, queryset: QuerySet[Ballot]) -> None:
        for ballot in queryset:
            try:
                ballot_close(ballot=ballot, by=request.user)  # type: ignore[arg-type]
            except DomainError as exc:
                self.message_user(request, f"{ballot}: {exc.message}", messages.ERROR)
            else:
                self.message_user(request, f"{ballot}: closed.", messages.SUCCESS)


@admin.register(RollEntry)
class RollEntryAdmin(ReadOnlyAdmin):
    list_display = ["ballot", "category", "group_name", "n"]
    list_filter = ["category"]
    search_fields = ["group_name", "ballot__reference"]


@admin.register(Declaration)
class DeclarationAdmin(ReadOnlyAdmin):
    list_display = [
        "ballot",
        "declared_at",
        "variation_outcome",
        "date_outcome",
        "combined_outcome",
    ]


@admin.register(VoteLogEntry)
class VoteLogEntryAdmin(ReadOnlyAdmin):
    list_display = ["ballot", "sequence", "entry_hash", "recorded_at"]
    search_fields = ["entry_hash"]
    # The payload holds the choice: not shown in the list, only on the entry itself.


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    list_display = ["ballot", "roll_entry", "working_days_before", "sent_at"]
