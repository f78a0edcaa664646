"""The notices of a vote: opening it tells each Party the period within which votes must be cast
and each authorised voter how to vote (12.4.1); a declaration owes one 13.8 notice per recipient,
worded from the declaration, to each Party and to the Consumer Body, the transmission operator,
designated bodies and the Authority at their recorded addresses; a required recipient with no
address is reported to the Secretariat (mail, audit, the ballot page)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.utils import timezone

from panel.errors import DomainError
from panel.mail import mail_render
from panel.models import AuditRecord, NoticeBody, NoticeBodyKind, OutgoingMail
from voting.audit import VotingAction
from voting.models import Ballot, Declaration
from voting.services import ballots_close_due, vote_cast
from voting.services.notices import declaration_context, notice_bodies_missing

from .conftest import CLOSES, OPENS, entry, open_vote, proposal_ballot
from .factories import login_verified

DURING = OPENS + dt.timedelta(days=1)
AFTER = CLOSES + dt.timedelta(minutes=1)
REQUIRED_KINDS = (NoticeBodyKind.CONSUMER_BODY, NoticeBodyKind.NETSO, NoticeBodyKind.AUTHORITY)


def _bodies(*kinds: str) -> dict[str, NoticeBody]:
    addresses = {
        NoticeBodyKind.CONSUMER_BODY: ("Citizens Advice", "cb@consumer.example"),
        NoticeBodyKind.NETSO: ("NESO", "codes@neso.example"),
        NoticeBodyKind.DESIGNATED: ("Designated Ltd", "notices@designated.example"),
        NoticeBodyKind.AUTHORITY: ("GEMA", "codes@authority.example"),
    }
    return {
        k: NoticeBody.objects.create(kind=k, name=addresses[k][0], notice_email=addresses[k][1])
        for k in kinds
    }


def _declared_on_a_proposal(world) -> Ballot:
    _, ballot = proposal_ballot(world, number=None, categories=("DNO", "SUPPLIER"))
    for user, party in ((world.dno_voter, world.dno[0]), (world.lone_voter, world.lone)):
        with time_machine.travel(DURING, tick=False):
            vote_cast(
                ballot=ballot,
                roll_entry=entry(ballot, party),
                by=user,
                answers={q.pk: "accept" for q in ballot.questions.all()},
                second_factor=True,
            )
    with time_machine.travel(AFTER, tick=False):
        ballots_close_due()
    return Ballot.objects.get(pk=ballot.pk)


def test_each_recipient_gets_one_declaration_notice_worded_from_the_declaration(world) -> None:
    bodies = _bodies(*NoticeBodyKind.values)
    ballot = _declared_on_a_proposal(world)
    declaration = Declaration.objects.get(ballot=ballot)
    notices = OutgoingMail.objects.filter(template="voting/declaration_notice")
    per_address = Counter(a for m in notices for a in [*m.to, *m.bcc])
    assert per_address[world.lone.notice_email] == 1
    assert per_address[world.dno[0].notice_email] == 1
    for body in bodies.values():  # 13.8.2-13.8.5 at their recorded addresses, no accounts
        assert per_address[body.notice_email] == 1
    assert per_address[settings.AUTHORITY_EMAIL] == 1
    assert set(per_address.values()) == {1}
    # The change process owes no second, differing notice of the same declaration.
    assert not OutgoingMail.objects.filter(template="changes/notice_declared").exists()
    body = notices.first().body
    assert "Notice of declaration under Clause 13.8" in body
    assert declaration.chain_head and declaration.chain_head in body
    assert f"counted {declaration.chain_length or ballot.chain_length} entries" in body
    assert "The proposed variation (proposal): accepted." in body
    assert "The proposed implementation date: accepted." in body
    # Every required recipient was reached: no warning.
    assert not AuditRecord.objects.filter(action=VotingAction.NOTICE_RECIPIENT_MISSING).exists()


def test_a_required_recipient_with_no_address_warns_the_secretariat(world) -> None:
    _bodies(NoticeBodyKind.CONSUMER_BODY, NoticeBodyKind.AUTHORITY)  # no transmission operator
    ballot = _declared_on_a_proposal(world)
    record = AuditRecord.objects.get(
        action=VotingAction.NOTICE_RECIPIENT_MISSING, target_id=str(ballot.pk)
    )
    assert record.data["missing"] == [NoticeBodyKind.NETSO.label]
    warning = OutgoingMail.objects.get(template="voting/notice_recipient_missing")
    assert warning.to == [settings.SECRETARIAT_EMAIL]
    assert "National Electricity Transmission System Operator" in warning.body
    with time_machine.travel(AFTER, tick=False):
        client = login_verified(Client(), world.secretariat)
        page = client.get(f"/votes/ballots/{ballot.pk}/").content.decode()
    assert 'id="notices-missing"' in page
    assert "National Electricity Transmission System Operator" in page


def test_a_body_with_only_a_postal_address_is_listed_for_posting(world) -> None:
    _bodies(*REQUIRED_KINDS)
    NoticeBody.objects.create(
        kind=NoticeBodyKind.DESIGNATED, name="Postal Body", notice_address="1 High St, Leeds"
    )
    _declared_on_a_proposal(world)
    record = AuditRecord.objects.get(action=VotingAction.NOTICE_RECIPIENT_MISSING)
    assert record.data["missing"] == []
    warning = OutgoingMail.objects.get(template="voting/notice_recipient_missing")
    assert "Postal Body" in warning.body and "1 High St, Leeds" in warning.body


def test_an_ended_body_is_no_longer_a_recipient(world) -> None:
    bodies = _bodies(*REQUIRED_KINDS)
    netso = bodies[NoticeBodyKind.NETSO]
    netso.ended_on = dt.date(2027, 1, 1)
    netso.save()
    _declared_on_a_proposal(world)
    notices = OutgoingMail.objects.filter(template="voting/declaration_notice")
    assert not notices.filter(to=[netso.notice_email]).exists()
    assert AuditRecord.objects.get(action=VotingAction.NOTICE_RECIPIENT_MISSING).data[
        "missing"
    ] == [NoticeBodyKind.NETSO.label]


def test_the_notice_gives_the_roll_notes_when_there_are_any(world, ballot) -> None:
    declaration = Declaration(
        ballot=ballot,
        declared_at=timezone.make_aware(dt.datetime(2027, 3, 22, 17, 1)),
        variation_outcome="accepted",
        date_outcome="accepted",
        combined_outcome="accepted",
        chain_head="ab" * 32,
        chain_length=7,
        roll_notes=["Lone Supply Ltd lost its right to vote on 10 March 2027 (54.3)"],
    )
    _, body = mail_render("voting/declaration_notice", declaration_context(declaration))
    assert "The vote log counted 7 entries; its head is " + "ab" * 32 in body
    assert "- Lone Supply Ltd lost its right to vote on 10 March 2027 (54.3)" in body
    _, plain = mail_render(
        "voting/declaration_notice",
        {**declaration_context(declaration), "roll_notes": []},
    )
    assert "What happened to Groups" not in plain


def test_opening_a_vote_tells_each_party_the_period_and_each_voter_how_to_vote(world) -> None:
    ballot = open_vote(world)
    to_parties = OutgoingMail.objects.get(template="voting/vote_open")
    everyone = {p.notice_email for p in [*world.dno, world.big1, world.lone, world.idno]}
    assert everyone <= set(to_parties.bcc)
    assert to_parties.subject == "DCP 417: voting is open until 17:00 on 22 March 2027"
    assert "between 09:00 on 1 March 2027 and 17:00 on 22 March 2027" in to_parties.body
    to_voters = OutgoingMail.objects.get(template="voting/vote_open_voter")
    assert {world.lone_voter.email, world.dno_voter.email} <= set(to_voters.bcc)
    assert f"/my/votes/{ballot.pk}/" in to_voters.body


def test_a_refused_opening_tells_nobody(world) -> None:
    with pytest.raises(DomainError):
        open_vote(world, closes_at=OPENS + dt.timedelta(hours=1))
    assert not OutgoingMail.objects.filter(template__startswith="voting/vote_open").exists()


def test_the_secretariat_records_a_notice_body_in_the_admin_audited(world) -> None:
    from panel.audit import PanelAction

    client = login_verified(Client(), world.secretariat)
    url = "/admin/panel/noticebody/add/"
    empty = client.post(url, {"kind": NoticeBodyKind.NETSO, "name": "NESO"})
    assert empty.status_code == 200 and "Record an e-mail or a postal address" in (
        empty.content.decode()
    )
    assert not NoticeBody.objects.exists()
    added = client.post(
        url, {"kind": NoticeBodyKind.NETSO, "name": "NESO", "notice_email": "codes@neso.example"}
    )
    assert added.status_code == 302
    body = NoticeBody.objects.get()
    record = AuditRecord.objects.get(action=PanelAction.REGISTER_ROW_ADDED, target_id=str(body.pk))
    assert record.actor == world.secretariat
    assert NoticeBodyKind.NETSO.label not in notice_bodies_missing()
