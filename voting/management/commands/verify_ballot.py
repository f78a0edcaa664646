"""`manage.py verify_ballot REF` (or `--all`): check each ballot's hash chain, its current votes
against the log and its declaration against the log; print every finding, record the check
(occasion "command") and exit 1 on any disagreement not answered by a recorded decision."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from voting.models import Ballot, CheckOccasion
from voting.selectors import normalise_reference
from voting.services.integrity import answering_decision, ballot_check, ballot_findings


class Command(BaseCommand):
    help = "Verify ballots: the vote log's chain, the current votes and the declaration agree."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("reference", nargs="?", help='a proposal reference, e.g. "DCP 417"')
        parser.add_argument("--all", action="store_true", help="every ballot")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["all"] == bool(options["reference"]):
            raise CommandError("Give one proposal reference, or --all.", returncode=2)
        ballots = Ballot.objects.order_by("pk")
        if not options["all"]:
            ballots = ballots.filter(reference=normalise_reference(options["reference"]))
        if not ballots.exists():
            raise CommandError(f"No ballot for {options['reference']}.", returncode=2)
        disagreements = 0
        for ballot in ballots:
            disagreements += self._verify(ballot)
        if disagreements:
            raise CommandError(f"{disagreements} ballot(s) disagree with their log.", returncode=1)
        self.stdout.write("Every ballot checked agrees with its log.")

    def _verify(self, ballot: Ballot) -> int:
        findings = ballot_findings(ballot)
        ballot_check(ballot=ballot, occasion=CheckOccasion.COMMAND, findings=findings)
        title = f"{ballot.reference} (ballot {ballot.pk}, {ballot.get_status_display().lower()})"
        head = f"{findings.length} entries, head {findings.head or '(empty)'}"
        if findings.ok:
            self.stdout.write(f"{title}: {head}: agrees")
            return 0
        decision = answering_decision(ballot, findings)
        answered = (
            f"; answered by the Secretariat's decision of {decision.decided_at:%d %B %Y}: "
            f"{decision.get_outcome_display()}"
            if decision
            else ""
        )
        self.stdout.write(f"{title}: {head}: {len(findings.faults)} faults{answered}")
        for fault in findings.faults:
            self.stdout.write(f"  - [{fault['kind']}] {fault['detail']}")
        return 0 if decision else 1
