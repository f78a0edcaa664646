"""What every panel admin page shares: access by role, the acting user, service-checked forms.

Access is for staff accounts whose role is Secretariat (or a superuser), by `panel.access`.
Register tables save through `panel.services.register`; process records are read-only windows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from simple_history.admin import SimpleHistoryAdmin

from .. import services
from ..access import SECRETARIAT, allowed
from ..errors import DomainError
from ..models import User


def is_secretariat_staff(request: HttpRequest) -> bool:
    return bool(request.user.is_staff and allowed(request.user, SECRETARIAT))


def actor(request: HttpRequest) -> User:
    """The signed-in user acting in the admin (admin views are for signed-in staff only)."""
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user


def form_error(form: forms.BaseForm, exc: DomainError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


class SafeAutocompleteSelect(AutocompleteSelect):
    """Leaves out selected values that are not keys (a hand-edited address) instead of a 500."""

    def optgroups(self, name: str, value: Sequence[str], attr: Any = None) -> Any:
        remote = self.field.remote_field
        target = remote.model._meta.get_field(remote.field_name)
        keys = []
        for v in value:
            try:
                target.to_python(v)
            except ValidationError:
                continue
            keys.append(v)
        return super().optgroups(name, keys, attr)


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

    def formfield_for_foreignkey(
        self, db_field: models.ForeignKey, request: HttpRequest, **kwargs: Any
    ) -> Any:
        if db_field.name in self.get_autocomplete_fields(request):  # type: ignore[attr-defined]
            kwargs.setdefault(
                "widget",
                SafeAutocompleteSelect(
                    db_field,
                    self.admin_site,  # type: ignore[attr-defined]
                    using=kwargs.get("using"),
                ),
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]


class ReadOnlyAccess(SecretariatAccess):
    """A window: the Secretariat reads, filters and searches; nothing is added or changed."""

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class HistoryAdmin(SecretariatAccess, SimpleHistoryAdmin):
    """Who changed what, when; reverting from history is off (make a new change instead)."""

    def revert_disabled(self, request: HttpRequest, obj: Any = None) -> bool:
        return True


class RegisterForm(forms.ModelForm):
    """A register row's form: the register service's rules are checked before saving."""

    def _post_clean(self) -> None:
        super()._post_clean()  # type: ignore[misc]
        if self.errors:
            return
        try:
            services.register_row_check(row=self.instance)
        except DomainError as exc:
            form_error(self, exc)


class RegisterAdmin(HistoryAdmin):
    """A register table: every save and removal goes through `panel.services.register`."""

    form = RegisterForm

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        services.register_row_save(by=actor(request), row=obj)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        services.register_row_remove(by=actor(request), row=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for obj in queryset:
            services.register_row_remove(by=actor(request), row=obj)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        save_register_formset(request, formset)


class RegisterInline(SecretariatAccess, admin.TabularInline):
    form = RegisterForm
    extra = 0


def save_register_formset(request: HttpRequest, formset: BaseInlineFormSet) -> None:
    """Each new, changed or removed row of an inline through the register service."""
    for row in formset.save(commit=False):
        services.register_row_save(by=actor(request), row=row)
    for row in formset.deleted_objects:
        services.register_row_remove(by=actor(request), row=row)
    formset.save_m2m()


class ProcessAdmin(ReadOnlyAccess, SimpleHistoryAdmin):
    """A process record (Panel offices, meetings, resolutions, minutes, the Standing Issues
    Group): read here; what the Secretariat does is an action or a link to the Panel's page,
    which calls the service. Nothing is deleted."""

    def revert_disabled(self, request: HttpRequest, obj: Any = None) -> bool:
        return True


class ReadOnlyInline(ReadOnlyAccess, admin.TabularInline):
    extra = 0
    can_delete = False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return [f.name for f in self.model._meta.fields]


def link_action(
    description: str, url: Callable[[Any], str]
) -> Callable[[admin.ModelAdmin, HttpRequest, QuerySet[Any]], HttpResponse | None]:
    """An admin action that opens the Panel's page for the one row selected."""

    def action(
        modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Any]
    ) -> HttpResponse | None:
        if queryset.count() != 1:
            modeladmin.message_user(request, "Select exactly one row.", messages.WARNING)
            return None
        return HttpResponseRedirect(url(queryset.get()))

    action.short_description = description  # type: ignore[attr-defined]
    action.__name__ = "open_" + "".join(c if c.isalnum() else "_" for c in description.lower())
    return action
