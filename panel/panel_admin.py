"""Admin for the Panel at work (imported from panel/admin.py).

Changes that have rules (vacancies, resolutions, suspensions) go through the pages and services;
the admin is for reading and for correcting plain records.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .governance import (
    AgendaItem,
    IssueForm,
    MeetingAttendance,
    MeetingObserver,
    MeetingPaper,
    MinutesObjection,
    NonVotingAppointment,
    PanelAppointment,
    PanelChair,
    PanelMeeting,
    PanelMinutes,
    PanelVacancy,
    Resolution,
    ResolutionConflict,
    ResolutionVote,
    SigChair,
    SigMeeting,
    SigOutcome,
)


@admin.register(PanelAppointment)
class PanelAppointmentAdmin(SimpleHistoryAdmin):
    list_display = (
        "person",
        "role",
        "constituency",
        "seat",
        "employer",
        "appointed_from",
        "term_ends",
        "ended_on",
        "end_reason",
    )
    list_filter = ("role", "constituency", "end_reason")
    search_fields = ("person__first_name", "person__last_name", "person__username")
    raw_id_fields = ("person", "employer", "allocated_to", "replaces")
    readonly_fields = ("term_ends",)


@admin.register(PanelVacancy)
class PanelVacancyAdmin(admin.ModelAdmin):
    list_display = ("vacated", "arose_on", "reason", "outcome", "filled_by")
    list_filter = ("outcome", "reason")
    readonly_fields = ("vacated", "arose_on", "reason", "filled_by", "created_at")


@admin.register(NonVotingAppointment)
class NonVotingAppointmentAdmin(admin.ModelAdmin):
    list_display = ("name", "body", "appointed_from", "ended_on")
    list_filter = ("body",)


class AgendaInline(admin.TabularInline):
    model = AgendaItem
    extra = 0


class PaperInline(admin.TabularInline):
    model = MeetingPaper
    extra = 0


class AttendanceInline(admin.TabularInline):
    model = MeetingAttendance
    extra = 0
    raw_id_fields = ("appointment", "acting_for")


class ObserverInline(admin.TabularInline):
    model = MeetingObserver
    extra = 0


@admin.register(PanelMeeting)
class PanelMeetingAdmin(SimpleHistoryAdmin):
    list_display = ("reference", "meeting_date", "status", "notice_given_on")
    list_filter = ("status",)
    search_fields = ("reference",)
    inlines = [AgendaInline, PaperInline, AttendanceInline, ObserverInline]


@admin.register(PanelMinutes)
class PanelMinutesAdmin(admin.ModelAdmin):
    list_display = ("meeting", "circulated_on", "approved_on", "published_on", "confidential")
    readonly_fields = ("published_on",)


@admin.register(MinutesObjection)
class MinutesObjectionAdmin(admin.ModelAdmin):
    list_display = ("minutes", "by", "received_on", "agenda_item")


class VoteInline(admin.TabularInline):
    model = ResolutionVote
    extra = 0
    can_delete = False
    readonly_fields = ("member", "cast_by", "choice")

    def has_add_permission(self, request, obj=None):
        return False


class ConflictInline(admin.TabularInline):
    model = ResolutionConflict
    extra = 0
    can_delete = False
    readonly_fields = ("appointment", "note", "excluded")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Resolution)
class ResolutionAdmin(admin.ModelAdmin):
    """Read-only: resolutions are taken through the meeting page (7.19, 7.23)."""

    list_display = ("reference", "kind", "title", "passed", "decided_on")
    list_filter = ("kind", "passed", "written")
    search_fields = ("reference", "title")
    inlines = [VoteInline, ConflictInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PanelChair)
class PanelChairAdmin(admin.ModelAdmin):
    """Appointed through the Panel's resolution (7.1): read here, correct plain fields only."""

    list_display = ("appointment", "appointed_on", "ended_on", "end_reason")
    readonly_fields = ("appointment", "resolution", "appointed_on")


@admin.register(SigChair)
class SigChairAdmin(admin.ModelAdmin):
    list_display = ("name", "appointed_on", "term_ends", "ended_on")


@admin.register(SigMeeting)
class SigMeetingAdmin(admin.ModelAdmin):
    list_display = ("reference", "meeting_date", "emergency", "cancelled", "minutes_circulated_on")


@admin.register(IssueForm)
class IssueFormAdmin(admin.ModelAdmin):
    list_display = ("reference", "title", "raised_by_party", "raised_on", "status", "meeting")
    list_filter = ("status",)
    search_fields = ("reference", "title")


@admin.register(SigOutcome)
class SigOutcomeAdmin(admin.ModelAdmin):
    list_display = ("issue", "meeting", "agreed", "in_favour", "attending")
