"""Panel offices: seats, Panel Members, Alternates, vacancies, 5.7 appointees, the Panel Chair.

Clauses 5.5-5.9 (composition), 6 (Panel Members, Alternates, vacancies), 7.1-7.2 (the Chair).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.lookups import IsNull
from simple_history.models import HistoricalRecords


class Constituency(models.TextChoices):
    """Who elected (or appointed) the holder of a Panel office (5.5)."""

    DNO = "DNO", "elected by the DNO Parties"
    IDNO_OTSO = "IDNO_OTSO", "elected by the IDNO/OTSO Parties"
    SUPPLIER = "SUPPLIER", "elected by the Supplier Parties"
    CVA = "CVA", "elected by the CVA Registrants"
    AUTHORITY = "AUTHORITY", "appointed by the Authority (5.8)"


# Offices per constituency (5.5); the Authority appointee is optional and has no Alternate.
SEATS: dict[str, int] = {
    Constituency.DNO: 2,
    Constituency.IDNO_OTSO: 1,
    Constituency.SUPPLIER: 2,
    Constituency.CVA: 1,
    Constituency.AUTHORITY: 1,
}


class OfficeRole(models.TextChoices):
    MEMBER = "MEMBER", "Panel Member"
    ALTERNATE = "ALTERNATE", "Alternate"


class AppointedUnder(models.TextChoices):
    ELECTION = "ELECTION", "annual election (6.2-6.3)"
    AUTHORITY_SELECTION = "AUTHORITY_SELECTION", "selected by the Authority (6.4)"
    STEP_UP = "STEP_UP", "Alternate appointed to a vacant office (6.9)"
    BY_ELECTION = "BY_ELECTION", "by-election (6.9.2, 6.14)"
    AUTHORITY_5_8 = "AUTHORITY_5_8", "appointed by the Authority (5.8)"


class EndReason(models.TextChoices):
    RETIRED = "RETIRED", "retired at the end of the term (6.7, 6.10)"
    RESIGNED = "RESIGNED", "resigned by notice in writing (6.8.1)"
    MISSED_MEETINGS = "MISSED_MEETINGS", "failed to attend consecutive meetings (6.8.2)"
    LEFT_CATEGORY = "LEFT_CATEGORY", "ceased to be employed within the Party Category (6.8.3)"
    DISQUALIFIED = "DISQUALIFIED", "bankruptcy, disqualification, conviction or detention (6.8)"
    DIED = "DIED", "died (6.8)"
    NOT_CONFIRMED = "NOT_CONFIRMED", "did not confirm in writing within 20 Working Days (6.17)"
    STEPPED_UP = "STEPPED_UP", "appointed Panel Member in a vacant office (6.9, 6.14)"
    REMOVED_BY_AUTHORITY = "REMOVED_BY_AUTHORITY", "removed by the Authority (5.8)"


def term_end_for(appointed_from: dt.date) -> dt.date:
    """Retirement on 1 December in the second year following appointment (6.7)."""
    return dt.date(appointed_from.year + 2, 12, 1)


class PanelAppointmentQuerySet(models.QuerySet):
    def live_on(self, day: dt.date) -> PanelAppointmentQuerySet:
        return self.filter(appointed_from__lte=day).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gt=day)
        )


class PanelAppointment(models.Model):
    """One person holding one Panel office for a period: the register of members (7.7.2).

    Rows are never deleted: a person leaving gets `ended_on` and `end_reason`, so the register
    keeps its history. `term_ends` is computed (6.7; 6.10 for a replacement; none under 5.8).
    """

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="panel_appointments"
    )
    role = models.CharField(max_length=12, choices=OfficeRole.choices)
    constituency = models.CharField(max_length=12, choices=Constituency.choices)
    seat = models.PositiveSmallIntegerField(default=1, help_text="Office number in its category.")
    employer = models.ForeignKey(
        "panel.Party",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Empty when the employer is not a Party (6.8.3.2-6.8.3.3).",
    )
    employer_name = models.CharField(max_length=200, blank=True)
    allocated_to = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="allocated_alternates",
        help_text="For an Alternate: the Panel Member it is allocated to (6.11).",
    )
    appointed_under = models.CharField(
        max_length=24, choices=AppointedUnder.choices, default=AppointedUnder.ELECTION
    )
    replaces = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by"
    )
    elected_on = models.DateField(null=True, blank=True)
    confirmed_on = models.DateField(
        null=True, blank=True, help_text="Written confirmations of 6.17 received."
    )
    appointed_from = models.DateField()
    term_ends = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=24, choices=EndReason.choices, blank=True)
    end_note = models.TextField(blank=True)
    history = HistoricalRecords()

    objects = PanelAppointmentQuerySet.as_manager()

    class Meta:
        ordering = ["constituency", "seat", "role", "-appointed_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["constituency", "seat", "role"],
                condition=Q(ended_on__isnull=True),
                name="one_live_holder_per_panel_office",
                violation_error_message="That office already has a holder.",
            ),
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(ended_on__isnull=True),
                name="one_live_panel_office_per_person",
                violation_error_message="No one person can hold more than one office (5.6).",
            ),
            models.CheckConstraint(
                condition=(
                    Q(constituency__in=["DNO", "SUPPLIER"], seat__in=[1, 2])
                    | Q(constituency__in=["IDNO_OTSO", "CVA", "AUTHORITY"], seat=1)
                ),
                name="panel_seat_within_category_allowance",
                violation_error_message="5.5 gives 2 DNO, 1 IDNO/OTSO, 2 Supplier, 1 CVA seats.",
            ),
            models.CheckConstraint(
                condition=~Q(constituency="AUTHORITY", role="ALTERNATE"),
                name="authority_appointee_has_no_alternate",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("appointed_from")),
                name="panel_appointment_period_ordered",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | ~Q(end_reason=""),
                name="panel_appointment_end_has_reason",
                violation_error_message="Say why the office ended.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.display_name}, {self.get_role_display()} {self.office_label}"

    def save(self, *args, **kwargs) -> None:
        if self.term_ends is None:
            if self.replaces is not None and self.appointed_under == AppointedUnder.STEP_UP:
                self.term_ends = self.replaces.term_ends  # 6.10: the rest of the term
            elif self.appointed_under != AppointedUnder.AUTHORITY_5_8:
                self.term_ends = term_end_for(self.appointed_from)
        super().save(*args, **kwargs)

    @property
    def display_name(self) -> str:
        return self.person.get_full_name() or self.person.username

    @property
    def office_label(self) -> str:
        return f"{self.get_constituency_display()} (seat {self.seat})"

    @property
    def employer_label(self) -> str:
        return self.employer.name if self.employer is not None else self.employer_name


class PanelVacancy(models.Model):
    """An office fallen vacant (6.8, 6.17) and how it is being filled (6.9, 6.14)."""

    class Outcome(models.TextChoices):
        ALTERNATE_STEPPED_UP = "ALTERNATE_STEPPED_UP", "Alternate appointed (6.9.1)"
        BY_ELECTION_NEEDED = "BY_ELECTION_NEEDED", "election needed (6.9.2, 6.14)"
        FILLED = "FILLED", "filled"
        AUTHORITY_MAY_APPOINT = "AUTHORITY_MAY_APPOINT", "the Authority may appoint (5.8)"

    vacated = models.OneToOneField(
        PanelAppointment, on_delete=models.PROTECT, related_name="vacancy"
    )
    arose_on = models.DateField()
    reason = models.CharField(max_length=24, choices=EndReason.choices)
    outcome = models.CharField(max_length=24, choices=Outcome.choices)
    filled_by = models.ForeignKey(
        PanelAppointment, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-arose_on"]
        verbose_name_plural = "Panel vacancies"

    def __str__(self) -> str:
        return f"Vacancy {self.vacated.office_label} from {self.arose_on}"


class NonVotingBody(models.TextChoices):
    """Those entitled to attend and speak but not vote (5.7)."""

    AUTHORITY = "AUTHORITY", "the Authority"
    NETSO = "NETSO", "the National Electricity Transmission System Operator"
    CONSUMER_BODY = "CONSUMER_BODY", "the Consumer Body"
    BSCCO = "BSCCO", "BSCCo (by invitation)"
    RECCO = "RECCO", "RECCo (by invitation)"
    SECCO = "SECCO", "SECCo (by invitation)"


class NonVotingAppointment(models.Model):
    body = models.CharField(max_length=16, choices=NonVotingBody.choices)
    name = models.CharField(max_length=200)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    appointed_from = models.DateField()
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["body", "-appointed_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["body"],
                condition=Q(ended_on__isnull=True),
                name="one_live_appointee_per_body",
                violation_error_message="Each body appoints one person at a time (5.7).",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} for {self.get_body_display()}"


class PanelChair(models.Model):
    """The Panel Member appointed Panel Chair by a simple majority of the Panel Members (7.1-7.2).

    Rows are never deleted: a Chair replaced or removed gets `ended_on` and `end_reason`.
    """

    class EndReason(models.TextChoices):
        REPLACED = "REPLACED", "another Panel Member appointed (7.1)"
        REMOVED_BY_PANEL = "REMOVED_BY_PANEL", "removed by a simple majority of the Panel (7.2)"
        REMOVED_BY_AUTHORITY = "REMOVED_BY_AUTHORITY", "removed at the Authority's direction (7.2)"
        LEFT_PANEL = "LEFT_PANEL", "ceased to be a Panel Member"

    appointment = models.ForeignKey(
        PanelAppointment, on_delete=models.PROTECT, related_name="chair_terms"
    )
    resolution = models.OneToOneField(
        "panel.Resolution", on_delete=models.PROTECT, related_name="panel_chair"
    )
    appointed_on = models.DateField()
    authority_consent = models.BooleanField(
        default=False, help_text="The Authority consented to reappointment after removal (7.2)."
    )
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=24, choices=EndReason.choices, blank=True)

    class Meta:
        ordering = ["-appointed_on"]
        constraints = [
            models.UniqueConstraint(
                IsNull(models.F("ended_on"), True),
                condition=Q(ended_on__isnull=True),
                name="one_live_panel_chair",
                violation_error_message="The Panel has one Panel Chair at a time (7.1).",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.appointment.display_name}, Panel Chair from {self.appointed_on}"
