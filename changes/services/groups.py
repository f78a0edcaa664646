"""Working Groups (11.14-11.18, 7.24-7.35) and consultations (11.14.1, 11.17)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from panel.audit import audit_record
from panel.calendar import WorkingDayCalendar
from panel.errors import Conflict, DomainError, NotAllowed
from panel.models import Party, User
from panel.services import ensure_secretariat

from ..models import (
    ChangeDocument,
    ChangeProposal,
    Consultation,
    ConsultationAnswer,
    ConsultationQuestion,
    ConsultationResponse,
    WorkingGroup,
    WorkingGroupMeeting,
    WorkingGroupMember,
)
from ..states import State
from .proposals import party_standing_problem

MIN_MEMBERS = 5  # 11.15.1


@dataclass(frozen=True)
class MemberSpec:
    name: str
    organisation: str
    user: User | None = None
    party: Party | None = None
    is_proposer_nominee: bool = False


def _ensure_secretariat(by: User | None, what: str, rule: str) -> None:
    ensure_secretariat(by, doing=f"{what} ({rule})", rule=rule)


def working_group_create(
    *,
    by: User,
    name: str,
    terms_of_reference: str,
    members: Sequence[MemberSpec],
    proposal: ChangeProposal | None = None,
    chair: User | None = None,
    chair_name: str = "",
    standing: bool = False,
    created_on: dt.date | None = None,
) -> WorkingGroup:
    """Establish a Working Group: at least five members plus any Proposer's nominee (11.15)."""
    _ensure_secretariat(by, "record the Panel's establishment of a Working Group", "11.14")
    on = created_on or timezone.localdate()
    if proposal is None and not standing:
        raise DomainError("A Working Group is for a Change Proposal unless it is standing.")
    if not terms_of_reference.strip():
        raise DomainError(
            "Give the Working Group its terms of reference.", field="terms_of_reference"
        )
    nominees = [m for m in members if m.is_proposer_nominee]
    ordinary = [m for m in members if not m.is_proposer_nominee]
    if len(nominees) > 1:
        raise DomainError("The Proposer nominates at most one person (11.15.2).", field="members")
    if proposal is not None:
        if proposal.status not in (State.DEFINITION, State.WITH_PANEL):
            raise Conflict(
                f"{proposal.reference} is '{proposal.get_status_display()}'; a Working Group is "
                "established for the Definition Procedure (11.14).",
                rule="11.14",
            )
        if proposal.authority_led:
            raise DomainError(
                "The Definition Procedure does not apply to Authority-Led Change Proposals (11.9A).",
                rule="11.9A",
            )
        if len(ordinary) < MIN_MEMBERS:
            raise DomainError(
                f"A Working Group for {proposal.reference} needs at least five members besides "
                f"the Proposer's nominee; {len(ordinary)} given (11.15).",
                field="members",
                rule="11.15",
            )
    with transaction.atomic():
        try:
            with transaction.atomic():
                group = WorkingGroup.objects.create(
                    proposal=proposal,
                    name=name,
                    terms_of_reference=terms_of_reference,
                    chair=chair,
                    chair_name=chair_name or (chair.get_full_name() if chair else ""),
                    standing=standing,
                    created_on=on,
                )
        except IntegrityError:
            raise Conflict(
                f"{proposal.reference if proposal else name} already has a Working Group; "
                "dissolve it first."
            )
        WorkingGroupMember.objects.bulk_create(
            WorkingGroupMember(
                working_group=group,
                name=m.name,
                organisation=m.organisation,
                user=m.user,
                party=m.party,
                is_proposer_nominee=m.is_proposer_nominee,
                joined_on=on,
            )
            for m in members
        )
        audit_record(
            actor=by, action="working_group.created", target=group, data={"members": len(members)}
        )
    return group


def working_group_add_member(
    *, working_group: WorkingGroup, by: User, member: MemberSpec
) -> WorkingGroupMember:
    _ensure_secretariat(by, "change a Working Group's membership", "11.15")
    with transaction.atomic():
        try:
            with transaction.atomic():
                row = WorkingGroupMember.objects.create(
                    working_group=working_group,
                    name=member.name,
                    organisation=member.organisation,
                    user=member.user,
                    party=member.party,
                    is_proposer_nominee=member.is_proposer_nominee,
                    joined_on=timezone.localdate(),
                )
        except IntegrityError:
            raise Conflict("The Working Group already has the Proposer's nominee (11.15.2).")
        audit_record(actor=by, action="working_group.member_added", target=row)
    return row


