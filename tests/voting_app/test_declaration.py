"""Close, tally and declare (13.1-13.8, 14.3-14.4), checked against numbers worked by hand."""

from __future__ import annotations

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from changes.states import State
from panel.errors import Conflict, NotAllowed
from panel.models import AuditRecord, Category, Role
from voting.audit import VotingAction
from voting.models import Ballot, Declaration
from voting.services import (
    NotDeclared,
    ballot_close,
    ballot_declare,
    ballots_close_due,
)
from voting.services.ballots import ballot_open_for_proposal

from .conftest import AFTER, CLOSES, OPENS, open_vote, proposal_ready_to_vote, vote
from .factories import member, staff, voter_for, with_device


def voters(world):
    """A voter for every Group of the standard world."""
    out = {
        "dno1": (world.dno_voter, world.dno[0]),
        "dno2": (voter_for(world.dno[1]), world.dno[1]),
        "dno3": (voter_for(world.dno[2]), world.dno[2]),
        "big": (world.big_voter, world.big1),
        "lone": (world.lone_voter, world.lone),
        "idno": (world.idno_voter, world.idno),
    }
    return out


def category(result, code):
    return next(c for c in result["categories"] if c["category"] == code)


def test_part2_declaration_matches_the_hand_worked_example(
    world, ballot, django_capture_on_commit_callbacks
) -> None:
    v = voters(world)
    vote(ballot, *v["dno1"], variation="accept", date="reject")
    vote(ballot, *v["dno2"], variation="reject", date="accept")
    vote(ballot, *v["dno3"], variation="accept", date="accept")
    vote(ballot, *v["big"], variation="accept", date="accept")
    vote(ballot, *v["lone"], variation="reject", date="accept")
    vote(ballot, *v["idno"], variation="accept", date="accept")
    # The OTSO does not vote.
    staff(Role.CONSUMER_BODY, email="consumers@example.org")
    mail.outbox.clear()
    with time_machine.travel(AFTER, tick=False), django_capture_on_commit_callbacks(execute=True):
        assert ballots_close_due() == [ballot.pk]
    declaration = Declaration.objects.get(ballot=ballot)
    variation = next(r for r in declaration.results.values() if r["question"] == "variation")
    date = next(r for r in declaration.results.values() if r["question"] == "date")

    # Variation, Part 2 (13.6):
    # DNO: 3 of 3 Groups voted; five or fewer voted, so equal Weighted Votes of 100/3 (12.9).
    #   Accept: DNO 1 and DNO 3 = 2 of 3 Groups = 66.666667% > 65%, weight 2 x 33.333333 =
    #   66.666667% > 65%: passes.
    dno = category(variation, "DNO")
    assert dno["method"] == "equal" and dno["groups_voted"] == 3
    assert dno["options"]["proposal"] == {
        "accept_groups": 2,
        "accept_share": "66.666667",
        "accept_weight": "66.666667",
        "passes": True,
    }
    # Supplier: Big Energy Group (one Group for two Parties) accepts, Lone Supply rejects:
    #   1 of 2 = 50% of Groups, 50% of weight: fails.
    sup = category(variation, "SUPPLIER")
    assert sup["options"]["proposal"]["accept_share"] == "50.000000"
    assert sup["options"]["proposal"]["passes"] is False
    # IDNO/OTSO: only the IDNO voted (1 Group, 100%) and accepts: 100% > 65%: passes.
    idno = category(variation, "IDNO_OTSO")
    assert (idno["groups_total"], idno["groups_voted"]) == (2, 1)
    assert idno["options"]["proposal"]["passes"] is True
    # Passed in 2 of 3 counted categories: more than half: accepted.
    assert variation["options"]["proposal"] == {
        "categories_passed": 2,
        "categories_counted": 3,
        "passes": True,
    }
    assert declaration.variation_outcome == "accepted"
    # Date: DNO 2 of 3 accept (66.67% > 65%) passes; Supplier 2 of 2 and IDNO 1 of 1 pass: 3 of 3.
    assert date["options"]["proposal"]["categories_passed"] == 3
    assert declaration.date_outcome == "accepted"
    assert declaration.combined_outcome == "accepted" and not declaration.recommendation
    assert (
        declaration.workings[str(ballot.questions.get(kind="variation").pk)]["outcome"]
        == "accepted"
    )

    ballot.refresh_from_db()
    assert ballot.status == "declared"
    # 13.8: every Party's notice address, the Consumer Body and the Authority.
    notified = {m.to[0] for m in mail.outbox}
    assert {"consumers@example.org", "authority@dcusa.example"} <= notified
    assert {world.lone.notice_email, world.otso.notice_email} <= notified
    assert "DCP 417" in mail.outbox[0].subject


