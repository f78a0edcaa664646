"""Panel elections (Clause 6.2-6.7): the election of one Role, its candidates, rounds and results.

The votes themselves live in the ballot machinery
(Ballot of kind ELECTION, one Question whose options are the candidates, one live Vote per
Group): an election only points at its ballots through `ElectionRound`.
"""

from __future__ import annotations

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Q

from panel.models import Constituency, OfficeRole

__all__ = [
    "ELECTED_CONSTITUENCIES",
    "Election",
    "ElectionResult",
    "ElectionRound",
    "ElectionStatus",
    "Nomination",
]

# 6.1: Gas Supplier and SIP Parties are not represented; the Authority appointee is not elected.
ELECTED_CONSTITUENCIES = (
    Constituency.DNO,
    Constituency.IDNO_OTSO,
    Constituency.SUPPLIER,
    Constituency.CVA,
)


class ElectionStatus(models.TextChoices):
    NOMINATIONS = "nominations", "Nominations open (6.2.1)"
    VOTING = "voting", "Voting (6.2.4-6.2.6)"
    UNCONTESTED = "uncontested", "Candidates notified; no vote needed (6.3.1)"
    COUNTED = "counted", "Counted, awaiting publication (6.2.7)"
    PUBLISHED = "published", "Result published (6.2.7)"


class Election(models.Model):
    """The election of the Panel Members or the Alternates of one Party Category in one year.

    Dates (6.2): notices of candidature no later than 40 Working Days before 1 December;
    candidates notified no later than 30 Working Days before; Groups vote for 10 Working Days
    from the notification. `seat_numbers` are the offices vacant or due to become vacant on
    1 December (6.2.4, 6.3).
    """

    year = models.PositiveSmallIntegerField()
    category = models.CharField(max_length=12, choices=Constituency.choices)
    role = models.CharField(max_length=12, choices=OfficeRole.choices)
    seat_numbers = models.JSONField(default=list)
    vacancy_date = models.DateField(help_text="1 December of the election year.")
    nominations_close = models.DateField(help_text="40 Working Days before 1 December (6.2.1).")
    candidates_notice_by = models.DateField(help_text="30 Working Days before 1 December (6.2.3).")
    planned_voting_closes = models.DateField(
        help_text="10 Working Days after the latest notice date (6.2.6)."
    )
    status = models.CharField(
        max_length=16, choices=ElectionStatus.choices, default=ElectionStatus.NOMINATIONS
    )
    candidates_notified_at = models.DateTimeField(null=True, blank=True)
    counted_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    authority_gap = models.PositiveSmallIntegerField(
        default=0, help_text="Offices the Authority is asked to fill (6.4)."
    )
    authority_notified_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "category", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "category", "role"],
                name="one_election_per_year_category_role",
                violation_error_message="There is already an election for this Role this year.",
            ),
            models.CheckConstraint(
                condition=Q(category__in=[c.value for c in ELECTED_CONSTITUENCIES]),
                name="election_category_represented",
                violation_error_message="Gas Supplier and SIP Parties are not represented (6.1).",
            ),
            models.CheckConstraint(
                condition=Q(nominations_close__lt=models.F("candidates_notice_by"))
                & Q(candidates_notice_by__lt=models.F("vacancy_date")),
                name="election_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} election: {self.get_role_display()}, {self.get_category_display()}"

    @property
    def seats(self) -> int:
        return len(self.seat_numbers)

    @property
    def reference(self) -> str:
        return f"PE {self.year} {self.category} {self.role}"


class Nomination(models.Model):
    """A candidate's notice of candidature for one Role (6.2.1), put forward through a Group.

    The Group is recorded by the Party that sent the notice and the Group key it belonged to on
    the day (a Party whose rights are suspended cannot nominate, 54.3).
    """

    election = models.ForeignKey(Election, on_delete=models.PROTECT, related_name="nominations")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="panel_nominations"
    )
    employer = models.ForeignKey(
        "panel.Party", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    employer_name = models.CharField(max_length=200, blank=True)
    nominated_by = models.ForeignKey("panel.Party", on_delete=models.PROTECT, related_name="+")
    group_key = models.CharField(max_length=100)
    group_name = models.CharField(max_length=200)
    received_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["election", "person__last_name", "person__first_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["election", "person"],
                name="one_nomination_per_candidate",
                violation_error_message="This person is already a candidate for this Role.",
            ),
            models.CheckConstraint(
                condition=Q(employer__isnull=False) | ~Q(employer_name=""),
                name="nomination_names_employer",
                violation_error_message="Name the company that employs the candidate (6.2.1).",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.employer_label})"

    @property
    def display_name(self) -> str:
        return self.person.get_full_name() or self.person.username

    @property
    def employer_label(self) -> str:
        return self.employer.name if self.employer is not None else self.employer_name

    @property
    def label(self) -> str:
        """The option label on the ballot."""
        return str(self.pk)


class ElectionRound(models.Model):
    """One ballot of an election: round 1 is the vote (6.2.4), later rounds are run-offs among
    tied candidates only (6.2.7)."""

    election = models.ForeignKey(Election, on_delete=models.PROTECT, related_name="rounds")
    number = models.PositiveSmallIntegerField()
    ballot = models.OneToOneField(
        "voting.Ballot", on_delete=models.PROTECT, related_name="election_round"
    )
    candidates = models.ManyToManyField(Nomination, related_name="rounds")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["election", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["election", "number"], name="one_election_round_per_number"
            )
        ]
        triggers = [
            pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete)
        ]

    def __str__(self) -> str:
        return f"{self.election} round {self.number}"


class ElectionResult(models.Model):
    """A candidate's place on the 6.2.7 list and whether elected (6.3), with the seat it takes."""

    election = models.ForeignKey(Election, on_delete=models.PROTECT, related_name="results")
    nomination = models.OneToOneField(Nomination, on_delete=models.PROTECT, related_name="result")
    position = models.PositiveSmallIntegerField(help_text="Order on the list (1 = first).")
    rank = models.PositiveSmallIntegerField(help_text="Equal ranks: tied, not a seat decider.")
    votes = models.PositiveIntegerField(null=True, blank=True)
    runoff_votes = models.PositiveIntegerField(null=True, blank=True)
    elected = models.BooleanField(default=False)
    unopposed = models.BooleanField(default=False)
    removed_note = models.CharField(max_length=200, blank=True)
    seat = models.PositiveSmallIntegerField(null=True, blank=True)
    appointment = models.OneToOneField(
        "panel.PanelAppointment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="election_result",
    )

    class Meta:
        ordering = ["election", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["election", "position"], name="one_election_result_per_position"
            ),
            models.CheckConstraint(
                condition=Q(elected=True) | Q(seat__isnull=True), name="only_elected_take_seats"
            ),
        ]
        # A result is a record; publishing the results links the appointment it made (6.6).
        triggers = [
            pgtrigger.ReadOnly(name="read_only", exclude=["appointment"]),
            pgtrigger.Protect(name="never_deleted", operation=pgtrigger.Delete),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.nomination}"
