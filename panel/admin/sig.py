"""The Standing Issues Group in the admin: read-only; meetings, Issue Forms, outcomes and
minutes are recorded on the Standing Issues Group's pages, through the services (Schedule 7)."""

from __future__ import annotations

from django.contrib import admin
from django.urls import reverse

from ..models import IssueForm, SigChair, SigMeeting, SigOutcome
from .base import ProcessAdmin, link_action


@admin.register(SigChair)
class SigChairAdmin(ProcessAdmin):
    list_display = ("name", "appointed_on", "term_ends", "ended_on")
    list_filter = ("appointed_on",)
    search_fields = ("name",)


@admin.register(SigMeeting)
class SigMeetingAdmin(ProcessAdmin):
    list_display = ("reference", "meeting_date", "emergency", "cancelled", "minutes_circulated_on")
    list_filter = ("emergency", "cancelled")
    search_fields = ("reference",)
    actions = (
        link_action(
            "Open the meeting's page",
            lambda m: reverse("panel_work:sig_meeting_detail", args=[m.pk]),
        ),
        link_action(
            "Circulate the minutes (Schedule 7, 7)",
            lambda m: reverse("panel_work:sig_minutes_new", args=[m.pk]),
        ),
    )


@admin.register(IssueForm)
class IssueFormAdmin(ProcessAdmin):
    list_display = ("reference", "title", "raised_by_party", "raised_on", "status", "meeting")
    list_filter = ("status",)
    search_fields = ("reference", "title")
    list_select_related = ("raised_by_party", "meeting")
    actions = (
        link_action(
            "Record an outcome (Schedule 7, 9)",
            lambda i: reverse("panel_work:sig_outcome_new", args=[i.pk]),
        ),
    )


@admin.register(SigOutcome)
class SigOutcomeAdmin(ProcessAdmin):
    list_display = ("issue", "meeting", "agreed", "in_favour", "attending")
    list_filter = ("agreed",)
    search_fields = ("issue__reference", "recommendation")
    list_select_related = ("issue", "meeting")
