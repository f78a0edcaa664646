"""The register: Parties, their Party Categories, corporate groups, N data, suspensions.

Clause 4 (accession), Schedule 11 (Party Details), the definitions of Party Category,
Group and Affiliate, Clauses 12.3 and 12.11-12.12 (N), 54.3-54.4 (suspension).
Also the people who use the product and their roles, and the audit trail.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser
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


class Role(models.TextChoices):
    SECRETARIAT = "SECRETARIAT", "Secretariat"
    PANEL_MEMBER = "PANEL_MEMBER", "Panel member"
    PANEL_ALTERNATE = "PANEL_ALTERNATE", "Panel Alternate"
    AUTHORITY = "AUTHORITY", "Authority"
    CONSUMER_BODY = "CONSUMER_BODY", "Consumer Body"
    OTHER_BODY = "OTHER_BODY", "Other body (transmission operator, code body)"
    PARTY_REPRESENTATIVE = "PARTY_REPRESENTATIVE", "Party representative"
    PUBLIC = "PUBLIC", "Public account"


class User(AbstractUser):
    """A person with a web account (Schedule 14 password pages), in one role."""

    role = models.CharField(max_length=32, choices=Role.choices, default=Role.PUBLIC)
    organisation = models.CharField(max_length=200, blank=True)

    @property
    def is_secretariat(self) -> bool:
        return self.role == Role.SECRETARIAT or self.is_superuser

    @property
    def is_authority(self) -> bool:
        return self.role == Role.AUTHORITY

    @property
    def is_panel(self) -> bool:
        return self.role in (Role.PANEL_MEMBER, Role.PANEL_ALTERNATE)

    @property
    def sees_all_metering_data(self) -> bool:
        """N is commercially sensitive: only the Secretariat and the Authority see every Party's."""
        return self.is_secretariat or self.is_authority

    def represented_party_ids(self) -> set[int]:
        return set(self.party_links.values_list("party_id", flat=True))

    @property
    def is_authorised_voter(self) -> bool:
        return self.party_links.filter(authorised_voter=True, confirmed_at__isnull=False).exists()

    @property
    def requires_second_factor(self) -> bool:
        """TOTP is required for the Secretariat and for Parties' authorised voters."""
        return self.is_secretariat or self.is_authorised_voter


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


class AppendOnlyModel(models.Model):
    """Rows that are received, never edited or deleted (N data are evidence for a vote)."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise ValidationError(f"{self._meta.verbose_name} records are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValidationError(f"{self._meta.verbose_name} records are append-only.")


class MeteringSnapshot(AppendOnlyModel):
    """A received count of metering points for a Party in a category (12.11-12.12).

    DNO: metering points on its networks; Supplier: metering points registered to it.
    N for a vote is the latest snapshot received on or before the day of the vote.
    """

    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="metering_snapshots")
    category = models.CharField(max_length=16, choices=Category.choices)
    metering_points = models.PositiveBigIntegerField()
    as_of = models.DateField(help_text="The date the count describes.")
    received_on = models.DateField(help_text="The date the Secretariat received the data.")
    source = models.CharField(max_length=200, help_text="Where the data came from, e.g. a file.")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_on", "-created_at"]
        indexes = [models.Index(fields=["category", "party", "-received_on"])]

    def __str__(self) -> str:
        return (
            f"{self.party.short_code} {self.category} {self.metering_points} ({self.received_on})"
        )


class CvaSite(models.Model):
    """A CVA Registrant's site in its Party Details, with its capacities in kW (12.11).

    N for a CVA Registrant = sum over its sites, as on the day, of max(export, import).
    A change of capacity closes the old row (valid_to) and opens a new one: history kept.
    """

    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="cva_sites")
    site_name = models.CharField(max_length=200)
    maximum_export_capacity_kw = models.PositiveBigIntegerField("Maximum Export Capacity (kW)")
    maximum_import_capacity_kw = models.PositiveBigIntegerField("Maximum Import Capacity (kW)")
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    objects = PeriodQuerySet.as_manager()

    class Meta:
        ordering = ["party__name", "site_name", "valid_from"]
        verbose_name = "CVA site"
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="cva_site_period_ordered",
                violation_error_message="'To' date cannot be before the 'from' date.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.party.short_code} {self.site_name}"

    @property
    def n_contribution(self) -> int:
        return max(self.maximum_export_capacity_kw, self.maximum_import_capacity_kw)


class Suspension(models.Model):
    """Suspension of a Party's election and voting rights by Panel resolution (54.3-54.4)."""

    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="suspensions")
    valid_from = models.DateField("suspended from")
    valid_to = models.DateField(
        "last day suspended",
        null=True,
        blank=True,
        help_text="Rights are restored on the following day; empty while the suspension lasts.",
    )
    panel_resolution = models.CharField(
        max_length=200, help_text="The Panel resolution that decided it, e.g. 'Panel 2026-05 R4'."
    )
    reason = models.TextField(blank=True)
    history = HistoricalRecords()

    objects = PeriodQuerySet.as_manager()

    class Meta:
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="suspension_period_ordered",
                violation_error_message="The last day suspended cannot be before the first.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.party.short_code} suspended from {self.valid_from}"


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
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "party"], name="one_link_per_user_party")
        ]

    def __str__(self) -> str:
        return f"{self.user} for {self.party.short_code}"


class ClosureDay(models.Model):
    """A day the Secretariat declares closed, in addition to the statutory non-Working Days."""

    day = models.DateField(unique=True)
    reason = models.CharField(max_length=200)

    class Meta:
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day} ({self.reason})"


class AuditRecord(AppendOnlyModel):
    """Who did what, when: written by every service in the same transaction as the change."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=100)
    target_type = models.CharField(max_length=100)
    target_id = models.CharField(max_length=64)
    target_label = models.CharField(max_length=300, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at"]
        indexes = [
            models.Index(fields=["target_type", "target_id"]),
            models.Index(fields=["action"], name="panel_audit_action_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.target_label}"


class OutgoingMail(models.Model):
    """An e-mail owed: written in the same transaction as the change it tells of, sent after it.

    Nothing is lost when the mail server or the task broker is down: unsent rows are retried.
    Only `sent_at`, `attempts` and `last_error` change after the row is written.
    """

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    template = models.CharField(max_length=100)
    subject = models.CharField(max_length=300)
    body = models.TextField()
    to = models.JSONField(default=list)
    bcc = models.JSONField(default=list, blank=True)
    attachments = models.JSONField(default=list, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["pk"]
        indexes = [
            models.Index(
                fields=["created_at"], name="panel_mail_unsent_idx", condition=Q(sent_at=None)
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject} ({len(self.to) + len(self.bcc)} recipients)"


from .governance import *  # noqa: E402,F401,F403 - the Panel's own models (Clauses 5-7, Schedule 7)
