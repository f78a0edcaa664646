"""Counting a Panel election (6.2.7, 6.3-6.4) and publishing its result (6.2.7, 6.6-6.7).

The counts come from each round's declaration; the ranking is pure (`voting.election_rules.
rank`); elected candidates become Panel appointments through the panel app's services.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from panel.audit import audit_record
from panel.calendar import WorkingDayCalendar
from panel.errors import Conflict
from panel.models import AppointedUnder, EndReason, OfficeRole, PanelAppointment, User
from panel.services import appointment_create, appointment_end

from ..audit import VotingAction
from ..election_rules import RUNOFF_WORKING_DAYS, Ranking, rank
from ..models import (
    Ballot,
    BallotStatus,
    Declaration,
    Election,
    ElectionResult,
    ElectionStatus,
    Nomination,
    Question,
)
from .closing import ballot_close
from .declaring import ballot_declare
from .elections import (
    close_at,
    day_words,
    election_locked,
    ensure_election_secretariat,
    notice_send,
    party_emails,
    round_open,
)


def _declared_counts(ballot: Ballot, by: User) -> dict[str, int]:
    now = timezone.now()
    if ballot.status == BallotStatus.OPEN:
        if now < ballot.closes_at:
            raise Conflict(
                f"Voting on {ballot.reference} closes at "
                f"{timezone.localtime(ballot.closes_at):%H:%M on %d %B %Y}; count it after that.",
                field="status",
            )
        ballot = ballot_close(ballot=ballot, by=by)
    declaration = Declaration.objects.filter(ballot=ballot).first() or ballot_declare(
        ballot=ballot, by=by
    )
    if declaration is None:
        raise Conflict(f"{ballot.reference} could not be tallied: {ballot.tally_error}")
    question = Question.objects.get(ballot=ballot)
    counts = declaration.results[str(question.pk)]["counts"]
    return {label: int(counts.get(label, 0)) for label in question.options}


def _elected_members(election: Election) -> set[int] | None:
    """People elected Panel Member for the same category and year (6.3.2); None if not counted."""
    member = Election.objects.filter(
        year=election.year, category=election.category, role=OfficeRole.MEMBER
    ).first()
    if member is None:
        return set()
    if member.status not in (ElectionStatus.COUNTED, ElectionStatus.PUBLISHED):
        return None
    return set(
        ElectionResult.objects.filter(election=member, elected=True).values_list(
            "nomination__person_id", flat=True
        )
    )


def election_count(
    *, by: User, election: Election, runoff_closes_at: dt.datetime | None = None
) -> Election:
    """Count the vote (6.2.7) and apply 6.3-6.4.

    Contested: rank by votes; a tie for the last office(s) opens a run-off among the tied
    candidates only, and the count is taken again when it closes. Uncontested: every candidate is
    elected unopposed (6.3.1). Offices left unfilled are reported to the Authority (6.4).
    """
    ensure_election_secretariat(by, "count an election")
    now = timezone.now()
    with transaction.atomic():
        election = election_locked(election)
        if election.status not in (ElectionStatus.VOTING, ElectionStatus.UNCONTESTED):
            raise Conflict(f"The {election} is not awaiting a count.", field="status")
        nominations = list(
            election.nominations.select_related("person", "employer").order_by("received_on", "pk")
        )
        removed: set[int] = set()
        if election.role == OfficeRole.ALTERNATE:
            members = _elected_members(election)
            standing = {n.person_id for n in nominations}
            if members is None:
                if standing & set(
                    Nomination.objects.filter(
                        election__year=election.year,
                        election__category=election.category,
                        election__role=OfficeRole.MEMBER,
                    ).values_list("person_id", flat=True)
                ):
                    raise Conflict(
                        "Count the Panel Member election first: a candidate elected as Panel "
                        "Member is removed from the list of Alternates (6.3.2).",
                        field="status",
                    )
                members = set()
            removed = {n.pk for n in nominations if n.person_id in members}
        kept = [n for n in nominations if n.pk not in removed]
        labels = [n.label for n in kept]
        rounds_counts: list[dict[str, int]] = []
        unopposed = election.status == ElectionStatus.UNCONTESTED
        if not unopposed:
            rounds = list(election.rounds.select_related("ballot").order_by("number"))
            if not rounds:
                raise Conflict(f"No vote has been opened for the {election}.", field="status")
            for r in rounds:
                counts = _declared_counts(r.ballot, by)
                rounds_counts.append({k: v for k, v in counts.items() if k in labels})
        ranking = rank(labels, rounds_counts, election.seats)
        if not ranking.decided:
            tied = [n for n in kept if n.label in ranking.runoff]
            today = timezone.localdate(now)
            closes = runoff_closes_at or close_at(
                WorkingDayCalendar.load().add_working_days(today, RUNOFF_WORKING_DAYS)
            )
            round_open(by=by, election=election, candidates=tied, opens_at=now, closes_at=closes)
            recipients = party_emails()
            subject = f"{election}: run-off vote"
            text = (
                f"{', '.join(f'{n.display_name} ({n.employer_label})' for n in tied)} received the "
                f"same number of votes for the last office(s). Each Group of the category is "
                f"invited to vote for its preferred candidate among them by "
                f"{timezone.localtime(closes):%H:%M on %d %B %Y} (6.2.7).\n"
            )
            notice_send(recipients, subject, text)
            return election
        _store_results(election, kept, nominations, removed, ranking, rounds_counts, unopposed)
        gap = max(0, election.seats - len(ranking.elected))
        election.status = ElectionStatus.COUNTED
        election.counted_at = now
        election.authority_gap = gap
        if gap:
            election.authority_notified_at = now
            subject = f"{election}: request to select {gap} further person(s) (Clause 6.4)"
            text = (
                f"Only {len(ranking.elected)} candidate(s) stood for {election.seats} office(s) of "
                f"{election.get_role_display()} for the {election.get_category_display()} "
                f"vacant or due to become vacant on {day_words(election.vacancy_date)}. Under Clause 6.4 "
                f"the Panel Secretary requests that the Authority make up that number by "
                f"selecting {gap} further person(s) on behalf of the category.\n"
            )
            notice_send([settings.AUTHORITY_EMAIL], subject, text)
        election.save(
            update_fields=["status", "counted_at", "authority_gap", "authority_notified_at"]
        )
        audit_record(
            actor=by,
            action=VotingAction.ELECTION_COUNT,
            target=election,
            data={"elected": list(ranking.elected), "authority_gap": gap, "unopposed": unopposed},
        )
    return election


def _store_results(
    election: Election,
    kept: Sequence[Nomination],
    nominations: Sequence[Nomination],
    removed: set[int],
    ranking: Ranking,
    rounds_counts: Sequence[Mapping[str, int]],
    unopposed: bool,
) -> None:
    by_label = {n.label: n for n in kept}
    seats = iter(sorted(election.seat_numbers))
    elected = set(ranking.elected)
    rows: list[ElectionResult] = []
    position = 0
    for tier in ranking.tiers:
        tier_rank = position + 1
        for label in tier:
            position += 1
            runoff = next((c[label] for c in reversed(rounds_counts[1:]) if label in c), None)
            rows.append(
                ElectionResult(
                    election=election,
                    nomination=by_label[label],
                    position=position,
                    rank=tier_rank,
                    votes=rounds_counts[0].get(label, 0) if rounds_counts else None,
                    runoff_votes=runoff,
                    elected=label in elected,
                    unopposed=unopposed and label in elected,
                    seat=next(seats) if label in elected else None,
                )
            )
    for n in nominations:
        if n.pk in removed:
            position += 1
            rows.append(
                ElectionResult(
                    election=election,
                    nomination=n,
                    position=position,
                    rank=position,
                    removed_note="Elected as Panel Member: removed from the Alternates (6.3.2).",
                )
            )
    ElectionResult.objects.bulk_create(rows)


def _allocate_to(election: Election, seat: int, on: dt.date) -> PanelAppointment | None:
    """6.11: the Panel Member of the same category elected for the same office, else any member
    of the category without an allocated Alternate."""
    live = PanelAppointment.objects.live_on(on).filter(
        constituency=election.category, role=OfficeRole.MEMBER
    )
    same = live.filter(seat=seat).first()
    if same is not None:
        return same
    taken = PanelAppointment.objects.live_on(on).filter(
        constituency=election.category, role=OfficeRole.ALTERNATE
    )
    return live.exclude(pk__in=taken.values("allocated_to_id")).order_by("seat").first()


def election_results_publish(*, by: User, election: Election) -> Election:
    """Notify the Parties of the result (6.2.7) and appoint the elected (6.3, 6.6, 6.7).

    Each is appointed from the later of the election and the day the office falls vacant (6.6);
    a holder retiring on 1 December is retired then (6.7). The written confirmations of 6.17 are
    recorded on the appointment later (the register flags them after 20 Working Days).
    """
    ensure_election_secretariat(by, "publish an election result")
    now = timezone.now()
    today = timezone.localdate(now)
    with transaction.atomic():
        election = election_locked(election)
        if election.status != ElectionStatus.COUNTED:
            raise Conflict(f"The {election} has not been counted, or is already published.")
        results = list(
            election.results.select_related("nomination__person", "nomination__employer")
        )
        for result in results:
            if not result.elected or result.seat is None:
                continue
            holders = PanelAppointment.objects.filter(
                constituency=election.category, role=election.role, seat=result.seat
            ).filter(Q(ended_on__isnull=True) | Q(ended_on__gt=today))
            appointed_from = today
            for holder in holders:
                leaves = holder.ended_on or holder.term_ends or election.vacancy_date
                appointed_from = max(appointed_from, leaves)
                if holder.ended_on is None:
                    appointment_end(by=by, appointment=holder, on=leaves, reason=EndReason.RETIRED)
            allocated = None
            if election.role == OfficeRole.ALTERNATE:
                allocated = _allocate_to(election, result.seat, appointed_from)
                if allocated is None:
                    raise Conflict(
                        f"There is no Panel Member of this category to allocate "
                        f"{result.nomination.display_name} to as Alternate (6.11): record the "
                        "Panel Members first.",
                    )
            n = result.nomination
            result.appointment = appointment_create(
                by=by,
                person=n.person,
                role=election.role,
                constituency=election.category,
                seat=result.seat,
                appointed_from=appointed_from,
                employer=n.employer,
                employer_name=n.employer_name,
                allocated_to=allocated,
                appointed_under=AppointedUnder.ELECTION,
                elected_on=today,
            )
            result.save(update_fields=["appointment"])
        election.status = ElectionStatus.PUBLISHED
        election.published_at = now
        election.save(update_fields=["status", "published_at"])
        audit_record(actor=by, action=VotingAction.ELECTION_PUBLISH, target=election)
        recipients = party_emails()
        subject = f"{election}: result"
        text = result_text(election, results)
        notice_send(recipients, subject, text)
    return election


def result_text(election: Election, results: Sequence[ElectionResult]) -> str:
    lines = [f"Result of the {election} (Clause 6.2.7), most votes first:", ""]
    for r in results:
        votes = "" if r.votes is None else f", {r.votes} vote(s)"
        runoff = "" if r.runoff_votes is None else f", {r.runoff_votes} in the run-off"
        status = "elected unopposed" if r.unopposed else "elected" if r.elected else "not elected"
        note = f" {r.removed_note}" if r.removed_note else ""
        lines.append(f"{r.position}. {r.nomination}{votes}{runoff}: {status}.{note}")
    if election.authority_gap:
        lines += [
            "",
            f"{election.authority_gap} office(s) unfilled: the Authority has been asked to "
            "select further persons (6.4).",
        ]
    return "\n".join(lines) + "\n"
