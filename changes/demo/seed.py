"""Seeding the demo: each proposal drafted, then walked along its path through the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from panel.models import Party, Role, User

from .. import services
from ..models import ChangeProposal, ProposerKind, SignificantCodeReview
from .paths import path_to
from .people import demo_user, parties_and_representatives
from .titles import TITLES
from .walk import Step, Walk


def seed_changes(*, stdout: Any = None) -> int:
    """Create the demo proposals that do not exist yet; returns how many were created."""
    secretariat = demo_user(
        "changes-secretariat", Role.SECRETARIAT, is_staff=True, is_superuser=True
    )
    authority = demo_user("changes-authority", Role.AUTHORITY)
    party, rep, other_party, other_rep = parties_and_representatives()
    walk = Walk(
        sec=secretariat, auth=authority, rep=rep, other_rep=other_rep, other_party=other_party
    )
    today = timezone.localdate()
    created = 0
    existing = set(ChangeProposal.objects.values_list("title", flat=True))
    for title, state, theme in TITLES:
        if title in existing:
            continue
        with transaction.atomic():
            proposal = _draft(title, theme, today, walk, party)
            _walk(proposal, path_to(state, walk), today)
        created += 1
    _seed_scr(authority, today)
    if stdout is not None:
        stdout.write(f"Change proposals: {created} created, {len(TITLES) - created} already there.")
    return created


def _seed_scr(authority: User, today: dt.date) -> None:
    if not SignificantCodeReview.objects.filter(reference="SCR-ACCESS").exists():
        services.scr_create(
            by=authority,
            reference="SCR-ACCESS",
            title="Access and forward-looking charges",
            starts_on=today - dt.timedelta(days=400),
            scope="Connection boundary and forward-looking charges.",
        )


def _fields(title: str, theme: str, today: dt.date) -> dict[str, Any]:
    """Everything 10.4 asks, worded for the proposal's theme."""
    authority_cp, urgent = theme == "authority", theme == "solr"
    return dict(
        title=title,
        proposer_contact_name="Jo Bloggs",
        proposer_contact_email="jo.bloggs@dcusa-demo.example",
        description=f"This proposal changes the DCUSA so that: {title.lower()}.",
        purpose=f"The issue: current arrangements for {theme} are unclear and costly.",
        legal_text="See the attached draft legal text.",
        objectives=["G1", "G2"] if theme != "charging" else ["C1", "C3"],
        objectives_reasons="Better facilitates competition and efficient administration.",
        ghg_material=theme == "ev",
        ghg_statement="No material impact." if theme != "ev" else "Supports EV take-up.",
        parts_affected="Section 2A; Schedule 22" if theme != "charging" else "Schedule 16",
        proposer_part_view=1 if authority_cp else 2,
        part_view_reasons="Limited impact on consumers.",
        urgency_requested=urgent,
        urgency_reasons="Supplier failures are happening now." if urgent else "",
        proposed_implementation_date=today + dt.timedelta(days=240),
        impacted_categories=["DNO", "IDNO", "SUPPLIER"],
    )


def _draft(title: str, theme: str, today: dt.date, walk: Walk, party: Party) -> ChangeProposal:
    fields = _fields(title, theme, today)
    if theme == "authority":
        return services.proposal_save_draft(
            by=walk.auth,
            proposer_kind=ProposerKind.AUTHORITY,
            proposer_name="The Authority",
            **fields,
        )
    return services.proposal_save_draft(
        by=walk.rep, proposer_kind=ProposerKind.PARTY, proposer_party=party, **fields
    )


def _walk(p: ChangeProposal, steps: list[Step], today: dt.date) -> None:
    """Take the steps on the days they fall, the last one no later than today."""
    day = today - dt.timedelta(days=sum(gap for gap, _ in steps) + 1)
    for gap, do in steps:
        day = min(day + dt.timedelta(days=gap), today)
        result = do(p, day)
        if isinstance(result, ChangeProposal):
            p = result
        p.refresh_from_db()
