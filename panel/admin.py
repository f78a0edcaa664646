"""The Secretariat's administration of the register.

Access is by role: a staff account whose role is Secretariat (or a superuser). Change history
comes from simple_history. Metering snapshots, suspensions and authorised-voter confirmations
go through `panel.services`, so they are checked and audited like every other write.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .errors import DomainError, NotAllowed
from .importers import METERING_CHOICES
from .models import (
    Affiliation,
    AuditRecord,
    Category,
    ClosureDay,
    CorporateGroup,
    CvaSite,
    MeteringSnapshot,
    Party,
    PartyCategoryMembership,
    PartyRepresentative,
    Suspension,
    User,
)
from .selectors import Purpose, groups_of

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


def is_secretariat_staff(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_active and user.is_staff and user.is_secretariat)


def actor(request: HttpRequest) -> User:
    """The signed-in user acting in the admin (admin views are for signed-in staff only)."""
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user


def _form_error(form: forms.BaseForm, exc: DomainError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


class SecretariatAccess:
    """Role-based access for the Secretariat; `deletable` off for rows that are evidence."""

    deletable = False

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_secretariat_staff(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_secretariat_staff(request)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return is_secretariat_staff(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_secretariat_staff(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.deletable and is_secretariat_staff(request)


class ReadOnlyAccess(SecretariatAccess):
    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class HistoryAdmin(SecretariatAccess, SimpleHistoryAdmin):
    """Who changed what, when; reverting from history is off (make a new change instead)."""

    def revert_disabled(self, request: HttpRequest, obj: Any = None) -> bool:
        return True


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


class AffiliationFormSet(PeriodOverlapFormSet):
    overlap_message = "A Party belongs to one corporate group at a time."


class GroupAffiliationFormSet(AffiliationFormSet):
    overlap_key = ("party",)


# --- Inlines ------------------------------------------------------------------------------


class MembershipInline(SecretariatAccess, admin.TabularInline):
    model = PartyCategoryMembership
    formset = MembershipFormSet
    fields = ("category", "idno_otso", "valid_from", "valid_to")
    extra = 0
    deletable = True


class AffiliationInline(SecretariatAccess, admin.TabularInline):
    model = Affiliation
    formset = AffiliationFormSet
    fields = ("corporate_group", "valid_from", "valid_to")
    autocomplete_fields = ("corporate_group",)
    extra = 0
    deletable = True


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


class CvaSiteInline(SecretariatAccess, admin.TabularInline):
    model = CvaSite
    fields = (
        "site_name",
        "maximum_export_capacity_kw",
        "maximum_import_capacity_kw",
        "valid_from",
        "valid_to",
    )
    extra = 0


class SuspensionForm(forms.ModelForm):
    """Checked by the service's rules; existing suspensions can only be given a restoration day."""

    class Meta:
        model = Suspension
        fields = ("party", "valid_from", "valid_to", "panel_resolution", "reason")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            for name in ("party", "valid_from", "panel_resolution", "reason"):
                if name in self.fields:
                    self.fields[name].disabled = True
            if self.instance.valid_to is not None and "valid_to" in self.fields:
                self.fields["valid_to"].disabled = True

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.instance.party_id is None and "party" not in self.fields:
            raise forms.ValidationError("Save the Party before recording a suspension.")
        party = data.get("party") or getattr(self.instance, "party", None)
        if party is None or not data.get("valid_from") or self.errors:
            return data
        try:
            services.suspension_check(
                party=party,
                valid_from=data["valid_from"],
                valid_to=data.get("valid_to"),
                panel_resolution=data.get("panel_resolution") or "",
                exclude_pk=self.instance.pk,
            )
        except DomainError as exc:
            _form_error(self, exc)
        return data


