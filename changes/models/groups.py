"""Working Groups, their members and meetings (11.14-11.18)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q

from panel.models import Party

from .documents import ChangeDocument
from .proposals import ChangeProposal
from .voids import Voidable, VoidableManager, void_has_reason

User = settings.AUTH_USER_MODEL


class WorkingGroup(models.Model):
    """A Working Group for a proposal's Definition Procedure, or a standing group (11.14-11.18)."""

    proposal = models.ForeignKey(
        ChangeProposal,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="working_groups",
    )
    name = models.CharField(max_length=200)
    terms_of_reference = models.TextField()
    chair = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    chair_name = models.CharField(max_length=200, blank=True)
    standing = models.BooleanField(default=False)
    created_on = models.DateField()
    dissolved_on = models.DateField(null=True, blank=True)
    dissolved_reason = models.CharField(max_length=250, blank=True)

    class Meta:
        ordering = ["-created_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal"],
                condition=Q(dissolved_on__isnull=True, proposal__isnull=False),
                name="one_live_working_group_per_proposal",
            ),
            models.CheckConstraint(
                condition=Q(standing=True) | Q(proposal__isnull=False),
                name="working_group_has_proposal_unless_standing",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def dissolved_at(self) -> dt.date | None:
        return self.dissolved_on


class WorkingGroupMember(models.Model):
    working_group = models.ForeignKey(
        WorkingGroup, on_delete=models.CASCADE, related_name="members"
    )
    name = models.CharField(max_length=200)
    user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.CharField(max_length=200, help_text="The organisation represented.")
    party = models.ForeignKey(
        Party, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    is_proposer_nominee = models.BooleanField(default=False)
    joined_on = models.DateField()
    left_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["working_group"],
                condition=Q(is_proposer_nominee=True, left_on__isnull=True),
                name="one_proposer_nominee_per_working_group",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})"


class WorkingGroupMeeting(Voidable):
    """A meeting of a Working Group (11.16); one recorded by mistake is marked void."""

    working_group = models.ForeignKey(
        WorkingGroup, on_delete=models.CASCADE, related_name="meetings"
    )
    held_on = models.DateField()
    agenda = models.TextField()
    minutes = models.TextField(blank=True)
    papers = models.ManyToManyField(ChangeDocument, blank=True, related_name="+")

    objects = VoidableManager()

    class Meta:
        ordering = ["held_on"]
        constraints = [void_has_reason("working_group_meeting_void_has_reason")]

    def __str__(self) -> str:
        return f"{self.working_group} meeting {self.held_on}"
