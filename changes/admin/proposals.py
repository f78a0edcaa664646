"""Proposals, their events and deadlines, documents, Significant Code Reviews, register copies."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse

from .. import models, selectors, services
from .base import (
    ProcessRecordAdmin,
    ReadOnlyInline,
    acting,
    action_calling,
    action_to_desk,
    action_with_reason,
)
from .links import desk, desk_step


class EventInline(ReadOnlyInline):
    model = models.ProposalEvent
    fields = ("on", "action", "from_state", "to_state", "actor", "reason")
    ordering = ("pk",)
    show_change_link = False


class DeadlineInline(ReadOnlyInline):
    model = models.Deadline
    fields = ("what", "rule", "opened_on", "due_on", "closed_on", "met", "overdue_flagged_on")
    show_change_link = False


class DocumentInline(ReadOnlyInline):
    model = models.ChangeDocument
    fields = ("title", "file", "confidential", "uploaded_by", "voided_on", "void_reason")


class ReportInline(ReadOnlyInline):
    model = models.ChangeReport
    fields = ("version", "implementation_date", "sent_to_authority_on", "authority_exempted_wait")


def _mark_implemented(p: models.ChangeProposal, by: Any) -> None:
    services.proposal_transition(proposal=p, action="mark_implemented", by=by)


@admin.register(models.ChangeProposal)
class ChangeProposalAdmin(ProcessRecordAdmin):
    list_display = ("reference", "title", "proposer_display", "status", "part", "urgent")
    list_filter = ("status", "part", "urgent", "proposer_kind", "definition_procedure")
    search_fields = ("number", "title", "description", "proposer_party__name", "proposer_name")
    list_select_related = ("proposer_party",)
    inlines = [EventInline, DeadlineInline, DocumentInline, ReportInline]
    change_form_template = "admin/changes/changeproposal/change_form.html"
    actions = [
        action_to_desk(
            name="open_on_desk",
            description="Open on the desk (the steps the Secretariat may take)",
            url=lambda p: desk("detail", p),
        ),
        action_to_desk(
            name="withdraw",
            description="Withdraw (11.29): asks for the reason",
            url=lambda p: desk("withdraw", p),
        ),
        action_calling(
            name="mark_implemented",
            description="Record the variation as made (14.7)",
            done="{count} proposal(s) recorded as implemented.",
            service=_mark_implemented,
        ),
    ]

    @admin.display(description="Reference", ordering="number")
    def reference(self, obj: models.ChangeProposal) -> str:
        return obj.reference

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        """Beside the record: the steps the signed-in user may take now, as desk links."""
        proposal = self.get_object(request, object_id)
        steps = []
        if proposal is not None and proposal.number is not None:
            for t in selectors.next_actions(proposal=proposal, user=acting(request)):
                steps.append(
                    {"label": t.label, "clause": t.clause, "url": desk_step(proposal, t.action)}
                )
        context = {**(extra_context or {}), "desk_steps": steps}
        return super().change_view(request, object_id, form_url, extra_context=context)


@admin.register(models.ProposalEvent)
class ProposalEventAdmin(ProcessRecordAdmin):
    list_display = ("proposal", "on", "action", "from_state", "to_state", "actor")
    list_filter = ("action", "to_state")
    search_fields = ("proposal__number", "proposal__title", "reason")
    list_select_related = ("proposal", "actor")


@admin.register(models.Deadline)
class DeadlineAdmin(ProcessRecordAdmin):
    list_display = ("proposal", "what", "rule", "due_on", "closed_on", "met", "overdue_flagged_on")
    list_filter = ("rule", "met", ("closed_on", admin.EmptyFieldListFilter))
    search_fields = ("proposal__number", "what")
    list_select_related = ("proposal",)


@admin.register(models.ChangeDocument)
class ChangeDocumentAdmin(ProcessRecordAdmin):
    list_display = ("title", "proposal", "confidential", "uploaded_by", "uploaded_at", "voided_on")
    list_filter = ("confidential", ("voided_on", admin.EmptyFieldListFilter))
    search_fields = ("title", "proposal__number")
    actions = [
        action_with_reason(
            name="withdraw_documents",
            description="Withdraw (uploaded by mistake): asks for the reason",
            done="{count} document(s) withdrawn.",
            service=lambda doc, by, reason: services.document_withdraw(
                document=doc, by=by, reason=reason
            ),
        )
    ]


@admin.register(models.SignificantCodeReview)
class SignificantCodeReviewAdmin(ProcessRecordAdmin):
    """A Review is started as the Authority states it (the service checks and audits it)."""

    list_display = ("reference", "title", "starts_on", "ends_on")
    search_fields = ("reference", "title")
    fields = ("reference", "title", "scope", "starts_on", "ends_on")

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return self.has_secretariat_permission(request)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        review = services.scr_create(
            by=acting(request),
            reference=obj.reference,
            title=obj.title,
            starts_on=obj.starts_on,
            ends_on=obj.ends_on,
            scope=obj.scope,
        )
        obj.pk = review.pk


@admin.register(models.RegisterCopy)
class RegisterCopyAdmin(ProcessRecordAdmin):
    list_display = ("month", "made_on", "sent_at")
    fields = ("month", "made_on", "sent_at", "csv", "html")


@admin.register(models.DeadlineDigest)
class DeadlineDigestAdmin(ProcessRecordAdmin):
    list_display = ("day", "due_today", "overdue", "sent_at")