def save_suspension(request: HttpRequest, form: SuspensionForm) -> Suspension | None:
    """Route an admin form to the services; None when nothing changed."""
    data = form.cleaned_data
    if form.instance.pk is None:
        return services.suspension_record(
            by=actor(request),
            party=data.get("party") or form.instance.party,
            valid_from=data["valid_from"],
            valid_to=data.get("valid_to"),
            panel_resolution=data["panel_resolution"],
            reason=data.get("reason", ""),
        )
    if "valid_to" in form.changed_data and data.get("valid_to"):
        return services.suspension_restore(
            by=actor(request),
            suspension=form.instance,
            # The form asks for the last day suspended; rights are back the day after.
            restored_on=data["valid_to"] + dt.timedelta(days=1),
        )
    return None


class SuspensionInline(SecretariatAccess, admin.TabularInline):
    model = Suspension
    form = SuspensionForm
    fields = ("valid_from", "valid_to", "panel_resolution", "reason")
    extra = 0


class RepresentativeInline(SecretariatAccess, admin.TabularInline):
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


def _save_representatives(formset: BaseInlineFormSet) -> None:
    """Withdrawing a nomination also withdraws its confirmation (12.4)."""
    instances = formset.save(commit=False)
    for link in instances:
        if not link.authorised_voter:
            link.confirmed_at = None
            link.confirmed_by = None
        link.save()
    for link in formset.deleted_objects:
        link.delete()


def _save_suspensions(request: HttpRequest, formset: BaseInlineFormSet) -> None:
    formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
    for form in formset.forms:
        if not form.has_changed() or not getattr(form, "cleaned_data", None):
            continue
        is_new = form.instance.pk is None
        saved = save_suspension(request, form)
        if saved is None:
            continue
        if is_new:
            formset.new_objects.append(saved)
        else:
            formset.changed_objects.append((saved, ["valid_to"]))


# --- Parties ------------------------------------------------------------------------------


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
        current = queryset.filter(accession_date__lte=today).exclude(termination_date__lt=today)
        if self.value() == "yes":
            return current
        if self.value() == "no":
            return queryset.exclude(pk__in=current.values("pk"))
        return queryset


class GroupsOnDateForm(forms.Form):
    on = forms.DateField(label="On", widget=forms.DateInput(attrs={"type": "date"}))
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
class PartyAdmin(HistoryAdmin):
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
            _save_suspensions(request, formset)
        elif formset.model is PartyRepresentative:
            _save_representatives(formset)
        else:
            super().save_formset(request, form, formset, change)

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


# --- Register tables ----------------------------------------------------------------------


@admin.register(PartyCategoryMembership)
class MembershipAdmin(HistoryAdmin):
    list_display = ("party", "category", "idno_otso", "valid_from", "valid_to")
    list_filter = ("category", "idno_otso", "valid_from", "valid_to")
    search_fields = ("party__name", "party__short_code", "party__company_number")
    autocomplete_fields = ("party",)
    list_select_related = ("party",)
    deletable = True


class HasPartiesTodayFilter(admin.SimpleListFilter):
    title = "member Parties today"
    parameter_name = "has_parties_today"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("yes", "Has member Parties today"), ("no", "No member Parties today")]

    def queryset(
        self, request: HttpRequest, queryset: QuerySet[CorporateGroup]
    ) -> QuerySet[CorporateGroup]:
        today = Affiliation.objects.on(timezone.localdate()).values("corporate_group_id")
        if self.value() == "yes":
            return queryset.filter(pk__in=today)
        if self.value() == "no":
            return queryset.exclude(pk__in=today)
        return queryset


@admin.register(CorporateGroup)
class CorporateGroupAdmin(HistoryAdmin):
    list_display = ("name",)
    list_filter = (HasPartiesTodayFilter,)
    search_fields = ("name", "affiliations__party__name", "affiliations__party__short_code")
    inlines = (GroupAffiliationInline,)


@admin.register(Affiliation)
class AffiliationAdmin(HistoryAdmin):
    list_display = ("party", "corporate_group", "valid_from", "valid_to")
    list_filter = ("corporate_group", "valid_from", "valid_to")
    search_fields = ("party__name", "party__short_code", "corporate_group__name")
    autocomplete_fields = ("party", "corporate_group")
    list_select_related = ("party", "corporate_group")
    deletable = True


