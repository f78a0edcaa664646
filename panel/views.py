"""Public pages of the register: the list of Parties (Schedule 14) and a Party's page.

No N and no contact details here (57.1): only what the Website may publish.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from .models import Affiliation, Category, Party, PartyCategoryMembership
from .selectors import public_parties

PAGE_SIZE = 50


class PartyListFilterForm(forms.Form):
    category = forms.ChoiceField(
        label="Party Category",
        required=False,
        choices=[("", "All categories"), *Category.choices],
    )
    q = forms.CharField(label="Name or short code", required=False, max_length=100)


def _register_today(on: dt.date) -> QuerySet[Party]:
    """Parties today with only today's categories and corporate group (3 queries per page)."""
    return public_parties(on).prefetch_related(
        Prefetch(
            "categories",
            queryset=PartyCategoryMembership.objects.on(on).order_by("category"),
            to_attr="categories_today",
        ),
        Prefetch(
            "affiliations",
            queryset=Affiliation.objects.on(on).select_related("corporate_group"),
            to_attr="affiliations_today",
        ),
    )


def party_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    form = PartyListFilterForm(request.GET or None)
    parties = _register_today(today)
    if form.is_valid():
        category = form.cleaned_data["category"]
        if category:
            held = PartyCategoryMembership.objects.on(today).filter(category=category)
            parties = parties.filter(pk__in=held.values("party_id"))
        search = form.cleaned_data["q"].strip()
        if search:
            parties = parties.filter(Q(name__icontains=search) | Q(short_code__iexact=search))
    page = Paginator(parties, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "panel/party_list.html",
        {"form": form, "page": page, "today": today, "query": query.urlencode()},
    )


def party_detail(request: HttpRequest, short_code: str) -> HttpResponse:
    today = timezone.localdate()
    party = get_object_or_404(
        Party.objects.prefetch_related(
            Prefetch(
                "categories",
                queryset=PartyCategoryMembership.objects.order_by("valid_from", "category"),
            ),
            Prefetch(
                "affiliations",
                queryset=Affiliation.objects.select_related("corporate_group").order_by(
                    "valid_from"
                ),
            ),
        ),
        short_code=short_code,
    )
    current = next((a for a in party.affiliations.all() if _covers(a, today)), None)
    affiliates: list[Party] = []
    if current is not None:
        affiliates = list(
            Party.objects.filter(
                pk__in=Affiliation.objects.on(today)
                .filter(corporate_group_id=current.corporate_group_id)
                .values("party_id")
            )
            .exclude(pk=party.pk)
            .order_by("name")
        )
    categories = list(party.categories.all())
    return render(
        request,
        "panel/party_detail.html",
        {
            "party": party,
            "today": today,
            "is_party_today": party.is_party_on(today),
            "categories": categories,
            "categories_today": [m for m in categories if _covers(m, today)],
            "current_group": current.corporate_group if current else None,
            "affiliates": affiliates,
            "affiliations": list(party.affiliations.all()),
        },
    )


def _covers(row: Affiliation | PartyCategoryMembership, on: dt.date) -> bool:
    return row.valid_from <= on and (row.valid_to is None or on <= row.valid_to)
