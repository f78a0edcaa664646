"""The register: Parties, their Party Categories, corporate groups and representatives.

Clause 4 (accession), Schedule 11 (Party Details), the definitions of Party Category,
Group and Affiliate, 12.4 (authorised voters).
"""

from __future__ import annotations

import datetime as dt

import pgtrigger
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords


class Category(models.TextChoices):
    """Party Categories (definition of Party Category; 12.3)."""

    DNO = "DNO", "DNO Parties"
    IDNO_OTSO = "IDNO_OTSO", "IDNO/OTSO Parties"
    SUPPLIER = "SUPPLIER", "Supplier Parties"
    CVA = "CVA", "CVA Registrants"
    GAS_SUPPLIER = "GAS_SUPPLIER", "Gas Supplier Parties"
    SIP = "SIP", "SIP Parties"


class IdnoOtso(models.TextChoices):
    """Within IDNO/OTSO, which one: eligibility on a proposal can differ (Change Report)."""

    IDNO = "IDNO", "IDNO Party"
    OTSO = "OTSO", "OTSO Party"


# Categories whose Weighted Votes use N (12.10-12.16); the others always share equally (12.9).
CATEGORIES_WITH_N = (Category.DNO, Category.SUPPLIER, Category.CVA)


class Party(models.Model):
    """A company that has acceded to the agreement (Clause 4; Party Details, Schedule 11).

    Parties are never deleted: a Party that leaves gets a termination date.
    """

    name = models.CharField(max_length=200)
    short_code = models.CharField(
        max_length=16, unique=True, help_text="Short code used in lists and CSV files, e.g. NWEL."
    )
    company_number = models.CharField("company registration number", max_length=32, unique=True)
    registered_address = models.TextField()
    notice_address = models.TextField(help_text="UK address for notices (Schedule 11).")
    notice_email = models.EmailField(blank=True)
    contract_manager = models.CharField(max_length=200, blank=True)
    market_participant_id = models.CharField("Market Participant id", max_length=16, blank=True)
    market_domain_ids = models.CharField(
        "Market Domain ids", max_length=200, blank=True, help_text="Comma-separated."
    )
    accession_date = models.DateField()
    termination_date = models.DateField(null=True, blank=True)
    is_crowded_meter_room_coordinator = models.BooleanField(
        "Crowded Meter Room Coordinator",
        default=False,
        help_text="The CMR Coordinator is a Party with no Party Category: it never votes.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "parties"
        constraints = [
            models.CheckConstraint(
                condition=Q(termination_date__isnull=True)
                | Q(termination_date__gte=models.F("accession_date")),
                name="party_termination_after_accession",
                violation_error_message="Termination date cannot be before the accession date.",
            )
        ]
        # The CMR Coordinator holds no Party Category (12.2): a Party holding one is not made it.
        triggers = [
            pgtrigger.Trigger(
                name="cmr_coordinator_holds_no_category",
                operation=pgtrigger.Insert | pgtrigger.Update,
                when=pgtrigger.Before,
                condition=pgtrigger.Q(new__is_crowded_meter_room_coordinator=True),
                func=pgtrigger.Func(
                    "IF EXISTS (SELECT 1 FROM panel_partycategorymembership "
                    "WHERE party_id = NEW.id) THEN RAISE EXCEPTION USING ERRCODE = "
                    "'check_violation', MESSAGE = 'The Crowded Meter Room Coordinator holds no "
                    "Party Category (12.2): party ' || NEW.id || ' holds one.'; END IF; "
                    "RETURN NEW;"
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.short_code})"

    def is_party_on(self, on: dt.date) -> bool:
        return self.accession_date <= on and (
            self.termination_date is None or on <= self.termination_date
        )


def _period_q(on: dt.date, prefix: str = "") -> Q:
    """Rows whose [valid_from, valid_to] period contains the day."""
    return Q(**{f"{prefix}valid_from__lte": on}) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": on})
    )


class PeriodQuerySet(models.QuerySet):
    def on(self, day: dt.date) -> PeriodQuerySet:
        return self.filter(_period_q(day))


class PartyCategoryMembership(models.Model):
    """A Party holds a Party Category from one date to another (57.8-57.9 for additions)."""

    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="categories")
    category = models.CharField(max_length=16, choices=Category.choices)
    idno_otso = models.CharField(
        "IDNO or OTSO",
        max_length=4,
        choices=IdnoOtso.choices,
        blank=True,
        help_text="Required for the IDNO/OTSO category, empty otherwise.",
    )
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    objects = PeriodQuerySet.as_manager()

    class Meta:
        ordering = ["party__name", "category", "valid_from"]
        verbose_name = "Party Category membership"
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="category_period_ordered",
                violation_error_message="'To' date cannot be before the 'from' date.",
            ),
            models.CheckConstraint(
                condition=(Q(category=Category.IDNO_OTSO) & ~Q(idno_otso=""))
                | (~Q(category=Category.IDNO_OTSO) & Q(idno_otso="")),
                name="idno_otso_recorded_for_idno_otso_only",
                violation_error_message=(
                    "IDNO or OTSO must be recorded for the IDNO/OTSO category and only for it."
                ),
            ),
            models.UniqueConstraint(
                fields=["party", "category", "valid_from"], name="one_category_start_per_day"
            ),
        ]
        # The CMR Coordinator never holds a Party Category (12.2), whatever writes the row.
        triggers = [
            pgtrigger.Trigger(
                name="cmr_coordinator_joins_no_category",
                operation=pgtrigger.Insert | pgtrigger.Update,
                when=pgtrigger.Before,
                func=pgtrigger.Func(
                    "IF EXISTS (SELECT 1 FROM panel_party WHERE id = NEW.party_id "
                    "AND is_crowded_meter_room_coordinator) THEN RAISE EXCEPTION USING ERRCODE = "
                    "'check_violation', MESSAGE = 'The Crowded Meter Room Coordinator holds no "
                    "Party Category (12.2): party ' || NEW.party_id || ' may not join one.'; "
                    "END IF; RETURN NEW;"
                ),
            )
        ]

    def __str__(self) -> str:
        label = self.get_category_display()
        if self.idno_otso:
            label += f" ({self.idno_otso})"
        return f"{self.party.short_code}: {label} from {self.valid_from}"

    def clean(self) -> None:
        if self.category == Category.IDNO_OTSO and not self.idno_otso:
            raise ValidationError({"idno_otso": "Say whether this Party is an IDNO or the OTSO."})
        if self.category != Category.IDNO_OTSO and self.idno_otso:
            raise ValidationError({"idno_otso": "Only the IDNO/OTSO category records this."})
        if self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": "'To' date cannot be before the 'from' date."})
        if self.party_id and self.party.is_crowded_meter_room_coordinator:
            raise ValidationError(
                {
                    "category": "The Crowded Meter Room Coordinator holds no Party Category "
                    "and does not vote."
                }
            )
        if self.party_id and self.category:
            overlapping = PartyCategoryMembership.objects.filter(
                party_id=self.party_id, category=self.category
            ).exclude(pk=self.pk)
            end = self.valid_to or dt.date.max
            overlapping = overlapping.filter(valid_from__lte=end).filter(
                Q(valid_to__isnull=True) | Q(valid_to__gte=self.valid_from)
            )
            if overlapping.exists():
                raise ValidationError(
                    {"valid_from": "This Party already holds this category during that period."}
                )