@admin.register(CvaSite)
class CvaSiteAdmin(HistoryAdmin):
    list_display = (
        "party",
        "site_name",
        "maximum_export_capacity_kw",
        "maximum_import_capacity_kw",
        "valid_from",
        "valid_to",
    )
    list_filter = ("valid_from", "valid_to")
    search_fields = ("site_name", "party__name", "party__short_code")
    autocomplete_fields = ("party",)
    list_select_related = ("party",)


@admin.register(Suspension)
class SuspensionAdmin(HistoryAdmin):
    form = SuspensionForm
    list_display = ("party", "valid_from", "valid_to", "panel_resolution")
    list_filter = ("valid_from", "valid_to")
    search_fields = ("party__name", "party__short_code", "panel_resolution", "reason")
    list_select_related = ("party",)
    autocomplete_fields = ("party",)

    def save_model(self, request: HttpRequest, obj: Suspension, form: Any, change: bool) -> None:
        saved = save_suspension(request, form)
        if saved is not None:
            obj.pk = saved.pk


class SnapshotForm(forms.ModelForm):
    category = forms.ChoiceField(choices=METERING_CHOICES)

    class Meta:
        model = MeteringSnapshot
        fields = ("party", "category", "metering_points", "as_of", "received_on", "source")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        needed = ("party", "category", "metering_points", "as_of", "received_on", "source")
        if self.errors or any(data.get(name) in (None, "") for name in needed):
            return data
        try:
            services.metering_snapshot_check(**{name: data[name] for name in needed})
        except DomainError as exc:
            _form_error(self, exc)
        return data


class SnapshotImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file (UTF-8)",
        help_text="Columns: party, category, metering_points, as_of, received_on, source (optional).",
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                "The file is larger than 5 MB; split it and upload the parts."
            )
        return upload


