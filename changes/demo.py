"""Demo data for the change process: about 30 proposals in every state, walked through the real
services (so events, deadlines and audit records are genuine). Idempotent: a proposal whose
title exists is left alone. Works on an empty database (creates what it needs)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone

from panel.models import Category, Party, PartyCategoryMembership, PartyRepresentative, Role, User

from . import services
from .models import ChangeProposal, ProposerKind, SignificantCodeReview
from .services import MemberSpec
from .states import State

Step = tuple[int, Callable[[ChangeProposal, dt.date], Any]]  # (days after the previous step, do)


def _user(username: str, role: str, **extra: Any) -> User:
    user = User.objects.filter(role=role).order_by("pk").first()
    if role == Role.SECRETARIAT:
        user = user or User.objects.filter(is_superuser=True).order_by("pk").first()
    if user is None:
        user, _ = User.objects.get_or_create(
            username=username,
            defaults={"role": role, "email": f"{username}@dcusa-demo.example", **extra},
        )
    return user


def _party_and_rep() -> tuple[Party, User, Party, User]:
    today = timezone.localdate()
    links = [
        link
        for link in PartyRepresentative.objects.select_related("party", "user")
        .filter(
            party__is_crowded_meter_room_coordinator=False, user__role=Role.PARTY_REPRESENTATIVE
        )
        .order_by("pk")
        if not services.party_standing_problem(link.party, today)
    ][:2]
    if len(links) < 2:
        for code, name in (("DEMA", "Demo Energy A"), ("DEMB", "Demo Energy B")):
            party, _ = Party.objects.get_or_create(
                short_code=code,
                defaults={
                    "name": name,
                    "company_number": f"DEMO{code}",
                    "registered_address": "1 Demo Street",
                    "notice_address": "1 Demo Street",
                    "notice_email": f"notices@{code.lower()}.example",
                    "accession_date": dt.date(2006, 10, 6),
                },
            )
            PartyCategoryMembership.objects.get_or_create(
                party=party, category=Category.SUPPLIER, valid_from=dt.date(2006, 10, 6)
            )
            user, _ = User.objects.get_or_create(
                username=f"rep-{code.lower()}", defaults={"role": Role.PARTY_REPRESENTATIVE}
            )
            PartyRepresentative.objects.get_or_create(user=user, party=party)
        links = list(
            PartyRepresentative.objects.select_related("party", "user")
            .filter(party__is_crowded_meter_room_coordinator=False)
            .order_by("pk")[:2]
        )
    return links[0].party, links[0].user, links[1].party, links[1].user


TITLES: list[tuple[str, State, str]] = [
    ("Cost-reflective residual charging for EV charge points", State.DRAFT, "charging"),
    ("Smart meter installation data to be shared with DNOs", State.SUBMITTED, "smart"),
    (
        "Clarify the definition of Metering Point in Schedule 2A",
        State.REFUSED_INCOMPLETE,
        "drafting",
    ),
    ("Supplier of Last Resort: recovery of DUoS bad debt", State.WITH_PANEL, "solr"),
    ("Introduce a new capacity charge for data centres", State.REFUSED, "charging"),
    ("Standardise connection offers for heat pumps", State.REFERRED_TO_AUTHORITY, "ev"),
    ("EV connection boundary for domestic chargepoints", State.DEFINITION, "ev"),
    ("Smart export guarantee settlement data flows", State.DEFINITION, "smart"),
    (
        "Supplier of Last Resort: transfer of customer data to the new Supplier",
        State.REPORT_PHASE,
        "solr",
    ),
    ("Half-hourly settlement: DUoS billing alignment", State.REPORT_ISSUED, "charging"),
    ("Flexibility services: visibility of DNO dispatch", State.REPORT_ISSUED, "smart"),
    ("Update references to the Retail Energy Code", State.AWAITING_VOTE, "drafting"),
    ("Curtailable connections: charging for non-firm access", State.VOTING, "ev"),
    (
        "Annual review of the Common Distribution Charging Methodology inputs",
        State.DATE_REASSESSMENT,
        "charging",
    ),
    ("Ofgem direction: access SCR consequential changes", State.AWAITING_AUTHORITY, "authority"),
    ("Faster disconnection notices for vacant premises", State.ACCEPTED_APPEAL_WINDOW, "solr"),
    ("Remove the paper invoice requirement", State.REJECTED_APPEAL_WINDOW, "drafting"),
    ("Smart meter exception reporting to Suppliers", State.UNDER_APPEAL, "smart"),
    ("EV charge point register shared with DNOs", State.APPROVED, "ev"),
    ("Embedded capacity register publication", State.IMPLEMENTING, "smart"),
    ("Correct typographical errors in Schedule 16", State.IMPLEMENTED, "drafting"),
    ("Socialise SoLR levy through fixed charges", State.REJECTED, "solr"),
    ("Independent review of the Panel's voting thresholds", State.SCR_SUSPENDED, "charging"),
    ("Metering point administration fees", State.WITHDRAWN, "charging"),
    ("Voltage unbalance charges for EV hubs", State.LEFT_PROCESS, "ev"),
    ("Treatment of storage in the demand residual", State.DEFINITION, "charging"),
    ("Smart meter rollout: access to premises obligations", State.REPORT_PHASE, "smart"),
    ("Supplier of Last Resort: credit cover returns", State.IMPLEMENTED, "solr"),
    ("Consumer vulnerability data sharing", State.WITH_PANEL, "smart"),
    ("Long-term development statement timing", State.REJECTED, "drafting"),
]


def seed_changes(*, stdout: Any = None) -> int:
    """Create the demo proposals that do not exist yet; returns how many were created."""
    secretariat = _user("changes-secretariat", Role.SECRETARIAT, is_staff=True, is_superuser=True)
    authority = _user("changes-authority", Role.AUTHORITY)
    party, rep, other_party, other_rep = _party_and_rep()
    today = timezone.localdate()
    created = 0
    existing = set(ChangeProposal.objects.values_list("title", flat=True))
    for title, state, theme in TITLES:
        if title in existing:
            continue
        with transaction.atomic():
            _build(
                title,
                state,
                theme,
                today,
                secretariat,
                authority,
                party,
                rep,
                other_party,
                other_rep,
            )
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


def _build(
    title: str,
    state: State,
    theme: str,
    today: dt.date,
    sec: User,
    authority: User,
    party: Party,
    rep: User,
    other_party: Party,
    other_rep: User,
) -> None:
    authority_cp = theme == "authority"
    urgent = theme == "solr"
    steps = _path(state, sec, authority, rep, other_rep, other_party)
    start = today - dt.timedelta(days=sum(gap for gap, _ in steps) + 1)
    fields: dict[str, Any] = dict(
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
    if authority_cp:
        p = services.proposal_save_draft(
            by=authority,
            proposer_kind=ProposerKind.AUTHORITY,
            proposer_name="The Authority",
            **fields,
        )
    else:
        p = services.proposal_save_draft(
            by=rep, proposer_kind=ProposerKind.PARTY, proposer_party=party, **fields
        )
    day = start
    for gap, do in steps:
        day = min(day + dt.timedelta(days=gap), today)
        result = do(p, day)
        if isinstance(result, ChangeProposal):
            p = result
        p.refresh_from_db()


def _path(
    state: State, sec: User, auth: User, rep: User, other_rep: User, other_party: Party
) -> list[Step]:
    def t(action: str, by: User | None = sec, reason: str = "", **data: Any) -> Callable:
        return lambda p, day: services.proposal_transition(
            proposal=p, action=action, by=by, reason=reason, today=day, **data
        )

    def submit(p: ChangeProposal, day: dt.date) -> ChangeProposal:
        return services.proposal_submit(proposal=p, by=p.raised_by, today=day)

    def accept(definition: bool) -> Callable:
        def do(p: ChangeProposal, day: dt.date) -> ChangeProposal:
            stages = ["Working Group", "Consultation", "Change Report", "Panel decision"]
            timetable = [
                {"stage": s, "planned": (day + dt.timedelta(days=35 * (i + 1))).isoformat()}
                for i, s in enumerate(stages)
            ]
            return services.proposal_transition(
                proposal=p,
                action="panel_accept",
                by=sec,
                today=day,
                part=1 if p.is_authority_change_proposal else 2,
                definition_procedure=definition and not p.authority_led,
                urgent=p.urgency_requested,
                timetable=timetable,
            )

        return do

    def working_group(p: ChangeProposal, day: dt.date) -> None:
        names = ["Priya Shah", "Tom Evans", "Aisha Khan", "Gareth Jones", "Mei Lin", "Sam Carter"]
        orgs = [
            "Albion Power Networks",
            "Brightwater Energy",
            "Octant Energy",
            "Consumer Body",
            "Kestrel Utilities",
            "Independent",
        ]
        members = [MemberSpec(name=n, organisation=o) for n, o in zip(names, orgs, strict=True)]
        members.append(
            MemberSpec(name="Jo Bloggs", organisation=p.proposer_display, is_proposer_nominee=True)
        )
        group = services.working_group_create(
            proposal=p,
            by=sec,
            name=f"{p.reference} Working Group",
            terms_of_reference=f"Develop {p.reference} and consult the Parties (11.14).",
            members=members,
            chair_name="Priya Shah",
            created_on=day,
        )
        services.working_group_add_meeting(
            working_group=group,
            by=sec,
            held_on=day,
            agenda="1. Terms of reference\n2. Issues",
            minutes="The group agreed its terms of reference.",
        )

    def consultation(p: ChangeProposal, day: dt.date) -> None:
        services.consultation_open(
            proposal=p,
            by=sec,
            title=f"{p.reference} consultation",
            opens_on=day,
            questions=[
                "Do you understand the intent of the proposal?",
                "Do you support it?",
                "Are there costs for your organisation?",
            ],
        )

    def report(p: ChangeProposal, day: dt.date) -> None:
        r = services.change_report_create(
            proposal=p,
            by=sec,
            eligible_categories=["DNO", "IDNO", "SUPPLIER"],
            variation=p.legal_text,
            effects="Modest costs; clearer obligations.",
            implementation_date=p.proposed_implementation_date or day + dt.timedelta(days=200),
            ghg_statement=p.ghg_statement,
            case_for=p.objectives_reasons,
        )
        services.change_report_send_to_authority(report=r, by=sec, sent_on=day)

    def declared(variation: str, date: str = "accepted") -> Callable:
        def do(p: ChangeProposal, day: dt.date) -> ChangeProposal:
            if p.part == 1:
                variation_1 = "recommend_accept" if variation == "accepted" else "recommend_reject"
                return services.proposal_vote_declared(
                    proposal=p,
                    by=sec,
                    variation_outcome=variation_1,
                    date_outcome=variation_1,
                    declared_on=day,
                )
            return services.proposal_vote_declared(
                proposal=p, by=sec, variation_outcome=variation, date_outcome=date, declared_on=day
            )

        return do

    def plan(p: ChangeProposal, day: dt.date) -> None:
        date = p.proposed_implementation_date or day + dt.timedelta(days=120)
        services.implementation_plan_set(
            proposal=p,
            by=sec,
            implementation_date=date,
            set_on=day,
            actions=[
                ("Publish the consolidated DCUSA text", date - dt.timedelta(days=14)),
                ("Notify Parties of the change", date - dt.timedelta(days=30)),
            ],
        )

    def appeal(p: ChangeProposal, day: dt.date) -> None:
        services.appeal_lodge(
            proposal=p,
            by=other_rep,
            appellant_party=other_party,
            appellant_name=other_party.name,
            reasons="We would be unfairly prejudiced (13.20.1).",
            grounds=["13.20.1"],
            lodged_on=day,
        )

    base: list[Step] = [(2, submit)]
    refer: list[Step] = base + [
        (2, t("refer_to_panel", initial_assessment="Likely to affect Suppliers' systems modestly."))
    ]
    defined: list[Step] = refer + [(5, accept(True)), (1, working_group)]
    reported: list[Step] = defined + [
        (20, t("definition_complete")),
        (5, report),
        (1, t("issue_change_report")),
    ]
    to_vote: list[Step] = reported + [(8, t("submit_to_vote")), (1, t("voting_open"))]
    paths: dict[Any, list[Step]] = {
        State.DRAFT: [],
        State.SUBMITTED: base,
        State.REFUSED_INCOMPLETE: base
        + [(2, t("refuse_incomplete", reason="The legal text is missing (10.8)."))],
        State.WITH_PANEL: refer,
        State.REFUSED: refer
        + [
            (
                5,
                t(
                    "panel_refuse",
                    reason="Outside Condition 22 of the Licences.",
                    ground="out_of_scope",
                ),
            )
        ],
        State.REFERRED_TO_AUTHORITY: refer
        + [
            (
                5,
                t(
                    "panel_refuse",
                    reason="Same effect as an earlier proposal.",
                    ground="duplicate",
                    duplicate_of="DCP 100",
                ),
            ),
            (3, t("ask_authority", by=rep, reason="The earlier proposal was different in scope.")),
        ],
        State.DEFINITION: defined + [(2, consultation)],
        State.REPORT_PHASE: defined + [(20, t("definition_complete"))],
        State.REPORT_ISSUED: reported + [(9, lambda p, day: None)],  # ready to vote (11.22)
        State.AWAITING_VOTE: reported + [(8, t("submit_to_vote"))],
        State.VOTING: to_vote,
        State.DATE_REASSESSMENT: to_vote + [(10, declared("accepted", "rejected"))],
        State.AWAITING_AUTHORITY: refer
        + [
            (5, accept(False)),
            (5, report),
            (1, t("issue_change_report")),
            (8, t("submit_to_vote")),
            (1, t("voting_open")),
            (10, declared("accepted")),
        ],
        State.ACCEPTED_APPEAL_WINDOW: to_vote + [(10, declared("accepted"))],
        State.REJECTED_APPEAL_WINDOW: to_vote + [(10, declared("rejected"))],
        State.UNDER_APPEAL: to_vote + [(10, declared("accepted")), (3, appeal)],
        State.APPROVED: to_vote
        + [(10, declared("accepted")), (20, t("appeal_window_close", by=None))],
        State.IMPLEMENTING: to_vote
        + [(10, declared("accepted")), (20, t("appeal_window_close", by=None)), (5, plan)],
        State.IMPLEMENTED: to_vote
        + [
            (10, declared("accepted")),
            (20, t("appeal_window_close", by=None)),
            (5, plan),
            (30, t("mark_implemented")),
        ],
        State.REJECTED: to_vote
        + [(10, declared("rejected")), (20, t("appeal_window_close", by=None))],
        State.SCR_SUSPENDED: defined
        + [
            (
                10,
                t(
                    "scr_suspend",
                    by=auth,
                    reason="Within the scope of the access Significant Code Review.",
                ),
            )
        ],
        State.WITHDRAWN: defined
        + [(0, t("withdraw", by=rep, reason="Superseded by our new proposal."))],
        State.LEFT_PROCESS: defined
        + [
            (5, t("withdraw", by=rep, reason="No longer needed.")),
            (25, t("withdrawal_lapse", by=None)),
        ],
    }
    return paths[state]
