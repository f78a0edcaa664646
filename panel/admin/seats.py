"""Panel offices in the admin: read-only. An office is ended through the appointment service
(`appointment_end`): the vacancy and the Alternate's step-up follow as on the Panel's pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from .. import services
from ..errors import DomainError
from ..forms.fields import DateField
from ..models import (
    EndReason,
    NonVotingAppointment,
    PanelAppointment,
    PanelChair,
    PanelVacancy,
)
from .base import ProcessAdmin, RegisterAdmin, actor, form_error, is_secretariat_staff, link_action

ADD_FIELDS = (
    "person",
    "role",
    "constituency",
    "seat",
    "appointed_from",
    "employer",
    "employer_name",
    "allocated_to",
    "appointed_under",
    "elected_on",
    "confirmed_on",
)


class AppointmentForm(forms.ModelForm):
    """A new office holder (6.3-6.6, 5.8), checked by the appointment service's rules."""

    class Meta:
        model = PanelAppointment
        fields = ADD_FIELDS

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        try:
            services.appointment_check(
                role=data.get("role") or "",
                constituency=data.get("constituency") or "",
                allocated_to=data.get("allocated_to"),
            )
        except DomainError as exc:
            form_error(self, exc)
        return data


class EndOfficeForm(forms.Form):
    on = DateField(label="Office ends on", required=True)
    reason = forms.ChoiceField(
        choices=[(k, v) for k, v in EndReason.choices if k != EndReason.STEPPED_UP]
    )
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)


@admin.action(description="End the selected office (6.7-6.8): fills the vacancy (6.9)")
def end_office(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[PanelAppointment]
) -> HttpResponse | None:
    if queryset.count() != 1:
        modeladmin.message_user(request, "Select exactly one office.", messages.WARNING)
        return None
    return HttpResponseRedirect(
        reverse("admin:panel_panelappointment_end", args=[queryset.get().pk])
    )


@admin.register(PanelAppointment)
class PanelAppointmentAdmin(ProcessAdmin):
    list_display = (
        "person",
        "role",
        "constituency",
        "seat",
        "employer",
        "appointed_from",
        "term_ends",
        "ended_on",
        "end_reason",
    )
    list_filter = ("role", "constituency", "end_reason")
    search_fields = ("person__first_name", "person__last_name", "person__username")
    list_select_related = ("person", "employer")
    raw_id_fields = ("person", "employer", "allocated_to")
    actions = (
        end_office,
        link_action("Open the Panel register", lambda a: reverse("panel_work:member_list")),
    )

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        """A new office holder is recorded through `appointment_create`; none is changed."""
        return is_secretariat_staff(request)

    def get_form(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        if obj is None:
            kwargs["form"] = AppointmentForm
            kwargs["fields"] = ADD_FIELDS
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ADD_FIELDS if obj is None else super().get_fields(request, obj)

    def save_model(
        self, request: HttpRequest, obj: PanelAppointment, form: Any, change: bool
    ) -> None:
        data = {name: form.cleaned_data.get(name) for name in ADD_FIELDS}
        data["employer_name"] = data["employer_name"] or ""
        saved = services.appointment_create(by=actor(request), **data)
        obj.pk = saved.pk

    def get_urls(self) -> list[Any]:
        view = self.admin_site.admin_view(self.end_view)
        return [path("<int:pk>/end/", view, name="panel_panelappointment_end"), *super().get_urls()]

    def end_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """End an office through the appointment service (vacancy, Alternate step-up)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        appointment = get_object_or_404(PanelAppointment.objects.select_related("person"), pk=pk)
        form = EndOfficeForm(request.POST or None, initial={"on": timezone.localdate()})
        if request.method == "POST" and form.is_valid():
            try:
                vacancy = services.appointment_end(
                    by=actor(request),
                    appointment=appointment,
                    on=form.cleaned_data["on"],
                    reason=form.cleaned_data["reason"],
                    note=form.cleaned_data["note"],
                )
            except DomainError as exc:
                form_error(form, exc)
            else:
                said = f"{appointment.display_name}'s office ended."
                if vacancy is not None:
                    said += f" {vacancy.note}"
                self.message_user(request, said, messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:panel_panelappointment_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "title": f"End the office of {appointment}",
            "opts": self.model._meta,
            "form": form,
            "appointment": appointment,
        }
        return TemplateResponse(request, "admin/panel/end_office.html", context)


@admin.register(PanelVacancy)
class PanelVacancyAdmin(ProcessAdmin):
    list_display = ("vacated", "arose_on", "reason", "outcome", "filled_by")
    list_filter = ("outcome", "reason")
    list_select_related = ("vacated__person", "filled_by__person")


@admin.register(NonVotingAppointment)
class NonVotingAppointmentAdmin(RegisterAdmin):
    """Those entitled to attend and speak (5.7): a list kept like the register, saved through
    the register service with an audit record, ended by a date rather than deleted."""

    list_display = ("name", "body", "appointed_from", "ended_on")
    list_filter = ("body",)
    search_fields = ("name",)


@admin.register(PanelChair)
class PanelChairAdmin(ProcessAdmin):
    """Appointed through the Panel's resolution at a meeting (7.1)."""

    list_display = ("appointment", "appointed_on", "ended_on", "end_reason")
    list_filter = ("end_reason",)
