"""Working Groups: their establishment, members and meetings (11.14-11.18, 7.24-7.35)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from django.db import IntegrityError, transaction
from django.utils import timezone

from panel import access
from panel.audit import audit_record
from panel.errors import Conflict, DomainError, NotAllowed
from panel.models import Party, User
from panel.services.common import audited_save
from panel.services.dates import check_date

from ..audit import ChangeAction
from ..models import (
    ChangeDocument,
    ChangeProposal,
    WorkingGroup,
    WorkingGroupMeeting,
    WorkingGroupMember,
)
from ..states import State
from .documents import Upload, documents_attach
from .voids import record_void

MIN_MEMBERS = 5  # 11.15.1


@dataclass(frozen=True)
class MemberSpec:
    name: str
    organisation: str
    user: User | None = None
    party: Party | None = None
    is_proposer_nominee: bool = False

    def row(self, working_group: WorkingGroup, *, joined_on: dt.date) -> WorkingGroupMember:
        """The member's (unsaved) row in the group from `joined_on`."""
        return WorkingGroupMember(
            working_group=working_group,
            name=self.name,
            organisation=self.organisation,
            user=self.user,
            party=self.party,
            is_proposer_nominee=self.is_proposer_nominee,
            joined_on=joined_on,
        )


def _check_establishment(
    *,
    proposal: ChangeProposal | None,
    standing: bool,
    terms: str,
    members: Sequence[MemberSpec],
) -> None:
    """What 11.14-11.15 ask of a new Working Group."""
    if proposal is None and not standing:
        raise DomainError("A Working Group is for a Change Proposal unless it is standing.")
    if not terms.strip():
        raise DomainError(
            "Give the Working Group its terms of reference.", field="terms_of_reference"
        )
    nominees = [m for m in members if m.is_proposer_nominee]
    ordinary = [m for m in members if not m.is_proposer_nominee]
    if len(nominees) > 1:
        raise DomainError("The Proposer nominates at most one person (11.15.2).", field="members")
    if proposal is None:
        return
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
    access.require(
        by,
        access.SECRETARIAT,
        doing="record the Panel's establishment of a Working Group (11.14)",
        rule="11.14",
    )
    on = created_on or timezone.localdate()
    check_date(on, field="created_on", what="the day the Working Group was established")
    _check_establishment(
        proposal=proposal, standing=standing, terms=terms_of_reference, members=members
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
        WorkingGroupMember.objects.bulk_create(m.row(group, joined_on=on) for m in members)
        audit_record(
            actor=by,
            action=ChangeAction.WORKING_GROUP_CREATED,
            target=group,
            data={"members": len(members)},
        )
    return group


def working_group_add_member(
    *, working_group: WorkingGroup, by: User, member: MemberSpec
) -> WorkingGroupMember:
    access.require(
        by, access.SECRETARIAT, doing="change a Working Group's membership (11.15)", rule="11.15"
    )
    with transaction.atomic():
        try:
            with transaction.atomic():
                row = member.row(working_group, joined_on=timezone.localdate())
                row.save(force_insert=True)
        except IntegrityError:
            raise Conflict("The Working Group already has the Proposer's nominee (11.15.2).")
        audit_record(actor=by, action=ChangeAction.WORKING_GROUP_MEMBER_ADDED, target=row)
    return row


def working_group_remove_member(
    *, member: WorkingGroupMember, by: User, on: dt.date | None = None
) -> None:
    access.require(
        by, access.SECRETARIAT, doing="change a Working Group's membership (11.15)", rule="11.15"
    )
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
        check_date(
            member.left_on,
            field="left_on",
            what="the day the member left",
            past=True,
            not_before=member.joined_on,
            not_before_what="the day the member joined",
        )
        audited_save(member, ["left_on"], by=by, action=ChangeAction.WORKING_GROUP_MEMBER_LEFT)


def working_group_replace_nominee(
    *, working_group: WorkingGroup, by: User, member: MemberSpec
) -> WorkingGroupMember:
    """An adopting Party may replace the original Proposer's nominee (11.31.2)."""
    proposal = working_group.proposal
    if proposal is None or not proposal.proposer_party_id:
        raise DomainError("Only a Party Proposer nominates to a proposal's Working Group.")
    if (
        not access.allowed(by, access.SECRETARIAT)
        and proposal.proposer_party_id not in by.represented_party_ids()
    ):
        raise NotAllowed(
            "Only the Proposer may nominate its member of the Working Group (11.15.2)."
        )
    with transaction.atomic():
        working_group.members.filter(is_proposer_nominee=True, left_on__isnull=True).update(
            left_on=timezone.localdate()
        )
        nominee = replace(member, is_proposer_nominee=True)
        row = nominee.row(working_group, joined_on=timezone.localdate())
        row.save(force_insert=True)
        audit_record(actor=by, action=ChangeAction.WORKING_GROUP_NOMINEE_REPLACED, target=row)
    return row


def working_group_add_meeting(
    *,
    working_group: WorkingGroup,
    by: User,
    held_on: dt.date,
    agenda: str,
    minutes: str = "",
    papers: Iterable[ChangeDocument | Upload] = (),
) -> WorkingGroupMeeting:
    access.require(
        by, access.SECRETARIAT, doing="record a Working Group meeting (11.16)", rule="11.16"
    )
    if working_group.dissolved_on is not None:
        raise Conflict(f"{working_group} was dissolved on {working_group.dissolved_on:%d %B %Y}.")
    check_date(
        held_on,
        field="held_on",
        what="the meeting's date",
        not_before=working_group.created_on,
        not_before_what="the day the Working Group was established",
    )
    with transaction.atomic():
        meeting = WorkingGroupMeeting.objects.create(
            working_group=working_group, held_on=held_on, agenda=agenda, minutes=minutes
        )
        stored = documents_attach(proposal=working_group.proposal, by=by, documents=papers)
        if stored:
            meeting.papers.set(stored)
        audit_record(actor=by, action=ChangeAction.WORKING_GROUP_MEETING_ADDED, target=meeting)
    return meeting


def working_group_record_minutes(
    *, meeting: WorkingGroupMeeting, by: User, minutes: str
) -> WorkingGroupMeeting:
    access.require(by, access.SECRETARIAT, doing="record minutes (11.16)", rule="11.16")
    with transaction.atomic():
        meeting.minutes = minutes
        audited_save(
            meeting, ["minutes"], by=by, action=ChangeAction.WORKING_GROUP_MINUTES_RECORDED
        )
    return meeting


def working_group_dissolve(
    *, working_group: WorkingGroup, by: User | None, reason: str, on: dt.date | None = None
) -> WorkingGroup:
    if by is not None:
        access.require(
            by, access.SECRETARIAT, doing="dissolve a Working Group (11.32)", rule="11.32"
        )
    with transaction.atomic():
        group = WorkingGroup.objects.select_for_update().get(pk=working_group.pk)
        if group.dissolved_on is not None:
            return group
        group.dissolved_on = on or timezone.localdate()
        check_date(
            group.dissolved_on,
            field="on",
            what="the day the Working Group was dissolved",
            past=True,
            not_before=group.created_on,
            not_before_what="the day it was established",
        )
        group.dissolved_reason = reason
        audited_save(
            group,
            ["dissolved_on", "dissolved_reason"],
            by=by,
            action=ChangeAction.WORKING_GROUP_DISSOLVED,
            data={"reason": reason},
        )
    return group


def working_group_meeting_void(
    *, meeting: WorkingGroupMeeting, by: User, reason: str, on: dt.date | None = None
) -> WorkingGroupMeeting:
    """Mark a meeting recorded by mistake void: it is kept, with the reason, and no longer listed."""
    access.require(
        by, access.SECRETARIAT, doing="mark a Working Group meeting void (11.16)", rule="11.16"
    )
    return record_void(
        record=meeting,
        by=by,
        reason=reason,
        on=on,
        action=ChangeAction.WORKING_GROUP_MEETING_VOIDED,
        missing_reason="Say why the meeting record is void.",
        already=lambda row: f"{row} was marked void on {row.voided_on:%d %B %Y}.",
    )
