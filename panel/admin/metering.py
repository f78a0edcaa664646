"""N data in the admin: one snapshot by the form or many by CSV, never changed or deleted."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from .. import services
from ..errors import DomainError, NotAllowed
from ..importers import METERING_CHOICES
from ..models import MeteringSnapshot
from .base import SecretariatAccess, actor, form_error

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


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
            form_error(self, exc)
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