def test_part1_weighted_with_surplus_and_a_date_rejected_means_a_revote_on_the_date(world) -> None:
    # Six DNO Parties vote, so the Weighted Votes use N (12.10-12.16). N (hundred thousands):
    # 30, 14, 14, 14, 14, 14; TN = 100. Basic Votes V: 30%, 14% x 5 (12.11).
    # DNO A's V exceeds 20% by 10% (Surplus Vote SV = 10%). XN = 5 x 14 = 70.
    # SVA of each other Group = 10% x 14/70 = 2%, so WV = 16%; DNO A's WV = 20% (12.13-12.14).
    # Check: 20 + 5 x 16 = 100.
    parties = [
        member(Category.DNO, name=f"DNO {c}", points=n * 100_000)
        for c, n in zip("ABCDEF", [30, 14, 14, 14, 14, 14])
    ]
    secretariat = world.secretariat
    ballot = open_vote(world, reference="DCP 418", matter="part1", eligible=["DNO", "SUPPLIER"])
    for i, party in enumerate(parties):
        user = voter_for(party)
        # A, B and C accept: 20 + 16 + 16 = 52% > 50% (13.5.1); everyone rejects the date.
        vote(ballot, user, party, variation="accept" if i < 3 else "reject", date="reject")
    # The three original DNOs and the Suppliers do not vote: Suppliers are not counted (12.17).
    with time_machine.travel(AFTER, tick=False):
        ballots_close_due()
    declaration = Declaration.objects.get(ballot=ballot)
    variation = next(r for r in declaration.results.values() if r["question"] == "variation")
    dno = category(variation, "DNO")
    assert dno["method"] == "weighted"
    assert dno["weights"] == {
        "DNO A": "20.000000",
        **{f"DNO {c}": "16.000000" for c in "BCDEF"},
    }
    assert dno["options"]["proposal"]["accept_weight"] == "52.000000"
    assert variation["counted_categories"] == ["DNO"]
    assert category(variation, "SUPPLIER")["counted"] is False
    assert declaration.variation_outcome == "recommend_accept"
    assert declaration.date_outcome == "recommend_reject"
    # 14.3: variation accepted, date rejected: only a new date is voted on again.
    assert declaration.combined_outcome == "revote_date"
    assert declaration.recommendation is True
    assert secretariat.is_secretariat


def test_undefined_case_does_not_crash_the_close_and_tells_the_secretariat(
    world, django_capture_on_commit_callbacks
) -> None:
    # Six DNO Groups with N = 0 all vote: TN = 0, so V = N/TN is undefined (12.11).
    parties = [member(Category.DNO, name=f"Zero {i}", points=0) for i in range(6)]
    ballot = open_vote(world, reference="DCP 419", eligible=["DNO"])
    for party in parties:
        vote(ballot, voter_for(party), party, variation="accept", date="accept")
    mail.outbox.clear()
    with time_machine.travel(AFTER, tick=False), django_capture_on_commit_callbacks(execute=True):
        ballots_close_due()
    ballot.refresh_from_db()
    assert ballot.status == "closed"
    assert "DNO" in ballot.tally_error
    assert not Declaration.objects.filter(ballot=ballot).exists()
    assert mail.outbox and "cannot be tallied" in mail.outbox[0].body


def test_declaration_is_made_once_and_never_changed(world, ballot) -> None:
    with time_machine.travel(AFTER, tick=False):
        ballots_close_due()
        declaration = Declaration.objects.get(ballot=ballot)
        assert ballot_declare(ballot=ballot, by=world.secretariat) == declaration
    declaration.variation_outcome = "rejected"
    with pytest.raises(ValidationError):
        declaration.save()
    with pytest.raises(ValidationError):
        declaration.delete()
    with pytest.raises(IntegrityError), transaction.atomic():
        Declaration.objects.create(
            ballot=ballot, declared_at=AFTER, cases={}, results={}, workings={}
        )
    assert AuditRecord.objects.filter(action=VotingAction.BALLOT_DECLARE).count() == 1


def test_secretariat_closes_manually_and_others_cannot(world, ballot) -> None:
    # By hand only once the closing time has passed (12.4.1: the window is never cut short).
    with time_machine.travel(AFTER, tick=False):
        with pytest.raises(NotAllowed):
            ballot_close(ballot=ballot, by=world.dno_voter, reason="Late")
        closed = ballot_close(ballot=ballot, by=world.secretariat, reason="The schedule was late")
        assert closed.status == "declared" and closed.closed_at == CLOSES
        with pytest.raises(Conflict, match="already closed"):
            ballot_close(ballot=ballot, by=world.secretariat, reason="Again")
        with pytest.raises(Conflict, match="closed at"):
            vote(ballot, world.lone_voter, world.lone, variation="accept")


