"""Appeals to the Authority against a Part 2 acceptance or rejection (13.17-13.22).

An appellant lodges online (dated by the system's clock) or the Secretariat records an appeal
received in writing (the letter attached, dated neither in the future nor before the outcome).
The Authority decides each appeal on its own; the proposal moves when a decision changes the
outcome (quashed, sent back) or when the last pending appeal is decided (the outcome stands).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from panel import access
from panel.errors import Conflict, DomainError, NotAllowed
from panel.mail import mail_send
from panel.models import Party, Role, User
from panel.selectors import panel_people_emails
from panel.services.common import audited_create, audited_save

from ..audit import ChangeAction
from ..models import AppealRecord, ChangeDocument, ChangeProposal
from ..states import State
from .authority import authority_decision_record
from .dated import step_date
from .documents import Upload, documents_attach
from .proposals import party_standing_problem
from .steps import proposal_transition

# The criteria of 13.20 an appeal argues against (13.18.2); the last two depend on the outcome.
GROUNDS = {
    "13.20.1": "The appellant is likely to be unfairly prejudiced by the acceptance or rejection",
    "13.20.2": "The acceptance may not better facilitate at least one of the DCUSA Objectives "
    "than a rejection would",
    "13.20.3": "Acceptance may have better facilitated at least one of the DCUSA Objectives",
}
GROUNDS_AGAINST = {
    "accepted": ("13.20.1", "13.20.2"),
    "rejected": ("13.20.1", "13.20.3"),
}

APPEAL_OUTCOMES = {
    AppealRecord.Outcome.SCREENED_OUT: "appeal_screened_out",
    AppealRecord.Outcome.DISMISSED: "appeal_dismissed",
    AppealRecord.Outcome.QUASHED: "appeal_quashed",
    AppealRecord.Outcome.SENT_BACK: "appeal_sent_back",
}
# A decision that changes the outcome settles the proposal at once (13.21.2(B), 13.22).
CHANGES_OUTCOME = frozenset({AppealRecord.Outcome.QUASHED, AppealRecord.Outcome.SENT_BACK})

Paper = ChangeDocument | Upload


def _against(proposal: ChangeProposal) -> str:
    return "accepted" if proposal.vote_outcome == "accepted" else "rejected"


def _check_appellant(*, by: User, party: Party | None, on: dt.date, secretariat: bool) -> None:
    """A Party appeals through its representatives, in standing (13.17.1, 54.4); the Consumer
    Body, the transmission operator and designated bodies appeal for themselves (13.17.2-4)."""
    if party is not None:
        if not secretariat and party.pk not in by.represented_party_ids():
            raise NotAllowed(
                f"You do not represent {party.name}: only its representatives may appeal for it "
                "(13.17).",
                field="appellant_party",
                rule="13.17",
            )
        problem = party_standing_problem(party, on)
        if problem:
            raise NotAllowed(
                problem + ", so it may not appeal.", field="appellant_party", rule="54.4"
            )
    elif not secretariat and by.role == Role.PARTY_REPRESENTATIVE:
        raise DomainError(
            "Choose the Party you appeal for (13.17.1).", field="appellant_party", rule="13.17"
        )


def _check_grounds(grounds: Sequence[str], against: str, online: bool) -> list[str]:
    chosen = [g for g in grounds if str(g).strip()]
    if not online:
        return chosen
    if not chosen:
        raise DomainError(
            "Choose at least one criterion of 13.20 your appeal relies on (13.18.2).",
            field="grounds",
            rule="13.18",
        )
    allowed = GROUNDS_AGAINST[against]
    wrong = [g for g in chosen if g not in allowed]
    if wrong:
        raise DomainError(
            f"The proposal was {against}: the criteria that apply are "
            + " and ".join(allowed)
            + " (13.20).",
            field="grounds",
            rule="13.20",
        )
    return chosen


def _notify_lodged(appeal: AppealRecord, by: User) -> None:
    """13.18.3: copied to the Secretariat and to the Panel; the Authority receives it; the
    appellant keeps a copy."""
    ground_words = [f"{g}: {GROUNDS[g]}" if g in GROUNDS else g for g in appeal.grounds]
    mail_send(
        template="changes/appeal_lodged",
        to=[settings.SECRETARIAT_EMAIL],
        bcc=[*panel_people_emails(appeal.lodged_on), settings.AUTHORITY_EMAIL, by.email],
        context={"appeal": appeal, "proposal": appeal.proposal, "grounds": ground_words},
    )


def appeal_lodge(
    *,
    proposal: ChangeProposal,
    by: User,
    appellant_name: str,
    reasons: str,
    appellant_party: Party | None = None,
    grounds: Sequence[str] = (),
    in_writing: bool = True,
    copied_to_secretariat_and_panel: bool = True,
    lodged_on: dt.date | None = None,
    documents: Sequence[Paper] = (),
) -> AppealRecord:
    """An appeal against a Part 2 acceptance or rejection (13.17-13.18); suspends an acceptance
    (13.19) by moving the proposal to 'Under appeal'.

    Lodged online by the appellant: dated today, with at least one 13.20 criterion. Recorded by
    the Secretariat from a letter received: dated between the outcome and today, the letter
    among `documents` (required)."""
    secretariat = access.allowed(by, access.SECRETARIAT)
    on = step_date(
        given=lodged_on,
        by=by,
        not_before=proposal.decided_on,
        field="lodged_on",
        after="the outcome appealed against",
        rule="13.18",
    )
    _check_appellant(by=by, party=appellant_party, on=on, secretariat=secretariat)
    if not appellant_name.strip():
        raise DomainError("Give the appellant's name.", field="appellant_name", rule="13.17")
    if secretariat and not documents:
        raise DomainError(
            "Attach the appellant's letter: an appeal recorded from writing is kept with it.",
            field="document",
            rule="13.17",
        )
    with transaction.atomic():
        before = ChangeProposal.objects.get(pk=proposal.pk)
        against = _against(before)
        papers = documents_attach(proposal=before, by=by, documents=documents)
        result = proposal_transition(
            proposal=proposal,
            action="appeal_lodged",
            by=by,
            reason=reasons,
            documents=papers,
            today=on,
            in_writing=in_writing,
            copied_to_secretariat_and_panel=copied_to_secretariat_and_panel,
            appellant=appellant_name,
            against=against,
            grounds=list(grounds),
        )
        chosen = _check_grounds(grounds, against, online=not secretariat)
        appeal = audited_create(
            AppealRecord,
            by=by,
            action=ChangeAction.APPEAL_LODGED,
            proposal=result,
            appellant_party=appellant_party,
            appellant_name=appellant_name,
            lodged_by=by,
            lodged_on=on,
            against=against,
            reasons=reasons,
            grounds=chosen,
            in_writing=in_writing,
            copied_to_secretariat_and_panel=copied_to_secretariat_and_panel,
        )
        if papers:
            appeal.documents.set(papers)
        _notify_lodged(appeal, by)
    return appeal


def _locked_pending(appeal: AppealRecord) -> AppealRecord:
    locked = AppealRecord.objects.select_for_update().select_related("proposal").get(pk=appeal.pk)
    if locked.outcome:
        raise Conflict(
            f"The appeal by {locked.appellant_name} was decided on {locked.decided_on:%d %B %Y} "
            f"({locked.get_outcome_display()}); it is decided once.",
            field="appeal",
            rule="13.20",
        )
    return locked


def _notify_decided(appeal: AppealRecord, others: Sequence[AppealRecord]) -> None:
    lodgers = [a.lodged_by.email for a in (appeal, *others) if a.lodged_by is not None]
    mail_send(
        template="changes/appeal_decided",
        to=[settings.SECRETARIAT_EMAIL],
        bcc=[*panel_people_emails(appeal.decided_on or timezone.localdate()), *lodgers],
        context={"appeal": appeal, "proposal": appeal.proposal, "settled": others},
    )


def appeal_decide(
    *,
    appeal: AppealRecord,
    by: User,
    outcome: str,
    reasons: str = "",
    decided_on: dt.date | None = None,
    document: Paper | None = None,
) -> AppealRecord:
    """The Authority's decision on ONE appeal: screened out (13.20), dismissed (13.21.2(A)),
    quashed (13.21.2(B)(i), 13.22) or sent back to the Panel (13.21.2(B)(ii)).

    Taken online by the Authority: dated today. Recorded by the Secretariat from the Authority's
    letter (13.13): the letter attached, dated between the appeal and today.

    Quashed or sent back: the proposal moves at once; the contested outcome no longer stands, so
    any other appeal against it is closed with the same outcome, saying why. Screened out or
    dismissed: the outcome stands once the last pending appeal is decided (13.20, 13.21.2(A)).
    """
    access.require(by, access.SECRETARIAT_OR_AUTHORITY, doing="decide an appeal")
    if outcome not in APPEAL_OUTCOMES:
        raise DomainError(
            "Choose the decision: does not meet 13.20, dismissed, quashed or sent back to the "
            "Panel.",
            field="outcome",
            rule="13.20-13.21",
        )
    if access.allowed(by, access.SECRETARIAT) and document is None:
        raise DomainError(
            "Attach the Authority's letter: a decision received in writing is recorded with it "
            "(13.13).",
            field="document",
            rule="13.13",
        )
    choice = AppealRecord.Outcome(outcome)
    action = APPEAL_OUTCOMES[choice]
    with transaction.atomic():
        appeal = _locked_pending(appeal)
        on = step_date(
            given=decided_on,
            by=by,
            not_before=appeal.lodged_on,
            field="decided_on",
            after="the appeal was lodged",
            rule="13.13",
        )
        proposal = appeal.proposal
        if proposal.status != State.UNDER_APPEAL:
            raise Conflict(
                f"{proposal.reference} is '{State(proposal.status).label}', not under appeal.",
                field="appeal",
                rule="13.20",
            )
        letters = documents_attach(
            proposal=proposal, by=by, documents=[document] if document else ()
        )
        letter = letters[0] if letters else None
        pending = list(
            AppealRecord.objects.select_for_update()
            .filter(proposal=proposal, outcome="")
            .exclude(pk=appeal.pk)
        )
        moves = choice in CHANGES_OUTCOME or not pending
        if moves:
            proposal_transition(
                proposal=proposal,
                action=action,
                by=by,
                reason=reasons,
                documents=letters,
                today=on,
                appeal=appeal.pk,
            )
        appeal.outcome, appeal.decided_on, appeal.decided_by = choice, on, by
        appeal.decision_reasons, appeal.decision_document = reasons, letter
        fields = ["outcome", "decided_on", "decided_by", "decision_reasons", "decision_document"]
        audited_save(appeal, fields, by=by, action=ChangeAction.APPEAL_DECIDED)
        settled: list[AppealRecord] = []
        if choice in CHANGES_OUTCOME:
            because = (
                f"Closed with the decision on the appeal by {appeal.appellant_name} "
                f"({choice.label}): the outcome appealed against no longer stands."
            )
            for other in pending:
                other.outcome, other.decided_on, other.decided_by = choice, on, by
                other.decision_reasons, other.decision_document = because, letter
                audited_save(other, fields, by=by, action=ChangeAction.APPEAL_DECIDED)
                settled.append(other)
        authority_decision_record(
            proposal=proposal,
            by=by,
            kind=action,
            reasons=reasons,
            on=on,
            appeal=appeal.pk,
            document=letter,
        )
        _notify_decided(appeal, settled)
    appeal.refresh_from_db()
    return appeal


def appeal_interim_directions(*, appeal: AppealRecord, by: User, directions: str) -> AppealRecord:
    """The Authority's interim directions pending its decision, which the Panel gives effect to,
    e.g. to implement pending the decision (13.21.1). Each is added, dated, to the record."""
    access.require(by, access.AUTHORITY, doing="give interim directions on an appeal")
    text = directions.strip()
    if not text:
        raise DomainError(
            "Write the interim directions the Panel is to give effect to (13.21.1).",
            field="directions",
            rule="13.21.1",
        )
    today = timezone.localdate()
    with transaction.atomic():
        appeal = _locked_pending(appeal)
        if appeal.proposal.status != State.UNDER_APPEAL:
            raise Conflict(
                f"{appeal.proposal.reference} is not under appeal: interim directions are given "
                "pending the decision on an appeal (13.21.1).",
                field="directions",
                rule="13.21.1",
            )
        entry = f"{today:%d %B %Y}: {text}"
        appeal.interim_directions = (
            f"{appeal.interim_directions}\n\n{entry}" if appeal.interim_directions else entry
        )
        audited_save(
            appeal,
            ["interim_directions"],
            by=by,
            action=ChangeAction.APPEAL_INTERIM_DIRECTIONS,
            data={"directions": text, "on": today.isoformat()},
        )
        lodger = [appeal.lodged_by.email] if appeal.lodged_by is not None else []
        mail_send(
            template="changes/appeal_interim_directions",
            to=[settings.SECRETARIAT_EMAIL],
            bcc=[*panel_people_emails(today), *lodger],
            context={
                "appeal": appeal,
                "proposal": appeal.proposal,
                "directions": text,
                "on": today,
            },
        )
    return appeal
