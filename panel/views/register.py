"""Public pages of the register: the list of Parties (Schedule 14) and a Party's page.

No N and no contact details here (57.1): only what the Website may publish.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from ..forms.register import PartyListFilterForm
from ..models import Affiliation, Party, PartyCategoryMembership
from ..selectors import public_parties
from .paging import one_page

PAGE_SIZE = 50


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


def _filtered(parties: QuerySet[Party], form: PartyListFilterForm, on: dt.date) -> QuerySet[Party]:
    if not form.is_valid():
        return parties
    category = form.cleaned_data["category"]
    if category:
        held = PartyCategoryMembership.objects.on(on).filter(category=category)
        parties = parties.filter(pk__in=held.values("party_id"))
    search = form.cleaned_data["q"].strip()
    if search:
        parties = parties.filter(Q(name__icontains=search) | Q(short_code__iexact=search))
    return parties


def party_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    form = PartyListFilterForm(request.GET or None)
    parties = _filtered(_register_today(today), form, today)
    page, query = one_page(request, parties, PAGE_SIZE)
    return render(
        request,
        "panel/party_list.html",
        {"form": form, "page": page, "today": today, "query": query},
    )


def _affiliates(party: Party, current: Affiliation | None, on: dt.date) -> list[Party]:
    """The other Parties in the same corporate group on `on`."""
    if current is None:
        return []
    group = Affiliation.objects.on(on).filter(corporate_group_id=current.corporate_group_id)
    return list(
        Party.objects.filter(pk__in=group.values("party_id")).exclude(pk=party.pk).order_by("name")
    )


def party_detail(request: HttpRequest, short_code: str) -> HttpResponse:
    today = timezone.localdate()
    party = get_object_or_404(Party, short_code=short_code)
    categories = list(
        PartyCategoryMembership.objects.filter(party=party).order_by("valid_from", "category")
    )
    affiliations = list(
        Affiliation.objects.filter(party=party)
        .select_related("corporate_group")
        .order_by("valid_from")
    )
    current = next((a for a in affiliations if _covers(a, today)), None)
    context = {
        "party": party,
        "today": today,
        "is_party_today": party.is_party_on(today),
        "categories": categories,
        "categories_today": [m for m in categories if _covers(m, today)],
        "current_group": current.corporate_group if current else None,
        "affiliates": _affiliates(party, current, today),
        "affiliations": affiliations,
    }
    return render(request, "panel/party_detail.html", context)


def _covers(row: Affiliation | PartyCategoryMembership, on: dt.date) -> bool:
    return row.valid_from <= on and (row.valid_to is None or on <= row.valid_to)
