"""Admin for the change process. Status is read-only here: it moves only through the services."""

from __future__ import annotations

from django.contrib import admin

from . import models


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False


class EventInline(ReadOnlyInline):
    model = models.ProposalEvent
    fields = ("on", "action", "from_state", "to_state", "actor", "reason")
    readonly_fields = fields
    ordering = ("pk",)


class DeadlineInline(ReadOnlyInline):
    model = models.Deadline
    fields = ("what", "rule", "opened_on", "due_on", "closed_on", "met", "overdue_flagged_on")
    readonly_fields = fields


class DocumentInline(admin.TabularInline):
    model = models.ChangeDocument
    extra = 0
    fields = ("title", "file", "confidential", "uploaded_by")


class ReportInline(ReadOnlyInline):
    model = models.ChangeReport
    fields = ("version", "implementation_date", "sent_to_authority_on", "authority_exempted_wait")
    readonly_fields = fields


@admin.register(models.ChangeProposal)
class ChangeProposalAdmin(admin.ModelAdmin):
    list_display = (
        "reference",
        "title",
        "proposer_display",
        "status",
        "part",
        "urgent",
        "submitted_on",
    )
    list_filter = ("status", "part", "urgent", "proposer_kind", "definition_procedure")
    search_fields = ("number", "title", "description", "proposer_party__name", "proposer_name")
    readonly_fields = (
        "number",
        "status",
        "current_deadline",
        "resume_status",
        "vote_outcome",
        "date_outcome",
        "appeal_window_ends",
        "decided_on",
        "accepted_on",
        "submitted_on",
    )
    raw_id_fields = ("proposer_party", "raised_by", "significant_code_review")
    inlines = [EventInline, DeadlineInline, DocumentInline, ReportInline]

    @admin.display(description="Reference", ordering="number")
    def reference(self, obj: models.ChangeProposal) -> str:
        return obj.reference


@admin.register(models.ProposalEvent)
class ProposalEventAdmin(admin.ModelAdmin):
    list_display = ("proposal", "on", "action", "from_state", "to_state", "actor")
    list_filter = ("action", "to_state")
    search_fields = ("proposal__number", "proposal__title", "reason")
    list_select_related = ("proposal", "actor")

    def has_add_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False


@admin.register(models.Deadline)
class DeadlineAdmin(admin.ModelAdmin):
    list_display = ("proposal", "what", "rule", "due_on", "closed_on", "met", "overdue_flagged_on")
    list_filter = ("rule", "met", ("closed_on", admin.EmptyFieldListFilter))
    search_fields = ("proposal__number", "what")
    list_select_related = ("proposal",)


@admin.register(models.ChangeDocument)
class ChangeDocumentAdmin(admin.ModelAdmin):
    list_display = ("title", "proposal", "confidential", "uploaded_by", "uploaded_at")
    list_filter = ("confidential",)
    search_fields = ("title", "proposal__number")


class MemberInline(admin.TabularInline):
    model = models.WorkingGroupMember
    extra = 0


class MeetingInline(admin.TabularInline):
    model = models.WorkingGroupMeeting
    extra = 0
    fields = ("held_on", "agenda", "minutes")


@admin.register(models.WorkingGroup)
class WorkingGroupAdmin(admin.ModelAdmin):
    list_display = ("name", "proposal", "standing", "created_on", "dissolved_on")
    list_filter = ("standing", ("dissolved_on", admin.EmptyFieldListFilter))
    search_fields = ("name", "proposal__number", "proposal__title")
    inlines = [MemberInline, MeetingInline]


@admin.register(models.WorkingGroupMeeting)
class WorkingGroupMeetingAdmin(admin.ModelAdmin):
    list_display = ("working_group", "held_on")
    search_fields = ("working_group__name", "agenda")


class QuestionInline(admin.TabularInline):
    model = models.ConsultationQuestion
    extra = 0


@admin.register(models.Consultation)
class ConsultationAdmin(admin.ModelAdmin):
    list_display = ("title", "proposal", "opens_on", "closes_on", "closed_on", "final_draft")
    list_filter = ("final_draft",)
    search_fields = ("title", "proposal__number")
    inlines = [QuestionInline]


class AnswerInline(admin.TabularInline):
    model = models.ConsultationAnswer
    extra = 0


@admin.register(models.ConsultationResponse)
class ConsultationResponseAdmin(admin.ModelAdmin):
    list_display = ("respondent_name", "consultation", "submitted_on", "late", "confidential")
    list_filter = ("late", "confidential")
    search_fields = ("respondent_name", "consultation__proposal__number")
    inlines = [AnswerInline]


@admin.register(models.AlternativeVariation)
class AlternativeVariationAdmin(admin.ModelAdmin):
    list_display = ("__str__", "proposal", "letter", "source", "put_forward_by", "by_proposer")
    list_filter = ("source", "by_proposer")
    search_fields = ("proposal__number", "description")


@admin.register(models.ChangeReport)
class ChangeReportAdmin(admin.ModelAdmin):
    list_display = ("proposal", "version", "implementation_date", "sent_to_authority_on")
    list_filter = ("authority_exempted_wait",)
    search_fields = ("proposal__number", "proposal__title")
    filter_horizontal = ("alternatives",)


@admin.register(models.SignificantCodeReview)
class SignificantCodeReviewAdmin(admin.ModelAdmin):
    list_display = ("reference", "title", "starts_on", "ends_on")
    search_fields = ("reference", "title")


@admin.register(models.AuthorityDecision)
class AuthorityDecisionAdmin(admin.ModelAdmin):
    list_display = ("proposal", "kind", "decided_on", "recorded_by")
    list_filter = ("kind",)
    search_fields = ("proposal__number", "reasons")


@admin.register(models.AppealRecord)
class AppealRecordAdmin(admin.ModelAdmin):
    list_display = ("proposal", "appellant_name", "lodged_on", "against", "outcome", "decided_on")
    list_filter = ("against", "outcome")
    search_fields = ("proposal__number", "appellant_name")


class ActionInline(admin.TabularInline):
    model = models.ImplementationAction
    extra = 0


class DateChangeInline(ReadOnlyInline):
    model = models.ImplementationDateChange
    fields = ("old_date", "new_date", "basis", "directed_on")
    readonly_fields = fields


@admin.register(models.ImplementationPlan)
class ImplementationPlanAdmin(admin.ModelAdmin):
    list_display = ("proposal", "implementation_date", "set_on")
    search_fields = ("proposal__number",)
    inlines = [ActionInline, DateChangeInline]


@admin.register(models.RegisterCopy)
class RegisterCopyAdmin(admin.ModelAdmin):
    list_display = ("month", "made_on", "sent_at")
    readonly_fields = ("month", "made_on", "csv", "html", "sent_at")


@admin.register(models.DeadlineDigest)
class DeadlineDigestAdmin(admin.ModelAdmin):
    list_display = ("day", "due_today", "overdue", "sent_at")
