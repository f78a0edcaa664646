"""The vote hands a proposal on through the services directly: a proposal that cannot move
raises a DomainError naming the rule, and nothing is written. One name per audited event."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pytest

from changes import services
from changes.audit import ChangeAction
from changes.models import ProposalEvent
from changes.states import TRANSITIONS, State
from panel.errors import Conflict, DomainError
from panel.models import AuditRecord

from .factories import proposal_in

pytestmark = pytest.mark.django_db

CHANGES = Path(__file__).resolve().parents[2] / "changes"


def test_opening_the_vote_on_a_proposal_not_submitted_to_it_is_refused(rep, party, secretariat):
    p = proposal_in(State.REPORT_ISSUED, raised_by=rep, party=party)
    with pytest.raises(Conflict) as refused:
        services.proposal_voting_opened(proposal=p, by=secretariat, ballot_reference="B1")
    assert refused.value.rule == "12.4-12.5"
    assert "Submitted to the Voting Procedure" in refused.value.message
    p.refresh_from_db()
    assert p.status == State.REPORT_ISSUED
    assert not ProposalEvent.objects.filter(proposal=p).exists()
    assert not AuditRecord.objects.filter(action=ChangeAction.PROPOSAL_VOTING_OPEN).exists()


def test_a_declaration_on_a_proposal_not_in_its_vote_is_refused(rep, party, secretariat):
    p = proposal_in(State.AWAITING_VOTE, raised_by=rep, party=party, part=2)
    with pytest.raises(Conflict) as refused:
        services.proposal_vote_declared(
            proposal=p, by=secretariat, variation_outcome="accepted", date_outcome="accepted"
        )
    assert refused.value.rule == "13.4, 13.6"
    p.refresh_from_db()
    assert p.status == State.AWAITING_VOTE and p.vote_outcome == ""
    assert not ProposalEvent.objects.filter(proposal=p).exists()


def test_a_declaration_with_an_outcome_the_part_does_not_allow_is_refused(rep, party, secretariat):
    p = proposal_in(State.VOTING, raised_by=rep, party=party, part=1)
    with pytest.raises(DomainError) as refused:
        services.proposal_vote_declared(
            proposal=p, by=secretariat, variation_outcome="accepted", date_outcome="accepted"
        )
    assert refused.value.rule == "13.4"
    p.refresh_from_db()
    assert p.status == State.VOTING
    assert not ProposalEvent.objects.filter(proposal=p).exists()


def test_a_declaration_moves_the_proposal_with_its_event_and_audit(rep, party, secretariat):
    p = proposal_in(State.VOTING, raised_by=rep, party=party, part=2)
    moved = services.proposal_vote_declared(
        proposal=p,
        by=secretariat,
        variation_outcome="accepted",
        date_outcome="accepted",
        declared_on=dt.date(2027, 3, 1),
    )
    assert moved.status == State.ACCEPTED_APPEAL_WINDOW
    assert ProposalEvent.objects.filter(proposal=p, action="vote_declared_accepted").count() == 1
    assert AuditRecord.objects.filter(
        action=ChangeAction.PROPOSAL_VOTE_DECLARED_ACCEPTED, target_id=str(p.pk)
    ).exists()


def test_every_step_of_the_state_machine_has_its_audited_event():
    for t in TRANSITIONS:
        assert ChangeAction.for_step(t.action) == f"change_proposal.{t.action}"


def test_an_authority_direction_names_an_authority_step(rep, party, authority):
    p = proposal_in(State.WITH_PANEL, raised_by=rep, party=party)
    with pytest.raises(DomainError, match="not a direction or opinion of the Authority"):
        services.proposal_authority_direct(proposal=p, by=authority, action="panel_accept")


# The audit record, and the writes that make one with their row (panel.services.common).
AUDITING = {"audit_record", "audited_create", "audited_save"}


def _audit_actions(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") in AUDITING:
            yield next(k.value for k in node.keywords if k.arg == "action")


def test_every_audit_call_in_changes_names_a_member_not_a_string():
    calls = 0
    for path in CHANGES.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for action in _audit_actions(ast.parse(path.read_text())):
            calls += 1
            assert not isinstance(action, ast.Constant | ast.JoinedStr), (path, action.lineno)
    assert calls >= 25
