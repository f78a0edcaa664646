"""The admin of the change process is a window, not a back door.

Process records are listed, filtered, searched and shown; nobody adds, edits or deletes them
here. What the Secretariat must do is an admin action that calls the service (checked,
validated, evented, audited) or a link to the desk form that does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse

from panel import access
from panel.errors import DomainError
from panel.models import User


def acting(request: HttpRequest) -> User:
    """The signed-in user acting in the admin (admin views are for signed-in staff only)."""
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user


def is_secretariat_staff(request: HttpRequest) -> bool:
    return bool(request.user.is_staff and access.allowed(request.user, access.SECRETARIAT))


class SecretariatWindow:
    """Seen by the Secretariat's staff only; no add, no edit, no delete."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_secretariat_staff(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_secretariat_staff(request)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_secretariat_permission(self, request: HttpRequest) -> bool:
        """Admin actions declared with allowed_permissions=("secretariat",)."""
        return is_secretariat_staff(request)


class ProcessRecordAdmin(SecretariatWindow, admin.ModelAdmin):
    """A process record: read-only in the admin."""


class ReadOnlyInline(SecretariatWindow, admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = True

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return self.fields or [f.name for f in self.model._meta.fields]


class ReasonForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text="Kept with the record and in the audit trail.",
    )


Service = Callable[[Any, Any, str], Any]  # (record, by, reason)


def action_with_reason(*, name: str, description: str, done: str, service: Service) -> Any:
    """An admin action that asks for the reason on an intermediate page, then calls `service`
    for each selected record; refusals are shown, one message each."""

    def action(
        modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet
    ) -> HttpResponse | None:
        form = ReasonForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            count = 0
            for record in queryset:
                try:
                    service(record, acting(request), form.cleaned_data["reason"])
                except DomainError as refusal:
                    modeladmin.message_user(request, f"{record}: {refusal.message}", messages.ERROR)
                else:
                    count += 1
            if count:
                modeladmin.message_user(request, done.format(count=count), messages.SUCCESS)
            return None
        context = {
            **modeladmin.admin_site.each_context(request),
            "title": description,
            "action": name,
            "form": form,
            "records": list(queryset),
            "opts": modeladmin.model._meta,
            "selected": request.POST.getlist(helpers.ACTION_CHECKBOX_NAME),
        }
        return TemplateResponse(request, "admin/changes/action_reason.html", context)

    action.__name__ = name
    return admin.action(description=description, permissions=["secretariat"])(action)


def action_calling(*, name: str, description: str, done: str, service: Callable) -> Any:
    """An admin action that calls `service(record, by)` for each selected record."""

    def action(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet) -> None:
        count = 0
        for record in queryset:
            try:
                service(record, acting(request))
            except DomainError as refusal:
                modeladmin.message_user(request, f"{record}: {refusal.message}", messages.ERROR)
            else:
                count += 1
        if count:
            modeladmin.message_user(request, done.format(count=count), messages.SUCCESS)

    action.__name__ = name
    return admin.action(description=description, permissions=["secretariat"])(action)


def action_to_desk(*, name: str, description: str, url: Callable[[Any], str | None]) -> Any:
    """An admin action that takes the one selected record to its desk form."""

    def action(
        modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet
    ) -> HttpResponse | None:
        if queryset.count() != 1:
            modeladmin.message_user(request, "Select exactly one record.", messages.WARNING)
            return None
        record = queryset.get()
        target = url(record)
        if target is None:
            modeladmin.message_user(
                request, f"{record}: this step is not taken on the desk.", messages.WARNING
            )
            return None
        return HttpResponseRedirect(target)

    action.__name__ = name
    return admin.action(description=description, permissions=["secretariat"])(action)
