"""Papers attached to a proposal, a consultation, a meeting, a report or an event."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from .proposals import ChangeProposal
from .voids import Voidable, VoidableManager, void_has_reason

User = settings.AUTH_USER_MODEL


class ChangeDocument(Voidable):
    """A paper attached to a proposal, a consultation, a meeting, a report or an event; one
    uploaded by mistake is marked void (withdrawn) with the reason."""

    proposal = models.ForeignKey(
        ChangeProposal, null=True, blank=True, on_delete=models.CASCADE, related_name="documents"
    )
    title = models.CharField(max_length=250)
    file = models.FileField(upload_to="changes/%Y/%m/")
    confidential = models.BooleanField(
        default=False, help_text="Seen only by the Secretariat, Working Group and Authority (57.3)."
    )
    uploaded_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = VoidableManager()

    class Meta:
        ordering = ["-uploaded_at"]
        constraints = [void_has_reason("document_void_has_reason")]

    def __str__(self) -> str:
        return self.title
