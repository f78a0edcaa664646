"""The steps a demo proposal is walked through, each a real service call on a given day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile

from panel.models import Party, User

from .. import services
from ..models import ChangeProposal
from ..services import MemberSpec

Do = Callable[[ChangeProposal, dt.date], Any]
Step = tuple[int, Do]  # (days after the previous step, what is done)

WORKING_GROUP = [
    ("Priya Shah", "Albion Power Networks"),
    ("Tom Evans", "Brightwater Energy"),
    ("Aisha Khan", "Octant Energy"),
    ("Gareth Jones", "Consumer Body"),
    ("Mei Lin", "Kestrel Utilities"),
    ("Sam Carter", "Independent"),
]
QUESTIONS = [
    "Do you understand the intent of the proposal?",
    "Do you support it?",
    "Are there costs for your organisation?",
]
TIMETABLE_STAGES = ["Working Group", "Consultation", "Change Report", "Panel decision"]


@dataclass(frozen=True)
class Walk:
    """Who takes the demo's steps: the Secretariat, the Authority, the Proposer's representative,
    and another Party (which appeals)."""

    sec: User
    auth: User
    rep: User
    other_rep: User
    other_party: Party

    def step(self, action: str, by: User | None | str = "sec", reason: str = "", **data: Any) -> Do:
        """A state machine step by the Secretariat unless `by` names another (or None: the job)."""
        who = getattr(self, by) if isinstance(by, str) else by
        return lambda p, day: services.proposal_transition(
            proposal=p, action=action, by=who, reason=reason, today=day, **data
        )

    def submit(self, p: ChangeProposal, day: dt.date) -> ChangeProposal:
        return services.proposal_submit(proposal=p, by=p.raised_by, today=day)

    def accept(self, definition: bool) -> Do:
        def do(p: ChangeProposal, day: dt.date) -> ChangeProposal:
            timetable = [
                {"stage": s, "planned": (day + dt.timedelta(days=35 * (i + 1))).isoformat()}
                for i, s in enumerate(TIMETABLE_STAGES)
            ]
            return services.proposal_transition(
                proposal=p,
                action="panel_accept",
                by=self.sec,
                today=day,
                part=1 if p.is_authority_change_proposal else 2,
                definition_procedure=definition and not p.authority_led,
                urgent=p.urgency_requested,
                timetable=timetable,
            )

        return do

    def working_group(self, p: ChangeProposal, day: dt.date) -> None:
        members = [MemberSpec(name=n, organisation=o) for n, o in WORKING_GROUP]
        members.append(
            MemberSpec(name="Jo Bloggs", organisation=p.proposer_display, is_proposer_nominee=True)
        )
        group = services.working_group_create(
            proposal=p,
            by=self.sec,
            name=f"{p.reference} Working Group",
            terms_of_reference=f"Develop {p.reference} and consult the Parties (11.14).",
            members=members,
            chair_name=WORKING_GROUP[0][0],
            created_on=day,
        )
        services.working_group_add_meeting(
            working_group=group,
            by=self.sec,
            held_on=day,
            agenda="1. Terms of reference\n2. Issues",
            minutes="The group agreed its terms of reference.",
        )

    def consultation(self, p: ChangeProposal, day: dt.date) -> None:
        services.consultation_open(
            proposal=p,
            by=self.sec,
            title=f"{p.reference} consultation",
            opens_on=day,
            today=day,
            questions=QUESTIONS,
        )

    def report(self, p: ChangeProposal, day: dt.date) -> None:
        r = services.change_report_create(
            proposal=p,
            by=self.sec,
            eligible_categories=["DNO", "IDNO", "SUPPLIER"],
            variation=p.legal_text,
            effects="Modest costs; clearer obligations.",
            implementation_date=p.proposed_implementation_date or day + dt.timedelta(days=200),
            ghg_statement=p.ghg_statement,
            case_for=p.objectives_reasons,
        )
        services.change_report_send_to_authority(report=r, by=self.sec, sent_on=day, today=day)

    def declared(self, variation: str, date: str = "accepted") -> Do:
        """The declaration, in the outcomes of the proposal's Part (13.4-13.7, 14.3)."""

        def do(p: ChangeProposal, day: dt.date) -> ChangeProposal:
            if p.part == 1:
                outcome = "recommend_accept" if variation == "accepted" else "recommend_reject"
                variation_outcome, date_outcome = outcome, outcome
            else:
                variation_outcome, date_outcome = variation, date
            return services.proposal_vote_declared(
                proposal=p,
                by=self.sec,
                variation_outcome=variation_outcome,
                date_outcome=date_outcome,
                declared_on=day,
            )

        return do

    def plan(self, p: ChangeProposal, day: dt.date) -> None:
        date = p.proposed_implementation_date or day + dt.timedelta(days=120)
        services.implementation_plan_set(
            proposal=p,
            by=self.sec,
            implementation_date=date,
            set_on=day,
            actions=[
                ("Publish the consolidated DCUSA text", date - dt.timedelta(days=14)),
                ("Notify Parties of the change", date - dt.timedelta(days=30)),
            ],
        )

    def actions_done(self, p: ChangeProposal, day: dt.date) -> None:
        """Every action of the plan done (14.7), so the variation can be recorded as made."""
        for action in p.implementation_plan.actions.filter(superseded_on=None, done_on=None):
            services.implementation_action_done(action=action, by=self.sec, done_on=day)

    def appeal(self, p: ChangeProposal, day: dt.date) -> None:
        letter = ContentFile(b"We appeal the acceptance (13.17).", name="appeal-letter.txt")
        services.appeal_lodge(  # received in writing: the Secretariat records it with the letter
            proposal=p,
            by=self.sec,
            appellant_party=self.other_party,
            appellant_name=self.other_party.name,
            reasons="We would be unfairly prejudiced (13.20.1).",
            grounds=["13.20.1"],
            lodged_on=day,
            documents=[services.Upload(title="Letter of appeal", file=letter)],
        )
