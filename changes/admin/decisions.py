"""Change Reports and alternatives, the Authority's decisions, appeals and implementation."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from .. import models, services
from .base import ProcessRecordAdmin, ReadOnlyInline, action_calling, action_to_desk
from .links import desk


@admin.register(models.AlternativeVariation)
class AlternativeVariationAdmin(ProcessRecordAdmin):
    list_display = ("__str__", "proposal", "letter", "source", "put_forward_by", "by_proposer")
    list_filter = ("source", "by_proposer")
    search_fields = ("proposal__number", "description")


@admin.register(models.ChangeReport)
class ChangeReportAdmin(ProcessRecordAdmin):
    list_display = ("proposal", "version", "implementation_date", "sent_to_authority_on")
    list_filter = ("authority_exempted_wait",)
    search_fields = ("proposal__number", "proposal__title")
    actions = [
        action_to_desk(
            name="send_to_authority",
            description="Send to the Authority (11.22)",
            url=lambda r: desk("report_send", r.proposal, r.version),
        ),
        action_to_desk(
            name="add_alternative",
            description="Add an alternative (11.23)",
            url=lambda r: desk("report_add_alternative", r.proposal, r.version),
        ),
    ]


@admin.register(models.AuthorityDecision)
class AuthorityDecisionAdmin(ProcessRecordAdmin):
    list_display = ("proposal", "kind", "decided_on", "recorded_by")
    list_filter = ("kind",)
    search_fields = ("proposal__number", "reasons")
    actions = [
        action_to_desk(
            name="record_decision",
            description="Record another decision of the Authority on this proposal",
            url=lambda d: desk("authority_decision", d.proposal),
        )
    ]


@admin.register(models.AppealRecord)
class AppealRecordAdmin(ProcessRecordAdmin):
    list_display = ("proposal", "appellant_name", "lodged_on", "against", "outcome", "decided_on")
    list_filter = ("against", "outcome")
    search_fields = ("proposal__number", "appellant_name")
    actions = [
        action_to_desk(
            name="decide_appeal",
            description="Record the Authority's decision on the appeal (13.20-13.22)",
            url=lambda a: desk("appeal_decide", a.proposal),
        )
    ]


class ActionInline(ReadOnlyInline):
    model = models.ImplementationAction
    fields = ("description", "due_on", "done_on", "superseded_on")
    show_change_link = False


class DateChangeInline(ReadOnlyInline):
    model = models.ImplementationDateChange
    fields = ("old_date", "new_date", "basis", "directed_on")
    show_change_link = False


@admin.register(models.ImplementationPlan)
class ImplementationPlanAdmin(ProcessRecordAdmin):
    list_display = ("proposal", "implementation_date", "set_on")
    search_fields = ("proposal__number",)
    inlines = [ActionInline, DateChangeInline]
    actions = [
        action_to_desk(
            name="direct_date",
            description="Record a new implementation date directed by the Authority (14.9-14.11)",
            url=lambda plan: desk("implementation_date", plan.proposal),
        )
    ]


def _action_done(action: models.ImplementationAction, by: Any) -> None:
    services.implementation_action_done(action=action, by=by)


@admin.register(models.ImplementationAction)
class ImplementationActionAdmin(ProcessRecordAdmin):
    list_display = ("description", "plan", "due_on", "done_on", "superseded_on")
    list_filter = (
        ("done_on", admin.EmptyFieldListFilter),
        ("superseded_on", admin.EmptyFieldListFilter),
    )
    search_fields = ("description", "plan__proposal__number")
    actions = [
        action_calling(
            name="mark_done",
            description="Record as done today (14.7)",
            done="{count} action(s) recorded as done.",
            service=_action_done,
        )
    ]
