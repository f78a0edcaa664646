"""Pieces every change-process form uses: choices, date inputs, line parsers, and the one way
a service's refusal is shown next to the field it names."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from panel.errors import DomainError

from ..models import ELIGIBLE_CATEGORY_CODES
from ..selectors import CATEGORY_LABELS

CATEGORY_CHOICES = [(c, CATEGORY_LABELS.get(c, c)) for c in ELIGIBLE_CATEGORY_CODES]
PART_CHOICES = [("", "Not given"), ("1", "Part 1 Matter"), ("2", "Part 2 Matter")]
YES_NO = [("", "Choose"), ("yes", "Yes"), ("no", "No")]
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def attach_domain_error(form: forms.Form, exc: DomainError, *, default: str | None = None) -> None:
    """Show a service's refusal next to the field it names (else `default`, else at the top)."""
    name = exc.field if exc.field in form.fields else None
    if name is None and default in form.fields:
        name = default
    form.add_error(name, exc.message)


def parse_dated_lines(text: str, *, what: str) -> list[tuple[str, dt.date]]:
    """'Text | 2027-05-20' per line -> [(text, date)]."""
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        name, sep, day_text = line.rpartition("|")
        try:
            day = dt.date.fromisoformat(day_text.strip())
        except ValueError:
            day = None
        if not sep or not name.strip() or day is None:
            raise ValidationError(f"Line {number}: write each {what} as 'Text | YYYY-MM-DD'.")
        rows.append((name.strip(), day))
    return rows


def parse_timetable(text: str) -> list[dict[str, Any]]:
    """'Stage name | 2027-05-20' per line -> [{stage, planned, actual}]."""
    stages = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        name, sep, planned = line.rpartition("|")
        try:
            day = dt.date.fromisoformat(planned.strip())
        except ValueError:
            day = None
        if not sep or not name.strip() or day is None:
            raise ValidationError(f"Line {number}: write each stage as 'Stage name | YYYY-MM-DD'.")
        stages.append({"stage": name.strip(), "planned": day.isoformat(), "actual": None})
    return stages


def text_lines(text: str | None) -> list[str]:
    """One item per non-empty line, trimmed."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several papers in one upload (Django's documented pattern)."""

    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []
