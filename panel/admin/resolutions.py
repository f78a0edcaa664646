"""Panel resolutions in the admin: read-only, with each Panel Member's vote (7.23); they are
taken on the meeting's page or as written resolutions (7.19-7.20)."""

from __future__ import annotations

from django.contrib import admin
from django.urls import reverse

from ..models import Resolution, ResolutionConflict, ResolutionVote
from .base import ProcessAdmin, ReadOnlyInline, link_action


class VoteInline(ReadOnlyInline):
    model = ResolutionVote


class ConflictInline(ReadOnlyInline):
    model = ResolutionConflict


@admin.register(Resolution)
class ResolutionAdmin(ProcessAdmin):
    list_display = ("reference", "kind", "title", "passed", "decided_on")
    list_filter = ("kind", "passed", "written")
    search_fields = ("reference", "title")
    list_select_related = ("meeting", "target_party")
    inlines = [VoteInline, ConflictInline]
    actions = (
        link_action(
            "Record a written resolution (7.20)",
            lambda r: reverse("panel_work:written_resolution_new"),
        ),
    )
