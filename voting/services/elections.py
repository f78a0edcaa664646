"""Panel elections (Clause 6.2-6.7): create, nominate, notify candidates, vote, count, publish.

The vote reuses the ballot machinery (`ballot_open_election`, `vote_cast`, `ballot_close`,
the declaration): one Ballot per round, one live vote per Group on its one question. The
ranking is pure (`rank`); the services fetch the counts, call it and store the result. Elected
candidates become Panel appointments through the panel app's services.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from panel.audit import audit_record
from panel.calendar import NO_CLOSURES, WorkingDayCalendar, add_working_days
from panel.errors import Conflict, DomainError, NotAllowed
from panel.governance import SEATS, AppointedUnder, EndReason, OfficeRole, PanelAppointment
from panel.models import Affiliation, Party, User
from panel.panel_services import appointment_create, appointment_end
from panel.selectors import Purpose, groups_of, parties_in_category

from ..models import (
    ELECTED_CONSTITUENCIES,
    Ballot,
    BallotStatus,
    Declaration,
    Election,
    ElectionResult,
    ElectionRound,
    ElectionStatus,
    Nomination,
    Question,
)
from .ballots import ballot_open_election
from .closing import ballot_close
from .declaring import ballot_declare

NOMINATION_WORKING_DAYS = 40  # 6.2.1
NOTICE_WORKING_DAYS = 30  # 6.2.3
VOTING_WORKING_DAYS = 10  # 6.2.6
RUNOFF_WORKING_DAYS = 10  # 6.2.7: "such time period as the Panel Secretary may reasonably specify"
CLOSE_TIME = dt.time(17, 0)


# -- the law: dates and ranking (plain data, no database) ------------------------------------


@dataclass(frozen=True)
class ElectionDates:
    vacancy_date: dt.date
    nominations_close: dt.date
    candidates_notice_by: dt.date
    planned_voting_closes: dt.date


def election_dates(year: int, closures: Iterable[dt.date] = NO_CLOSURES) -> ElectionDates:
    """6.2.1, 6.2.3, 6.2.6: counted back from 1 December in Working Days."""
    closures = frozenset(closures)
    december = dt.date(year, 12, 1)
    notice_by = add_working_days(december, -NOTICE_WORKING_DAYS, closures)
    return ElectionDates(
        vacancy_date=december,
        nominations_close=add_working_days(december, -NOMINATION_WORKING_DAYS, closures),
        candidates_notice_by=notice_by,
        planned_voting_closes=add_working_days(notice_by, VOTING_WORKING_DAYS, closures),
    )


@dataclass(frozen=True)
class Ranking:
    """The 6.2.7 list as tiers (candidates still equal after every round), best first."""

    tiers: tuple[tuple[str, ...], ...]
    elected: tuple[str, ...]
    runoff: tuple[str, ...]  # tied for the last office(s): a run-off among these only

    @property
    def decided(self) -> bool:
        return not self.runoff


def _tiers(candidates: Sequence[str], counts: Mapping[str, int]) -> list[tuple[str, ...]]:
    by_votes: dict[int, list[str]] = {}
    for c in candidates:
        by_votes.setdefault(counts.get(c, 0), []).append(c)
    return [tuple(by_votes[v]) for v in sorted(by_votes, reverse=True)]


def rank(candidates: Sequence[str], rounds: Sequence[Mapping[str, int]], seats: int) -> Ranking:
    """Rank by votes; each later round re-orders the tier of exactly its candidates (6.2.7).

    The first `seats` candidates are elected (6.3.2); a tier that straddles the last office
    needs a run-off among its candidates only.
    """
    tiers = _tiers(candidates, rounds[0] if rounds else {})
    for counts in rounds[1:]:
        tied = set(counts)
        split: list[tuple[str, ...]] = []
        for tier in tiers:
            split.extend(_tiers(tier, counts) if set(tier) == tied else [tier])
        tiers = split
    elected: list[str] = []
    runoff: tuple[str, ...] = ()
    remaining = seats
    for tier in tiers:
        if remaining <= 0:
            break
        if len(tier) <= remaining:
            elected.extend(tier)
            remaining -= len(tier)
        else:
            runoff = tier
            break
    return Ranking(tiers=tuple(tiers), elected=tuple(elected), runoff=runoff)


# -- helpers ---------------------------------------------------------------------------------


def _d(day: dt.date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def _ensure_secretariat(by: User | None, action: str) -> None:
    if not (by and by.is_authenticated and by.is_secretariat):
        raise NotAllowed(f"Only the Panel Secretary and the Secretariat may {action}.", rule="6.2")


def _locked(election: Election) -> Election:
    return Election.objects.select_for_update().get(pk=election.pk)


def _close_at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, CLOSE_TIME))


def _party_emails() -> list[str]:
    today = timezone.localdate()
    return sorted(
        set(
            Party.objects.filter(accession_date__lte=today)
            .exclude(termination_date__lt=today)
            .exclude(notice_email="")
            .values_list("notice_email", flat=True)
        )
    )


def _send(recipients: Sequence[str], subject: str, body: str) -> int:
    from django.core.mail import EmailMessage, get_connection

    messages = [
        EmailMessage(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[to])
        for to in recipients
    ]
    return get_connection().send_messages(messages) or 0


def vacant_seats(category: str, role: str, vacancy_date: dt.date) -> list[int]:
    """Offices vacant now or due to become vacant on 1 December (6.2.4, 6.3)."""
    held = set(
        PanelAppointment.objects.filter(constituency=category, role=role)
        .filter(appointed_from__lte=vacancy_date)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=vacancy_date))
        .filter(Q(term_ends__isnull=True) | Q(term_ends__gt=vacancy_date))
        .values_list("seat", flat=True)
    )
    return [s for s in range(1, SEATS[category] + 1) if s not in held]


# -- services --------------------------------------------------------------------------------


def election_create(
    *, by: User, year: int, category: str, role: str, seat_numbers: Sequence[int] | None = None
) -> Election:
    """Set up the annual election of one Role for one Party Category, with its dates (6.2)."""
    _ensure_secretariat(by, "set up an election")
    if category not in [c.value for c in ELECTED_CONSTITUENCIES]:
        raise DomainError(
            "Only the DNO, IDNO/OTSO, Supplier and CVA Registrant categories elect Panel "
            "Members (5.5, 6.1).",
            field="category",
        )
    if role not in OfficeRole.values:
        raise DomainError("Choose Panel Member or Alternate.", field="role")
    dates = election_dates(year, WorkingDayCalendar.load().closures)
    seats = (
        sorted(set(seat_numbers))
        if seat_numbers
        else vacant_seats(category, role, dates.vacancy_date)
    )
    if not seats or any(s < 1 or s > SEATS[category] for s in seats):
        raise DomainError(
            f"No {OfficeRole(role).label} office of this category is vacant or due to become "
            f"vacant on {_d(dates.vacancy_date)}: there is nothing to elect.",
            field="role",
        )
    try:
        with transaction.atomic():
            election = Election.objects.create(
                year=year,
                category=category,
                role=role,
                seat_numbers=seats,
                vacancy_date=dates.vacancy_date,
                nominations_close=dates.nominations_close,
                candidates_notice_by=dates.candidates_notice_by,
                planned_voting_closes=dates.planned_voting_closes,
                created_by=by,
            )
            audit_record(actor=by, action="election.create", target=election, data={"seats": seats})
    except IntegrityError:
        raise Conflict(f"There is already an election for this Role in {year}.", field="role")
    return election


def _employer_in_category(employer: Party, category: str, on: dt.date) -> bool:
    """6.8.3.1-6.8.3.2: a Party of the category, or an Affiliate of one."""
    members = set(parties_in_category(category, on).values_list("party_id", flat=True))
    if employer.pk in members:
        return True
    groups = Affiliation.objects.on(on).filter(party_id=employer.pk).values("corporate_group_id")
    return (
        Affiliation.objects.on(on)
        .filter(corporate_group_id__in=groups, party_id__in=members)
        .exists()
    )


def nomination_submit(
    *,
    by: User,
    election: Election,
    person: User,
    nominated_by: Party,
    employer: Party | None = None,
    employer_name: str = "",
    received_on: dt.date | None = None,
) -> Nomination:
    """Record a notice of candidature (6.2.1), put forward through a Group of the category.

    Refused after the nominations close, from a Party whose election rights are suspended (54.3),
    for a person already standing for this Role, and (6.2.2) for a candidate employed by a Party
    outside the category, who would have to resign at once (6.8.3).
    """
    today = timezone.localdate()
    if not (by and by.is_authenticated):
        raise NotAllowed("Sign in to put a candidate forward.")
    if by.is_secretariat:
        received_on = received_on or today
    elif nominated_by.pk in by.represented_party_ids():
        received_on = today
    else:
        raise NotAllowed(
            f"Only {nominated_by.name}'s representatives or the Panel Secretary may record this "
            "nomination.",
            field="nominated_by",
        )
    if received_on > today:
        raise DomainError("A notice cannot be received in the future.", field="received_on")
    employer_name = (employer_name or "").strip()
    if employer is None and not employer_name:
        raise DomainError(
            "Name the company (if any) that employs the candidate (6.2.1).", field="employer"
        )
    try:
        with transaction.atomic():
            election = _locked(election)
            if election.status != ElectionStatus.NOMINATIONS:
                raise Conflict(
                    f"The candidates for the {election} have been notified; the nomination of "
                    f"{person.get_full_name() or person.username} was not recorded.",
                    field="election",
                )
            if received_on > election.nominations_close:
                raise Conflict(
                    f"Nominations for the {election} closed on {_d(election.nominations_close)} "
                    "(40 Working Days before 1 December, 6.2.1); the nomination was not recorded.",
                    field="received_on",
                    rule="6.2.1",
                )
            group = next(
                (
                    g
                    for g in groups_of(election.category, received_on, Purpose.ELECTION)
                    if nominated_by.pk in {m.party_id for m in (*g.members, *g.suspended_members)}
                ),
                None,
            )
            if group is None:
                raise NotAllowed(
                    f"{nominated_by.name} is not a Party of the {election.get_category_display()} "
                    f"category on {_d(received_on)}.",
                    field="nominated_by",
                )
            if nominated_by.pk not in group.party_ids:
                raise NotAllowed(
                    f"{nominated_by.name}'s election and voting rights are suspended (54.3); "
                    "the nomination was not recorded.",
                    field="nominated_by",
                    rule="54.3",
                )
            if employer is not None and not _employer_in_category(
                employer, election.category, received_on
            ):
                raise DomainError(
                    f"{employer.name} is not a Party of this category or an Affiliate of one: the "
                    "candidate would have to resign at once (6.8.3), so the notice is ignored "
                    "(6.2.2).",
                    field="employer",
                    rule="6.2.2",
                )
            nomination = Nomination.objects.create(
                election=election,
                person=person,
                employer=employer,
                employer_name="" if employer is not None else employer_name,
                nominated_by=nominated_by,
                group_key=group.key,
                group_name=group.name,
                received_on=received_on,
                recorded_by=by,
            )
            audit_record(
                actor=by,
                action="election.nominate",
                target=nomination,
                data={"election": election.pk, "group": group.key},
            )
    except IntegrityError:
        raise Conflict(
            f"{person.get_full_name() or person.username} is already a candidate in the "
            f"{election}.",
            field="person",
        )
    return nomination


def _open_round(
    *,
    by: User,
    election: Election,
    candidates: Sequence[Nomination],
    opens_at: dt.datetime,
    closes_at: dt.datetime,
) -> ElectionRound:
    number = election.rounds.count() + 1
    reference = election.reference if number == 1 else f"{election.reference} R{number}"
    what = "" if number == 1 else f" (run-off {number - 1} among tied candidates)"
    ballot = ballot_open_election(
        by=by,
        reference=reference,
        title=f"{election}{what}",
        category=election.category,
        candidates=[n.label for n in candidates],
        opens_at=opens_at,
        closes_at=closes_at,
    )
    Question.objects.filter(ballot=ballot).update(
        option_texts={n.label: f"{n.display_name} ({n.employer_label})" for n in candidates}
    )
    election_round = ElectionRound.objects.create(election=election, number=number, ballot=ballot)
    election_round.candidates.set(candidates)
    audit_record(
        actor=by,
        action="election.round.open",
        target=election,
        data={"round": number, "ballot": ballot.pk, "candidates": [n.pk for n in candidates]},
    )
    return election_round


def election_open_ballot(
    *, by: User, election: Election, closes_at: dt.datetime | None = None
) -> ElectionRound:
    """Invite the Groups to vote for 10 Working Days (6.2.4-6.2.6): only where the candidates
    outnumber the offices. Called by `candidates_publish`; open only when no round is open yet."""
    _ensure_secretariat(by, "open an election ballot")
    with transaction.atomic():
        election = _locked(election)
        if election.status != ElectionStatus.VOTING or election.rounds.exists():
            raise Conflict(f"The {election} has no vote waiting to be opened.", field="status")
        candidates = list(election.nominations.select_related("person", "employer"))
        if len(candidates) <= election.seats:
            raise Conflict(
                "A vote is held only where the candidates outnumber the offices (6.2.4).",
                field="status",
            )
        now = timezone.now()
        notified = timezone.localtime(election.candidates_notified_at or now).date()
        calendar = WorkingDayCalendar.load()
        closes = closes_at or _close_at(calendar.add_working_days(notified, VOTING_WORKING_DAYS))
        return _open_round(
            by=by, election=election, candidates=candidates, opens_at=now, closes_at=closes
        )


def candidates_publish(*, by: User, election: Election) -> Election:
    """Notify each Party of the candidates (6.2.3) and, where they outnumber the offices, invite
    the Groups to vote at the same time (6.2.4). A notice after the 30-Working-Day date is still
    given (the duty remains) and the lateness is audited."""
    _ensure_secretariat(by, "notify the candidates")
    now = timezone.now()
    today = timezone.localdate(now)
    with transaction.atomic():
        election = _locked(election)
        if election.status != ElectionStatus.NOMINATIONS:
            raise Conflict(f"The candidates for the {election} were already notified.")
        if today < election.nominations_close:
            raise Conflict(
                f"Nominations stay open until {_d(election.nominations_close)} (6.2.1).",
                field="status",
            )
        candidates = list(election.nominations.select_related("person", "employer"))
        contested = len(candidates) > election.seats
        election.candidates_notified_at = now
        election.status = ElectionStatus.VOTING if contested else ElectionStatus.UNCONTESTED
        election.save(update_fields=["candidates_notified_at", "status"])
        audit_record(
            actor=by,
            action="election.candidates_notified",
            target=election,
            data={
                "candidates": [n.pk for n in candidates],
                "late": today > election.candidates_notice_by,
            },
        )
        body = [f"Candidates for the {election} (Clause 6.2.3):", ""]
        body += [f"- {n.display_name} ({n.employer_label})" for n in candidates] or ["- none"]
        if contested:
            election_round = election_open_ballot(by=by, election=election)
            body += [
                "",
                f"There are more candidates than offices ({election.seats}): each Group of the "
                "category may cast one vote for this Role, by "
                f"{timezone.localtime(election_round.ballot.closes_at):%H:%M on %d %B %Y}, at "
                f"{settings.SITE_URL}/my/votes/{election_round.ballot.pk}/ (6.2.4-6.2.6).",
            ]
        else:
            body += ["", "No vote is needed: the candidates are deemed elected (6.3.1)."]
        recipients = _party_emails()
        subject = f"{election}: candidates"
        text = "\n".join(body) + "\n"
        transaction.on_commit(lambda: _send(recipients, subject, text))
    return election


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
    _ensure_secretariat(by, "count an election")
    now = timezone.now()
    with transaction.atomic():
        election = _locked(election)
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
            closes = runoff_closes_at or _close_at(
                WorkingDayCalendar.load().add_working_days(today, RUNOFF_WORKING_DAYS)
            )
            _open_round(by=by, election=election, candidates=tied, opens_at=now, closes_at=closes)
            recipients = _party_emails()
            subject = f"{election}: run-off vote"
            text = (
                f"{', '.join(f'{n.display_name} ({n.employer_label})' for n in tied)} received the "
                f"same number of votes for the last office(s). Each Group of the category is "
                f"invited to vote for its preferred candidate among them by "
                f"{timezone.localtime(closes):%H:%M on %d %B %Y} (6.2.7).\n"
            )
            transaction.on_commit(lambda: _send(recipients, subject, text))
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
                f"vacant or due to become vacant on {_d(election.vacancy_date)}. Under Clause 6.4 "
                f"the Panel Secretary requests that the Authority make up that number by "
                f"selecting {gap} further person(s) on behalf of the category.\n"
            )
            transaction.on_commit(lambda: _send([settings.AUTHORITY_EMAIL], subject, text))
        election.save(
            update_fields=["status", "counted_at", "authority_gap", "authority_notified_at"]
        )
        audit_record(
            actor=by,
            action="election.count",
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
    _ensure_secretariat(by, "publish an election result")
    now = timezone.now()
    today = timezone.localdate(now)
    with transaction.atomic():
        election = _locked(election)
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
        audit_record(actor=by, action="election.publish", target=election)
        recipients = _party_emails()
        subject = f"{election}: result"
        text = result_text(election, results)
        transaction.on_commit(lambda: _send(recipients, subject, text))
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
