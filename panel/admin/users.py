"""Users and roles in the admin; every save through `panel.services.user_save`, which audits
a change of role; second-factor devices are read here and removed by an audited action."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from .. import services
from ..models import AuditRecord, PartyRepresentative, User
from .base import ReadOnlyAccess, SecretariatAccess, actor, save_register_formset
from .parties import UserRepresentativeInline
from .register import confirm_authorised_voters, issue_codes_to


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
    actions = ("confirm_nominations", "issue_enrolment_codes")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # Only a superuser grants superuser status or raw permissions.
        if request.user.is_superuser:
            return super().get_readonly_fields(request, obj)
        return ("is_superuser", "groups", "user_permissions", "last_login", "date_joined")

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        services.user_save(by=actor(request), user=obj)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        if formset.model is PartyRepresentative:
            save_register_formset(request, formset)
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

    @admin.action(description="Issue one-time enrolment codes to the selected users")
    def issue_enrolment_codes(self, request: HttpRequest, users: QuerySet[User]) -> Any:
        return issue_codes_to(self, request, users)


@admin.register(AuditRecord)
class AuditRecordAdmin(ReadOnlyAccess, admin.ModelAdmin):
    list_display = ("at", "actor", "action", "target_type", "target_label")
    list_filter = ("action", "target_type", "at")
    search_fields = ("action", "target_label", "target_id", "actor__username")
    list_select_related = ("actor",)
    date_hierarchy = "at"
    readonly_fields = ("at", "actor", "action", "target_type", "target_id", "target_label", "data")


@admin.action(description="Remove the selected devices (the user sets up a new one at sign-in)")
def remove_devices(
    modeladmin: admin.ModelAdmin, request: HttpRequest, devices: QuerySet[Any]
) -> None:
    count = 0
    for device in devices.select_related("user"):
        services.second_factor_remove(
            by=actor(request), device=device, reason="removed in the admin"
        )
        count += 1
    modeladmin.message_user(request, f"Removed {count} device(s); each removal is audited.")


class DeviceAdmin(ReadOnlyAccess, admin.ModelAdmin):
    """Second-factor devices: read here; a lost one is removed by the audited action only."""

    list_display = ("user", "name", "confirmed")
    list_filter = ("confirmed",)
    search_fields = ("user__username", "name")
    list_select_related = ("user",)
    actions = (remove_devices,)
    fields = ("user", "name", "confirmed")
    readonly_fields = fields


for _device in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_device):
        admin.site.unregister(_device)
    admin.site.register(_device, DeviceAdmin)