def working_group_remove_member(
    *, member: WorkingGroupMember, by: User, on: dt.date | None = None
) -> None:
    _ensure_secretariat(by, "change a Working Group's membership", "11.15")
    group = member.working_group
    with transaction.atomic():
        WorkingGroup.objects.select_for_update().get(pk=group.pk)
        remaining = group.members.filter(left_on__isnull=True, is_proposer_nominee=False).exclude(
            pk=member.pk
        )
        if group.proposal_id and not member.is_proposer_nominee and remaining.count() < MIN_MEMBERS:
            raise DomainError(
                "A Working Group must keep at least five members besides the Proposer's nominee "
                "(11.15); add a replacement first.",
                rule="11.15",
            )
        member.left_on = on or timezone.localdate()
        member.save(update_fields=["left_on"])
        audit_record(actor=by, action="working_group.member_left", target=member)


def working_group_replace_nominee(
    *, working_group: WorkingGroup, by: User, member: MemberSpec
) -> WorkingGroupMember:
    """An adopting Party may replace the original Proposer's nominee (11.31.2)."""
    proposal = working_group.proposal
    if proposal is None or not proposal.proposer_party_id:
        raise DomainError("Only a Party Proposer nominates to a proposal's Working Group.")
    if not by.is_secretariat and proposal.proposer_party_id not in by.represented_party_ids():
        raise NotAllowed(
            "Only the Proposer may nominate its member of the Working Group (11.15.2)."
        )
    with transaction.atomic():
        working_group.members.filter(is_proposer_nominee=True, left_on__isnull=True).update(
            left_on=timezone.localdate()
        )
        row = WorkingGroupMember.objects.create(
            working_group=working_group,
            name=member.name,
            organisation=member.organisation,
            user=member.user,
            party=member.party,
            is_proposer_nominee=True,
            joined_on=timezone.localdate(),
        )
        audit_record(actor=by, action="working_group.nominee_replaced", target=row)
    return row


def working_group_add_meeting(
    *,
    working_group: WorkingGroup,
    by: User,
    held_on: dt.date,
    agenda: str,
    minutes: str = "",
    papers: Iterable[ChangeDocument] = (),
) -> WorkingGroupMeeting:
    _ensure_secretariat(by, "record a Working Group meeting", "11.16")
    if working_group.dissolved_on is not None:
        raise Conflict(f"{working_group} was dissolved on {working_group.dissolved_on:%d %B %Y}.")
    with transaction.atomic():
        meeting = WorkingGroupMeeting.objects.create(
            working_group=working_group, held_on=held_on, agenda=agenda, minutes=minutes
        )
        if papers:
            meeting.papers.set(list(papers))
        audit_record(actor=by, action="working_group.meeting_added", target=meeting)
    return meeting


def working_group_record_minutes(
    *, meeting: WorkingGroupMeeting, by: User, minutes: str
) -> WorkingGroupMeeting:
    _ensure_secretariat(by, "record minutes", "11.16")
    with transaction.atomic():
        meeting.minutes = minutes
        meeting.save(update_fields=["minutes"])
        audit_record(actor=by, action="working_group.minutes_recorded", target=meeting)
    return meeting


def working_group_dissolve(
    *, working_group: WorkingGroup, by: User | None, reason: str, on: dt.date | None = None
) -> WorkingGroup:
    if by is not None:
        _ensure_secretariat(by, "dissolve a Working Group", "11.32")
    with transaction.atomic():
        group = WorkingGroup.objects.select_for_update().get(pk=working_group.pk)
        if group.dissolved_on is not None:
            return group
        group.dissolved_on = on or timezone.localdate()
        group.dissolved_reason = reason
        group.save(update_fields=["dissolved_on", "dissolved_reason"])
        audit_record(
            actor=by, action="working_group.dissolved", target=group, data={"reason": reason}
        )
    return group


# -- consultations --------------------------------------------------------------------------


