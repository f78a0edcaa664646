"""Parties in the admin, with their categories, affiliations, sites, suspensions,
representatives and N data on one page, and the Groups of each category on a date."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone

from ..forms.fields import DateField
from ..models import (
    Affiliation,
    Category,
    CvaSite,
    MeteringSnapshot,
    Party,
    PartyCategoryMembership,
    PartyRepresentative,
    Suspension,
)
from ..selectors import Purpose, groups_of, parties_on
from .base import ReadOnlyAccess, RegisterAdmin, RegisterInline, save_register_formset
from .suspensions import SuspensionInline, save_suspensions


class PeriodOverlapFormSet(BaseInlineFormSet):
    """Two rows of one inline may not cover the same day for the same key (e.g. category)."""

    overlap_key: tuple[str, ...] = ()
    overlap_message = "Two rows overlap."

    def clean(self) -> None:
        super().clean()
        seen: list[tuple[tuple[Any, ...], Any, Any]] = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or not data.get("valid_from"):
                continue
            key = tuple(data.get(k) for k in self.overlap_key)
            start, end = data["valid_from"], data.get("valid_to")
            for other_key, other_start, other_end in seen:
                if (
                    key == other_key
                    and (end is None or other_start <= end)
                    and (other_end is None or start <= other_end)
                ):
                    raise forms.ValidationError(self.overlap_message)
            seen.append((key, start, end))


class MembershipFormSet(PeriodOverlapFormSet):
    overlap_key = ("category",)
    overlap_message = "The Party cannot hold the same Party Category twice on the same day."

    def clean(self) -> None:
        super().clean()
        kept = [
            f
            for f in self.forms
            if getattr(f, "cleaned_data", None) and not f.cleaned_data.get("DELETE")
        ]
        if kept and getattr(self.instance, "is_crowded_meter_room_coordinator", False):
            raise forms.ValidationError(
                "The Crowded Meter Room Coordinator holds no Party Category and does not vote "
                "(12.2): end its categories or leave it unmarked."
            )


class AffiliationFormSet(PeriodOverlapFormSet):
    overlap_message = "A Party belongs to one corporate group at a time."


class GroupAffiliationFormSet(AffiliationFormSet):
    overlap_key = ("party",)


class MembershipInline(RegisterInline):
    model = PartyCategoryMembership
    formset = MembershipFormSet
    fields = ("category", "idno_otso", "valid_from", "valid_to")
    extra = 0


class AffiliationInline(RegisterInline):
    model = Affiliation
    formset = AffiliationFormSet
    fields = ("corporate_group", "valid_from", "valid_to")
    autocomplete_fields = ("corporate_group",)
    extra = 0


class GroupAffiliationInline(AffiliationInline):
    formset = GroupAffiliationFormSet
    fields = ("party", "valid_from", "valid_to")
    autocomplete_fields = ("party",)


class MeteringSnapshotInline(ReadOnlyAccess, admin.TabularInline):
    """Append-only: add through 'Import CSV' or the add form of Metering snapshots."""

    model = MeteringSnapshot
    fk_name = "party"
    fields = ("category", "metering_points", "as_of", "received_on", "source", "recorded_by")
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = "metering snapshots (append-only: add by import or the add form)"


class CvaSiteInline(RegisterInline):
    model = CvaSite
    fields = (
        "site_name",
        "maximum_export_capacity_kw",
        "maximum_import_capacity_kw",
        "valid_from",
        "valid_to",
    )
    extra = 0


class RepresentativeInline(RegisterInline):
    model = PartyRepresentative
    fk_name = "party"
    fields = ("user", "authorised_voter", "confirmed_at", "confirmed_by")
    readonly_fields = ("confirmed_at", "confirmed_by")
    autocomplete_fields = ("user",)
    extra = 0
    deletable = True


class UserRepresentativeInline(RepresentativeInline):
    fk_name = "user"
    fields = ("party", "authorised_voter", "confirmed_at", "confirmed_by")
    autocomplete_fields = ("party",)


class CategoryTodayFilter(admin.SimpleListFilter):
    title = "Party Category today"
    parameter_name = "category_today"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return list(Category.choices)

    def queryset(self, request: HttpRequest, queryset: QuerySet[Party]) -> QuerySet[Party]:
        if self.value() not in Category.values:
            return queryset
        held = PartyCategoryMembership.objects.on(timezone.localdate()).filter(
            category=self.value()
        )
        return queryset.filter(pk__in=held.values("party_id"))


class PartyTodayFilter(admin.SimpleListFilter):
    title = "Party today"
    parameter_name = "party_today"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("yes", "Yes"), ("no", "No (terminated or not yet acceded)")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Party]) -> QuerySet[Party]:
        today = timezone.localdate()
        current = queryset.filter(pk__in=parties_on(today).values("pk"))
        if self.value() == "yes":
            return current
        if self.value() == "no":
            return queryset.exclude(pk__in=current.values("pk"))
        return queryset


class GroupsOnDateForm(forms.Form):
    on = DateField(label="On")
    purpose = forms.ChoiceField(
        choices=[
            (Purpose.CHANGE_VOTE.value, "Change vote (each DNO Party alone, 12.3)"),
            (Purpose.ELECTION.value, "Panel election (DNO Parties in corporate Groups, 6.2)"),
        ]
    )
    category = forms.ChoiceField(
        choices=[("", "All six categories"), *Category.choices], required=False
    )


@admin.register(Party)
class PartyAdmin(RegisterAdmin):
    list_display = (
        "name",
        "short_code",
        "company_number",
        "categories_today",
        "accession_date",
        "termination_date",
    )
    list_filter = (
        CategoryTodayFilter,
        PartyTodayFilter,
        "is_crowded_meter_room_coordinator",
        "accession_date",
        "termination_date",
    )
    search_fields = ("name", "short_code", "company_number")
    fieldsets = (
        (None, {"fields": ("name", "short_code", "company_number", "registered_address")}),
        (
            "Dates and role",
            {"fields": ("accession_date", "termination_date", "is_crowded_meter_room_coordinator")},
        ),
        (
            "Contact and market details (Schedule 11; never published)",
            {
                "fields": (
                    "notice_address",
                    "notice_email",
                    "contract_manager",
                    "market_participant_id",
                    "market_domain_ids",
                )
            },
        ),
    )
    inlines = (
        MembershipInline,
        AffiliationInline,
        CvaSiteInline,
        SuspensionInline,
        RepresentativeInline,
        MeteringSnapshotInline,
    )
    change_list_template = "panel/admin/party_change_list.html"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Party]:
        today = timezone.localdate()
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch(
                    "categories",
                    queryset=PartyCategoryMembership.objects.on(today),
                    to_attr="categories_today_rows",
                )
            )
        )

    @admin.display(description="Party Categories today")
    def categories_today(self, party: Party) -> str:
        rows = getattr(party, "categories_today_rows", None)
        if rows is None:
            rows = list(party.categories.on(timezone.localdate()))
        return ", ".join(
            row.get_category_display() + (f" ({row.idno_otso})" if row.idno_otso else "")
            for row in rows
        )

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        if formset.model is Suspension:
            save_suspensions(request, formset)
        else:
            save_register_formset(request, formset)

    def get_urls(self) -> list[Any]:
        view = self.admin_site.admin_view(self.groups_on_date_view)
        return [path("groups-on-a-date/", view, name="panel_party_groups"), *super().get_urls()]

    def groups_on_date_view(self, request: HttpRequest) -> HttpResponse:
        """The Groups of each category on a day, with members and N (12.3, 6.2, 12.11)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        initial = {"on": timezone.localdate(), "purpose": Purpose.CHANGE_VOTE.value}
        form = GroupsOnDateForm(request.GET or None, initial=initial)
        sections: list[dict[str, Any]] = []
        if not request.GET:
            form = GroupsOnDateForm(initial)
        if form.is_valid():
            on, purpose = form.cleaned_data["on"], Purpose(form.cleaned_data["purpose"])
            chosen = form.cleaned_data["category"]
            for category in (
                [Category(chosen)] if chosen else [Category(c) for c in Category.values]
            ):
                groups = groups_of(category, on, purpose)
                sections.append({"category": category, "groups": groups})
        context = {
            **self.admin_site.each_context(request),
            "title": "Groups on a date",
            "opts": self.model._meta,
            "form": form,
            "sections": sections,
        }
        return TemplateResponse(request, "panel/admin/groups_on_date.html", context)