class CorporateGroup(models.Model):
    """A corporate group: its member Parties are Affiliates of each other (definition of Affiliate)."""

    name = models.CharField(max_length=200, unique=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Affiliation(models.Model):
    """A Party belongs to a corporate group from one date to another."""

    corporate_group = models.ForeignKey(
        CorporateGroup, on_delete=models.PROTECT, related_name="affiliations"
    )
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="affiliations")
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    objects = PeriodQuerySet.as_manager()

    class Meta:
        ordering = ["corporate_group__name", "party__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="affiliation_period_ordered",
                violation_error_message="'To' date cannot be before the 'from' date.",
            ),
            models.UniqueConstraint(
                fields=["party", "valid_from"], name="one_affiliation_start_per_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.party.short_code} in {self.corporate_group} from {self.valid_from}"

    def clean(self) -> None:
        if self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": "'To' date cannot be before the 'from' date."})
        if self.party_id:
            end = self.valid_to or dt.date.max
            clash = (
                Affiliation.objects.filter(party_id=self.party_id)
                .exclude(pk=self.pk)
                .filter(valid_from__lte=end)
                .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=self.valid_from))
            )
            if clash.exists():
                raise ValidationError(
                    {"valid_from": "A Party belongs to one corporate group at a time."}
                )


class PartyRepresentative(models.Model):
    """A user who acts for a Party; the Party's authorised voters are among them (12.4)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="party_links"
    )
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="representatives")
    authorised_voter = models.BooleanField(
        default=False, help_text="Nominated by the Party to cast its Group's votes."
    )
    confirmed_at = models.DateTimeField(
        null=True, blank=True, help_text="When the Secretariat confirmed the nomination."
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Who nominated (or last removed) this authorised voter for the Party.",
    )
    nominated_at = models.DateTimeField(
        null=True, blank=True, help_text="When the Party nominated the voter (system clock)."
    )
    manages_voters = models.BooleanField(
        default=False,
        help_text="The Party's contract manager, or the representative it designates: nominates "
        "and removes the Party's authorised voters.",
    )
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "party"], name="one_link_per_user_party")
        ]

    def __str__(self) -> str:
        return f"{self.user} for {self.party.short_code}"
