"""Working Groups, their members and meetings; consultations and their responses."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from .. import models, services
from .base import ProcessRecordAdmin, ReadOnlyInline, action_to_desk, action_with_reason
from .links import desk


class MemberInline(ReadOnlyInline):
    model = models.WorkingGroupMember
    fields = ("name", "organisation", "party", "is_proposer_nominee", "joined_on", "left_on")
    show_change_link = False


class MeetingInline(ReadOnlyInline):
    model = models.WorkingGroupMeeting
    fields = ("held_on", "agenda", "minutes", "voided_on", "void_reason")


def _group_desk(name: str):  # type: ignore[no-untyped-def]
    return lambda g: desk(name, g.proposal, g.pk)


@admin.register(models.WorkingGroup)
class WorkingGroupAdmin(ProcessRecordAdmin):
    list_display = ("name", "proposal", "standing", "created_on", "dissolved_on")
    list_filter = ("standing", ("dissolved_on", admin.EmptyFieldListFilter))
    search_fields = ("name", "proposal__number", "proposal__title")
    inlines = [MemberInline, MeetingInline]
    actions = [
        action_to_desk(
            name="record_meeting",
            description="Record a meeting (11.16)",
            url=_group_desk("working_group_meeting_new"),
        ),
        action_to_desk(
            name="add_member",
            description="Add a member (11.15)",
            url=_group_desk("working_group_member_new"),
        ),
        action_to_desk(
            name="dissolve",
            description="Dissolve (11.32): asks for the reason",
            url=_group_desk("working_group_dissolve"),
        ),
    ]


@admin.register(models.WorkingGroupMeeting)
class WorkingGroupMeetingAdmin(ProcessRecordAdmin):
    list_display = ("working_group", "held_on", "voided_on")
    list_filter = (("voided_on", admin.EmptyFieldListFilter),)
    search_fields = ("working_group__name", "agenda")
    actions = [
        action_with_reason(
            name="void_meetings",
            description="Mark void (recorded by mistake): asks for the reason",
            done="{count} meeting record(s) marked void.",
            service=lambda meeting, by, reason: services.working_group_meeting_void(
                meeting=meeting, by=by, reason=reason
            ),
        )
    ]


class QuestionInline(ReadOnlyInline):
    model = models.ConsultationQuestion
    fields = ("number", "text")
    show_change_link = False


@admin.register(models.Consultation)
class ConsultationAdmin(ProcessRecordAdmin):
    list_display = ("title", "proposal", "opens_on", "closes_on", "closed_on", "final_draft")
    list_filter = ("final_draft",)
    search_fields = ("title", "proposal__number")
    inlines = [QuestionInline]
    actions = [
        action_to_desk(
            name="close_consultation",
            description="Close (11.17)",
            url=lambda c: desk("consultation_close", c.proposal, c.pk),
        ),
        action_to_desk(
            name="summarise_responses",
            description="Summarise the responses (11.20.6)",
            url=lambda c: desk("consultation_summarise", c.proposal, c.pk),
        ),
        action_to_desk(
            name="record_response",
            description="Record a response received",
            url=lambda c: desk("response_new", c.proposal, c.pk),
        ),
    ]


class AnswerInline(ReadOnlyInline):
    model = models.ConsultationAnswer
    fields = ("question", "text", "confidential")
    show_change_link = False


@admin.register(models.ConsultationResponse)
class ConsultationResponseAdmin(ProcessRecordAdmin):
    list_display = (
        "respondent_name",
        "consultation",
        "submitted_on",
        "late",
        "confidential",
        "voided_on",
    )
    list_filter = ("late", "confidential", ("voided_on", admin.EmptyFieldListFilter))
    search_fields = ("respondent_name", "consultation__proposal__number")
    inlines = [AnswerInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[models.ConsultationResponse]:
        """Submitted responses only: a draft is seen by its author alone."""
        return super().get_queryset(request).filter(status="submitted")

    actions = [
        action_with_reason(
            name="void_responses",
            description="Mark void (entered by mistake): asks for the reason",
            done="{count} response(s) marked void.",
            service=lambda response, by, reason: services.consultation_response_void(
                response=response, by=by, reason=reason
            ),
        )
    ]
