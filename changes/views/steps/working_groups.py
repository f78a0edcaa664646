"""Desk steps of a Working Group (11.14-11.16, 11.32): setting it up, members, meetings."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404

from ... import services
from ...forms.working_groups import (
    AlternativeWithdrawForm,
    DissolveForm,
    MeetingForm,
    MemberForm,
    MinutesForm,
    RemoveMemberForm,
    WorkingGroupForm,
)
from ...models import AlternativeVariation, ChangeProposal
from .base import Cleaned, DeskStep, Ids, StepContext, calls, live_group, meeting


def _member(d: Cleaned, *, nominee: bool = False) -> services.MemberSpec:
    return services.MemberSpec(
        name=d["name"],
        organisation=d["organisation"],
        party=d.get("party"),
        is_proposer_nominee=nominee,
    )


def _create(s: StepContext, d: Cleaned) -> object:
    members = [services.MemberSpec(name=n, organisation=o) for n, o in d["members"]]
    if d.get("nominee"):
        name, organisation = d["nominee"]
        members.append(
            services.MemberSpec(name=name, organisation=organisation, is_proposer_nominee=True)
        )
    return services.working_group_create(
        by=s.by,
        proposal=s.proposal,
        name=d["name"],
        terms_of_reference=d["terms_of_reference"],
        chair_name=d["chair_name"],
        members=members,
    )


def _add_meeting(s: StepContext, d: Cleaned) -> object:
    papers = [
        services.Upload(title=f.name, file=f, confidential=d["papers_confidential"])
        for f in d["papers"]
    ]
    return services.working_group_add_meeting(
        working_group=s.target,
        by=s.by,
        held_on=d["held_on"],
        agenda=d["agenda"],
        minutes=d.get("minutes") or "",
        papers=papers,
    )


def standing_alternative(proposal: ChangeProposal, ids: Ids) -> AlternativeVariation:
    """An alternative to the proposal not yet withdrawn."""
    alt = get_object_or_404(AlternativeVariation, pk=ids["pk"], proposal=proposal)
    if alt.voided_on is not None:
        raise Http404(f"That alternative was withdrawn on {alt.voided_on:%d %B %Y}.")
    return alt


STEPS = {
    "alternative_withdraw": DeskStep(
        path="<str:reference>/alternatives/<int:pk>/withdraw/",
        target=standing_alternative,
        form=AlternativeWithdrawForm,
        act=calls(services.alternative_withdraw, on="alternative", needs="reason"),
        title="Withdraw the alternative {target}",
        clause="11.23.3",
        done="The alternative has been withdrawn; it stays on the record, marked withdrawn.",
        default_field="reason",
    ),
    "working_group_new": DeskStep(
        path="<str:reference>/working-group/new/",
        form=WorkingGroupForm,
        form_kwargs=lambda s: {"initial": {"name": f"{s.proposal.reference} Working Group"}},
        act=_create,
        title="Set up a Working Group",
        clause="11.14-11.16",
        done="The Working Group for {proposal.reference} has been set up.",
    ),
    "working_group_meeting_new": DeskStep(
        path="<str:reference>/working-group/<int:pk>/meetings/new/",
        target=live_group,
        form=MeetingForm,
        act=_add_meeting,
        title="Add a meeting of {target}",
        clause="11.16",
        done="The meeting of {target} has been recorded.",
    ),
    "working_group_minutes": DeskStep(
        path="<str:reference>/working-group/<int:pk>/meetings/<int:meeting_pk>/minutes/",
        target=meeting,
        form=MinutesForm,
        form_kwargs=lambda s: {"initial": {"minutes": s.target.minutes}},
        act=calls(services.working_group_record_minutes, on="meeting", needs="minutes"),
        title="Minutes of the meeting of {target.working_group} on {target.held_on:%d %B %Y}",
        clause="11.16",
        done="The minutes have been recorded.",
    ),
    "working_group_member_new": DeskStep(
        path="<str:reference>/working-group/<int:pk>/members/new/",
        target=live_group,
        form=MemberForm,
        act=lambda s, d: services.working_group_add_member(
            working_group=s.target, by=s.by, member=_member(d)
        ),
        title="Add a member to {target}",
        clause="11.15",
        done="The member has joined {target}.",
        default_field="name",
    ),
    "working_group_member_remove": DeskStep(
        path="<str:reference>/working-group/<int:pk>/members/remove/",
        target=live_group,
        form=RemoveMemberForm,
        form_kwargs=lambda s: {"working_group": s.target},
        act=calls(services.working_group_remove_member, on=None, needs="member", may="on=left_on"),
        title="Remove a member of {target}",
        clause="11.15",
        done="The member has left {target}.",
        default_field="member",
    ),
    "working_group_nominee": DeskStep(
        path="<str:reference>/working-group/<int:pk>/nominee/",
        target=live_group,
        form=MemberForm,
        act=lambda s, d: services.working_group_replace_nominee(
            working_group=s.target, by=s.by, member=_member(d, nominee=True)
        ),
        title="Replace the Proposer's nominee on {target}",
        clause="11.15.2, 11.31.2",
        done="The Proposer's nominee on {target} has been replaced.",
        default_field="name",
    ),
    "working_group_dissolve": DeskStep(
        path="<str:reference>/working-group/<int:pk>/dissolve/",
        target=live_group,
        form=DissolveForm,
        act=calls(services.working_group_dissolve, on="working_group", needs="reason", may="on"),
        title="Dissolve {target}",
        clause="11.32",
        done="{target} has been dissolved.",
    ),
}
