"""Suspensions in the admin: recorded and restored through the suspension service (54.3-54.4),
which checks the period, audits, and sends the notice to the Authority and the Parties."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import admin
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest

from .. import services
from ..errors import DomainError
from ..models import Suspension
from .base import HistoryAdmin, SecretariatAccess, actor, form_error


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
            form_error(self, exc)
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


def save_suspensions(request: HttpRequest, formset: BaseInlineFormSet) -> None:
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
