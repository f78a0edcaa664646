"""Panel meetings and minutes in the admin: read-only; the actions open the Panel's pages,
where notice, agenda additions, attendance, resolutions and minutes go through the services."""

from __future__ import annotations

from django.contrib import admin
from django.urls import reverse

from ..models import (
    AgendaItem,
    MeetingAttendance,
    MeetingObserver,
    MeetingPaper,
    MinutesObjection,
    PanelMeeting,
    PanelMinutes,
)
from .base import ProcessAdmin, ReadOnlyInline, link_action


def _meeting_page(name: str):  # type: ignore[no-untyped-def]
    return lambda meeting: reverse(f"panel_work:{name}", args=[meeting.pk])


class AgendaInline(ReadOnlyInline):
    model = AgendaItem


class PaperInline(ReadOnlyInline):
    model = MeetingPaper


class AttendanceInline(ReadOnlyInline):
    model = MeetingAttendance


class ObserverInline(ReadOnlyInline):
    model = MeetingObserver


@admin.register(PanelMeeting)
class PanelMeetingAdmin(ProcessAdmin):
    list_display = ("reference", "meeting_date", "status", "notice_given_on")
    list_filter = ("status", "meeting_date")
    search_fields = ("reference", "venue")
    inlines = [AgendaInline, PaperInline, AttendanceInline, ObserverInline]
    actions = (
        link_action("Open the meeting's page", _meeting_page("meeting_detail")),
        link_action("Add to the agenda (7.12.2)", _meeting_page("agenda_item_new")),
        link_action("Record attendance (6.12-6.13)", _meeting_page("attendance")),
        link_action("Record a resolution (7.19, 7.23)", _meeting_page("resolution_new")),
        link_action("Keep or circulate the minutes (7.21)", _meeting_page("minutes_edit")),
    )


def _minutes_page(name: str):  # type: ignore[no-untyped-def]
    return lambda minutes: reverse(f"panel_work:{name}", args=[minutes.meeting_id])


@admin.register(PanelMinutes)
class PanelMinutesAdmin(ProcessAdmin):
    list_display = ("meeting", "circulated_on", "approved_on", "published_on", "confidential")
    list_filter = ("confidential", "circulated_on", "approved_on")
    search_fields = ("meeting__reference", "text")
    list_select_related = ("meeting",)
    actions = (
        link_action("Circulate the minutes (7.21)", _minutes_page("minutes_circulate")),
        link_action("Record an objection (7.22)", _minutes_page("minutes_objection_new")),
        link_action("Record their approval (7.22)", _minutes_page("minutes_approve")),
        link_action("Publish them (5.3.10)", _minutes_page("minutes_publish")),
    )


@admin.register(MinutesObjection)
class MinutesObjectionAdmin(ProcessAdmin):
    list_display = ("minutes", "by", "received_on", "agenda_item")
    list_filter = ("received_on",)
    search_fields = ("minutes__meeting__reference", "items")
    list_select_related = ("minutes__meeting", "by__person", "agenda_item")