def test_declaring_an_open_ballot_is_refused(world, ballot) -> None:
    with pytest.raises(Conflict, match="still open"):
        ballot_declare(ballot=ballot, by=world.secretariat)


def test_opening_and_declaring_move_the_proposal_on(
    world, django_capture_on_commit_callbacks
) -> None:
    p = proposal_ready_to_vote(world)
    with time_machine.travel(OPENS, tick=False):
        ballot = ballot_open_for_proposal(proposal=p, by=world.secretariat)
    p.refresh_from_db()
    assert p.status == State.VOTING
    assert ballot.reference == "DCP 417" and ballot.matter == "part2"
    assert ballot.eligible == ["DNO", "SUPPLIER", "IDNO"]
    assert not ballot.roll.filter(group_name="Offshore Transmission Ltd").exists()
    v = voters(world)
    for key in ("dno1", "dno2", "big", "lone", "idno"):
        vote(ballot, *v[key], variation="accept", date="accept")
    with time_machine.travel(AFTER, tick=False), django_capture_on_commit_callbacks(execute=True):
        ballots_close_due()
    p.refresh_from_db()
    assert Ballot.objects.get(pk=ballot.pk).declaration.variation_outcome == "accepted"
    assert p.status == State.ACCEPTED_APPEAL_WINDOW  # Part 2 accepted: the appeal window (13.17)


def test_part1_declaration_sends_the_proposal_to_the_authority(world) -> None:
    p = proposal_ready_to_vote(world, number=420, part=1)
    with time_machine.travel(OPENS, tick=False):
        ballot = ballot_open_for_proposal(proposal=p, by=world.secretariat)
    vote(ballot, world.dno_voter, world.dno[0], variation="accept", date="accept")
    with time_machine.travel(AFTER, tick=False):
        ballots_close_due()
    p.refresh_from_db()
    assert p.status == State.AWAITING_AUTHORITY


def test_vote_cannot_open_on_a_proposal_not_awaiting_its_vote(world) -> None:
    from panel.errors import DomainError

    p = proposal_ready_to_vote(world)
    p.status = State.REPORT_ISSUED
    p.save()
    with time_machine.travel(OPENS, tick=False), pytest.raises(DomainError):
        ballot_open_for_proposal(proposal=p, by=world.secretariat)
    assert not Ballot.objects.exists()
    assert with_device  # imported helper used elsewhere


def test_a_declaration_whose_proposal_cannot_move_is_not_made(
    world, django_capture_on_commit_callbacks
) -> None:
    """The declaration and the proposal's move are one transaction: the proposal refuses, so
    nothing is declared; the ballot stays closed with the reason, the Secretariat is told (audit
    and e-mail), and the other ballot due at the same time is still declared."""
    p = proposal_ready_to_vote(world)
    with time_machine.travel(OPENS, tick=False):
        stuck = ballot_open_for_proposal(proposal=p, by=world.secretariat)
    other = open_vote(world, reference="DCP 500")
    v = voters(world)
    for ballot in (stuck, other):
        vote(ballot, *v["dno1"], variation="accept", date="accept")
    p.status = State.REPORT_ISSUED  # moved on elsewhere: no longer in its vote
    p.save()
    mail.outbox.clear()
    with time_machine.travel(AFTER, tick=False), django_capture_on_commit_callbacks(execute=True):
        assert sorted(ballots_close_due()) == sorted([stuck.pk, other.pk])
    stuck.refresh_from_db()
    assert stuck.status == "closed" and "cannot move on" in stuck.tally_error
    assert not Declaration.objects.filter(ballot=stuck).exists()
    assert not AuditRecord.objects.filter(
        action=VotingAction.BALLOT_DECLARE, target_id=str(stuck.pk)
    ).exists()
    record = AuditRecord.objects.get(action=VotingAction.BALLOT_NOT_DECLARED)
    assert record.target_id == str(stuck.pk) and record.data["error"]
    p.refresh_from_db()
    assert p.status == State.REPORT_ISSUED
    told = [m for m in mail.outbox if "cannot be declared" in m.subject]
    assert len(told) == 1 and "DCP 417" in told[0].subject
    assert record.data["error"] in told[0].body
    assert not [
        m
        for m in mail.outbox
        if "declaration of the Party vote" in m.subject and "417" in m.subject
    ]
    assert Declaration.objects.filter(ballot=other).exists()  # the other ballot is declared
    # Declared by the Secretariat: refused with the reason, and still nothing is declared.
    with time_machine.travel(AFTER, tick=False), pytest.raises(NotDeclared) as refused:
        ballot_declare(ballot=stuck, by=world.secretariat)
    assert "was not declared" in refused.value.message and "cannot move on" in refused.value.message
    assert not Declaration.objects.filter(ballot=stuck).exists()