@admin.register(MeteringSnapshot)
class MeteringSnapshotAdmin(SecretariatAccess, admin.ModelAdmin):
    """Append-only N data (12.12): add one by the form or many by CSV; never change or delete."""

    form = SnapshotForm
    list_display = (
        "party",
        "category",
        "metering_points",
        "as_of",
        "received_on",
        "source",
        "recorded_by",
    )
    list_filter = ("category", "received_on", "as_of")
    search_fields = ("party__name", "party__short_code", "source")
    list_select_related = ("party", "recorded_by")
    autocomplete_fields = ("party",)
    date_hierarchy = "received_on"
    change_list_template = "panel/admin/snapshot_change_list.html"

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(
        self, request: HttpRequest, obj: MeteringSnapshot, form: Any, change: bool
    ) -> None:
        data = form.cleaned_data
        saved = services.metering_snapshot_record(
            by=actor(request),
            party=data["party"],
            category=data["category"],
            metering_points=data["metering_points"],
            as_of=data["as_of"],
            received_on=data["received_on"],
            source=data["source"],
        )
        obj.pk = saved.pk

    def get_urls(self) -> list[Any]:
        view = self.admin_site.admin_view(self.import_view)
        return [path("import/", view, name="panel_meteringsnapshot_import"), *super().get_urls()]

    def import_view(self, request: HttpRequest) -> HttpResponse:
        """Upload a CSV: all rows are imported, or none and every problem is listed."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = SnapshotImportForm(request.POST or None, request.FILES or None)
        report = None
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                report = services.metering_import(
                    by=actor(request), file=upload.read(), source=upload.name
                )
            except NotAllowed:
                raise PermissionDenied
            if report.ok:
                messages.success(request, report.lines()[0])
                return HttpResponseRedirect(reverse("admin:panel_meteringsnapshot_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "title": "Import metering snapshots",
            "opts": self.model._meta,
            "form": form,
            "report": report,
        }
        return TemplateResponse(request, "panel/admin/snapshot_import.html", context)


@admin.action(description="Confirm the selected authorised voter nominations (12.4)")
def confirm_authorised_voters(
    modeladmin: admin.ModelAdmin, request: HttpRequest, links: QuerySet[PartyRepresentative]
) -> None:
    done, refused = 0, []
    for link in links.select_related("user", "party"):
        try:
            services.representative_confirm(by=actor(request), link=link)
            done += 1
        except DomainError as exc:
            refused.append(exc.message)
    if done:
        modeladmin.message_user(request, f"Confirmed {done} authorised voter(s).", messages.SUCCESS)
    for message in refused:
        modeladmin.message_user(request, message, messages.ERROR)


@admin.register(PartyRepresentative)
class PartyRepresentativeAdmin(HistoryAdmin):
    list_display = ("user", "party", "authorised_voter", "confirmed_at", "confirmed_by")
    list_filter = ("authorised_voter", ("confirmed_at", admin.EmptyFieldListFilter))
    search_fields = (
        "user__username",
        "user__last_name",
        "user__email",
        "party__name",
        "party__short_code",
    )
    list_select_related = ("user", "party", "confirmed_by")
    autocomplete_fields = ("user", "party")
    readonly_fields = ("confirmed_at", "confirmed_by")
    actions = (confirm_authorised_voters,)
    deletable = True

    def save_model(
        self, request: HttpRequest, obj: PartyRepresentative, form: Any, change: bool
    ) -> None:
        if not obj.authorised_voter:
            obj.confirmed_at, obj.confirmed_by = None, None
        super().save_model(request, obj, form, change)


@admin.register(User)
class DcusaUserAdmin(SecretariatAccess, UserAdmin):
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        ("Role in the change process", {"fields": ("role", "organisation")}),
    )
    add_fieldsets = (
        *(UserAdmin.add_fieldsets or ()),
        (
            "Role in the change process",
            {"fields": ("role", "organisation", "first_name", "last_name", "email")},
        ),
    )
    list_display = (
        "username",
        "first_name",
        "last_name",
        "email",
        "role",
        "organisation",
        "is_staff",
        "is_active",
    )
    list_filter = ("role", "is_staff", "is_active", "is_superuser")
    search_fields = ("username", "first_name", "last_name", "email", "organisation")
    inlines = (UserRepresentativeInline,)
    actions = ("confirm_nominations",)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # Only a superuser grants superuser status or raw permissions.
        if request.user.is_superuser:
            return super().get_readonly_fields(request, obj)
        return ("is_superuser", "groups", "user_permissions", "last_login", "date_joined")

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        if formset.model is PartyRepresentative:
            _save_representatives(formset)
        else:
            super().save_formset(request, form, formset, change)

    @admin.action(description="Confirm the selected users' authorised voter nominations (12.4)")
    def confirm_nominations(self, request: HttpRequest, users: QuerySet[User]) -> None:
        links = PartyRepresentative.objects.filter(
            user__in=users, authorised_voter=True, confirmed_at__isnull=True
        )
        if not links.exists():
            self.message_user(
                request,
                "None of the selected users has an unconfirmed nomination.",
                messages.WARNING,
            )
            return
        confirm_authorised_voters(self, request, links)


@admin.register(AuditRecord)
class AuditRecordAdmin(ReadOnlyAccess, admin.ModelAdmin):
    list_display = ("at", "actor", "action", "target_type", "target_label")
    list_filter = ("action", "target_type", "at")
    search_fields = ("action", "target_label", "target_id", "actor__username")
    list_select_related = ("actor",)
    date_hierarchy = "at"
    readonly_fields = ("at", "actor", "action", "target_type", "target_id", "target_label", "data")


@admin.register(ClosureDay)
class ClosureDayAdmin(SecretariatAccess, admin.ModelAdmin):
    list_display = ("day", "reason")
    list_filter = ("day",)
    search_fields = ("reason",)
    date_hierarchy = "day"
    deletable = True


from . import panel_admin  # noqa: E402,F401 - the Panel's own models (governance)
