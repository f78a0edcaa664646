"""Panel elections (Clause 6.2-6.5): set one up, nominate, notify the candidates, open a round.

The vote reuses the ballot machinery (`ballot_open_election`, `vote_cast`, the declaration): one
Ballot per round, one live vote per Group on its one question. The dates are pure
(`voting.election_rules`); counting and publication are in `election_results`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from panel.access import SECRETARIAT, allowed, require
from panel.audit import audit_record
from panel.calendar import WorkingDayCalendar
from panel.errors import Conflict, DomainError, NotAllowed
from panel.mail import mail_send
from panel.models import SEATS, Affiliation, OfficeRole, PanelAppointment, Party, User
from panel.selectors import Purpose, groups_of, parties_in_category, party_notice_emails

from ..audit import VotingAction
from ..election_rules import VOTING_WORKING_DAYS, election_dates
from ..models import (
    ELECTED_CONSTITUENCIES,
    Election,
    ElectionRound,
    ElectionStatus,
    Nomination,
    Question,
)
from .ballots import ballot_open_election

CLOSE_TIME = dt.time(17, 0)


# -- helpers ---------------------------------------------------------------------------------


def day_words(day: dt.date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def ensure_election_secretariat(by: User | None, action: str) -> None:
    """The Panel Secretary acts through the Secretariat's accounts (6.2)."""
    require(by, SECRETARIAT, doing=action, rule="6.2")


def election_locked(election: Election) -> Election:
    return Election.objects.select_for_update().get(pk=election.pk)


def close_at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, CLOSE_TIME))


def party_emails() -> list[str]:
    return party_notice_emails(timezone.localdate())


def notice_send(recipients: Sequence[str], subject: str, body: str) -> int:
    """Owe an election notice to each recipient, one e-mail each; sent after the commit."""
    context = {"subject": subject, "body": body}
    return sum(
        1
        for to in recipients
        if mail_send(template="voting/election_notice", to=[to], context=context)
    )


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
    ensure_election_secretariat(by, "set up an election")
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
            f"vacant on {day_words(dates.vacancy_date)}: there is nothing to elect.",
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
            audit_record(
                actor=by,
                action=VotingAction.ELECTION_CREATE,
                target=election,
                data={"seats": seats},
            )
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
    if allowed(by, SECRETARIAT):
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
            election = election_locked(election)
            if election.status != ElectionStatus.NOMINATIONS:
                raise Conflict(
                    f"The candidates for the {election} have been notified; the nomination of "
                    f"{person.get_full_name() or person.username} was not recorded.",
                    field="election",
                )
            if received_on > election.nominations_close:
                raise Conflict(
                    f"Nominations for the {election} closed on {day_words(election.nominations_close)} "
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
                    f"category on {day_words(received_on)}.",
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
                action=VotingAction.ELECTION_NOMINATE,
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


def round_open(
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
        action=VotingAction.ELECTION_ROUND_OPEN,
        target=election,
        data={"round": number, "ballot": ballot.pk, "candidates": [n.pk for n in candidates]},
    )
    return election_round


def election_open_ballot(
    *, by: User, election: Election, closes_at: dt.datetime | None = None
) -> ElectionRound:
    """Invite the Groups to vote for 10 Working Days (6.2.4-6.2.6): only where the candidates
    outnumber the offices. Called by `candidates_publish`; open only when no round is open yet."""
    ensure_election_secretariat(by, "open an election ballot")
    with transaction.atomic():
        election = election_locked(election)
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
        closes = closes_at or close_at(calendar.add_working_days(notified, VOTING_WORKING_DAYS))
        return round_open(
            by=by, election=election, candidates=candidates, opens_at=now, closes_at=closes
        )


def candidates_publish(*, by: User, election: Election) -> Election:
    """Notify each Party of the candidates (6.2.3) and, where they outnumber the offices, invite
    the Groups to vote at the same time (6.2.4). A notice after the 30-Working-Day date is still
    given (the duty remains) and the lateness is audited."""
    ensure_election_secretariat(by, "notify the candidates")
    now = timezone.now()
    today = timezone.localdate(now)
    with transaction.atomic():
        election = election_locked(election)
        if election.status != ElectionStatus.NOMINATIONS:
            raise Conflict(f"The candidates for the {election} were already notified.")
        if today < election.nominations_close:
            raise Conflict(
                f"Nominations stay open until {day_words(election.nominations_close)} (6.2.1).",
                field="status",
            )
        candidates = list(election.nominations.select_related("person", "employer"))
        contested = len(candidates) > election.seats
        election.candidates_notified_at = now
        election.status = ElectionStatus.VOTING if contested else ElectionStatus.UNCONTESTED
        election.save(update_fields=["candidates_notified_at", "status"])
        audit_record(
            actor=by,
            action=VotingAction.ELECTION_CANDIDATES_NOTIFIED,
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
        recipients = party_emails()
        subject = f"{election}: candidates"
        text = "\n".join(body) + "\n"
        notice_send(recipients, subject, text)
    return election