def consultation_open(
    *,
    proposal: ChangeProposal,
    by: User,
    title: str,
    questions: Sequence[str],
    working_days: int = 15,
    opens_on: dt.date | None = None,
    closes_on: dt.date | None = None,
    final_draft: bool = False,
    documents: Iterable[ChangeDocument] = (),
) -> Consultation:
    """Open a consultation; it closes `working_days` Working Days after it opens unless given."""
    _ensure_secretariat(by, "issue a consultation for the Working Group", "11.14.1, 11.17")
    if proposal.status not in (State.DEFINITION, State.REPORT_PHASE, State.DATE_REASSESSMENT):
        raise Conflict(
            f"{proposal.reference} is '{proposal.get_status_display()}'; consultations are held "
            "in the Assessment Process (11.14.1).",
            rule="11.14.1",
        )
    if not questions:
        raise DomainError("A consultation asks at least one question.", field="questions")
    start = opens_on or timezone.localdate()
    end = closes_on or WorkingDayCalendar.load().add_working_days(start, working_days)
    if end <= start:
        raise DomainError("A consultation closes after it opens.", field="closes_on")
    with transaction.atomic():
        consultation = Consultation.objects.create(
            proposal=proposal,
            working_group=proposal.working_groups.filter(dissolved_on__isnull=True).first(),
            title=title,
            final_draft=final_draft,
            opens_on=start,
            closes_on=end,
            created_by=by,
        )
        ConsultationQuestion.objects.bulk_create(
            ConsultationQuestion(consultation=consultation, number=i, text=text)
            for i, text in enumerate(questions, start=1)
        )
        if documents:
            consultation.documents.set(list(documents))
        audit_record(actor=by, action="consultation.opened", target=consultation)
    return consultation


def consultation_respond(
    *,
    consultation: Consultation,
    by: User,
    respondent_name: str,
    answers: Mapping[int, str | tuple[str, bool]],
    party: Party | None = None,
    confidential: bool = False,
    late_reason: str = "",
    submitted_on: dt.date | None = None,
) -> ConsultationResponse:
    """Respond to a consultation; a late response is accepted only with a recorded reason.

    `answers` maps question number to text, or to (text, confidential) for a confidential part.
    """
    on = submitted_on or timezone.localdate()
    if by is None or not by.is_authenticated:
        raise NotAllowed("Sign in to respond to a consultation.")
    if party is not None:
        if not by.is_secretariat and party.pk not in by.represented_party_ids():
            raise NotAllowed(f"You do not represent {party.name}.", field="party")
        problem = party_standing_problem(party, on)
        if problem:
            raise NotAllowed(problem + ".", field="party", rule="54.4")
    if on < consultation.opens_on:
        raise DomainError(f"The consultation opens on {consultation.opens_on:%d %B %Y}.")
    late = on > consultation.closes_on or consultation.closed_on is not None
    if late and not late_reason.strip():
        raise DomainError(
            f"The consultation closed on {consultation.closes_on:%d %B %Y}; a late response is "
            "accepted only with a reason.",
            field="late_reason",
        )
    questions = {q.number: q for q in consultation.questions.all()}
    unknown = [n for n in answers if n not in questions]
    if unknown:
        raise DomainError(f"No question {unknown[0]} in this consultation.", field="answers")
    with transaction.atomic():
        try:
            with transaction.atomic():
                response = ConsultationResponse.objects.create(
                    consultation=consultation,
                    party=party,
                    respondent_name=respondent_name,
                    submitted_by=by,
                    submitted_on=on,
                    confidential=confidential,
                    late=late,
                    late_reason=late_reason.strip() if late else "",
                )
        except IntegrityError:
            raise Conflict(f"{party.name if party else respondent_name} has already responded.")
        rows = []
        for number, answer in answers.items():
            text, secret = answer if isinstance(answer, tuple) else (answer, False)
            rows.append(
                ConsultationAnswer(
                    response=response, question=questions[number], text=text, confidential=secret
                )
            )
        ConsultationAnswer.objects.bulk_create(rows)
        audit_record(
            actor=by, action="consultation.responded", target=response, data={"late": late}
        )
    return response


def consultation_close(
    *, consultation: Consultation, by: User, closed_on: dt.date | None = None
) -> Consultation:
    _ensure_secretariat(by, "close a consultation", "11.17")
    with transaction.atomic():
        consultation.closed_on = closed_on or timezone.localdate()
        consultation.save(update_fields=["closed_on"])
        audit_record(actor=by, action="consultation.closed", target=consultation)
    return consultation


def consultation_summarise(*, consultation: Consultation, by: User, summary: str) -> Consultation:
    """The summary of non-confidential responses for the Change Report (11.20.6(B))."""
    _ensure_secretariat(by, "summarise consultation responses", "11.20.6")
    with transaction.atomic():
        consultation.response_summary = summary
        consultation.save(update_fields=["response_summary"])
        audit_record(actor=by, action="consultation.summarised", target=consultation)
    return consultation
