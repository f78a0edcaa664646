"""Anyone downloads a ballot's vote log (/changes/<ref>/vote/log.json and log.csv) and recomputes
it with `python -m voting.verify`, no database: the hashes always (the head can be watched while
the vote is open), the Groups' choices only after the declaration (13.4)."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import time_machine
from django.conf import settings

from panel.models import Role
from voting.models import Declaration
from voting.services import ballots_close_due

from .conftest import AFTER, vote
from .factories import login_verified, staff

LOG = "/changes/DCP-417/vote/log.json"


def cast_votes(world, ballot):
    vote(ballot, world.dno_voter, world.dno[0], "accept", "accept")
    vote(ballot, world.big_voter, world.big1, "reject", "accept", reason="=HYPERLINK(1)")
    vote(ballot, world.lone_voter, world.lone, "reject", "accept")
    vote(ballot, world.lone_voter, world.lone, "accept")  # supersedes its variation answer


def cast_votes_and_close(world, ballot):
    """The four entries of `cast_votes`, then the scheduled close declares."""
    cast_votes(world, ballot)
    with time_machine.travel(AFTER, tick=False):
        ballots_close_due()


def verify(tmp_path: Path, doc: dict, *args: str) -> subprocess.CompletedProcess[str]:
    """The published tool, in a fresh interpreter with no Django settings or database."""
    path = tmp_path / "log.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "voting.verify", str(path), *args],
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(settings.BASE_DIR)},
        timeout=60,
    )


def test_while_open_the_log_shows_hashes_and_the_head_never_a_choice(
    world, ballot, client, tmp_path
) -> None:
    cast_votes(world, ballot)
    ballot.refresh_from_db()
    doc = client.get(LOG).json()
    assert doc["status"] == "open" and doc["declaration"] is None
    assert doc["head"] == {"length": 4, "hash": ballot.chain_head}
    assert [e["sequence"] for e in doc["entries"]] == [1, 2, 3, 4]
    assert all(
        set(e) == {"sequence", "recorded_at", "previous_hash", "entry_hash"} for e in doc["entries"]
    )
    body = client.get(LOG).content.decode()
    assert "reject" not in body and "Big Energy" not in body and "HYPERLINK" not in body
    text = client.get("/changes/DCP-417/vote/log.csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["sequence", "recorded_at", "previous_hash", "entry_hash"]
    assert len(rows) == 5 and "reject" not in text
    # The links and the head check out already; the hashes wait for the payloads.
    run = verify(tmp_path, doc, "--head", f"{ballot.chain_head}:4")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Chain: 4 entries, every link follows the last" in run.stdout
    assert "hashes not recomputed" in run.stdout
    assert client.get(LOG, {"case": "1"}).status_code == 403  # the cases hold N


def test_after_the_declaration_the_download_recomputes_to_the_head_and_the_result(
    world, ballot, client, tmp_path
) -> None:
    cast_votes_and_close(world, ballot)
    declaration = Declaration.objects.get(ballot=ballot)
    doc = client.get("/changes/dcp417/vote/log.json", follow=True).json()
    assert doc["declaration"]["chain_head"] == declaration.chain_head
    assert doc["declaration"]["chain_length"] == 4
    assert all("payload" in e for e in doc["entries"])
    assert all(set(r) == {"roll_entry", "category", "group"} for r in doc["roll"])  # no N
    run = verify(tmp_path, doc, "--head", declaration.chain_head)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "every link recomputes" in run.stdout
    assert f"Declared head: entry 4, {declaration.chain_head}: in the log" in run.stdout
    # How many Groups accepted and rejected, per question and category, from the log alone.
    assert "Question 1 (variation):" in run.stdout
    assert "  DNO: 1 accepted proposal, 0 rejected" in run.stdout
    assert "  SUPPLIER: 1 accepted proposal, 1 rejected" in run.stdout
    assert "  SUPPLIER: 2 accepted proposal, 0 rejected" in run.stdout  # the date question
    assert "Everything agrees." in run.stdout


def test_the_case_download_is_for_those_who_may_see_n_and_reruns_the_weighted_vote(
    world, ballot, client, tmp_path
) -> None:
    cast_votes_and_close(world, ballot)
    declaration = Declaration.objects.get(ballot=ballot)
    assert client.get(LOG, {"case": "1"}).status_code == 403
    login_verified(client, world.lone_voter)
    assert client.get(LOG, {"case": "1"}).status_code == 403  # a Party never sees others' N
    login_verified(client, staff(Role.AUTHORITY, username="ofgem"))
    response = client.get(LOG, {"case": "1"})
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    with_case = response.json()
    assert with_case["cases"] == declaration.cases
    case_path = tmp_path / "case.json"
    case_path.write_text(json.dumps(with_case), encoding="utf-8")
    run = verify(tmp_path, client.get(LOG).json(), "--case", str(case_path))
    assert run.returncode == 0, run.stdout + run.stderr
    variation = str(ballot.questions.get(position=1).pk)
    outcome = declaration.results[variation]["outcome"]
    assert f"Weighted Vote, question {variation}: {outcome}" in run.stdout
    # A case whose votes are not the log's is a disagreement (exit 1).
    for category in with_case["cases"][variation]["categories"]:
        for group in category["groups"]:
            if group["group"] == "Big Energy Group":
                group["vote"] = "proposal"
    case_path.write_text(json.dumps(with_case), encoding="utf-8")
    run = verify(tmp_path, client.get(LOG).json(), "--case", str(case_path))
    assert run.returncode == 1
    assert "Big Energy Group's vote is not its standing vote in the log" in run.stdout


def test_an_edited_download_or_another_head_does_not_verify(
    world, ballot, client, tmp_path
) -> None:
    cast_votes_and_close(world, ballot)
    doc = client.get(LOG).json()
    assert verify(tmp_path, doc, "--head", "0" * 64).returncode == 1
    doc["entries"][1]["payload"]["answers"][0]["choice"] = "proposal"
    run = verify(tmp_path, doc)
    assert run.returncode == 1 and "chain: entry 2 was altered" in run.stdout
    assert "Groups accepted proposal in the log, 1 declared" in run.stdout


def test_the_csv_holds_the_hashed_text_and_no_formula(world, ballot, client) -> None:
    cast_votes_and_close(world, ballot)
    response = client.get("/changes/DCP-417/vote/log.csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [r["sequence"] for r in rows] == ["1", "2", "3", "4"]
    big = rows[1]
    assert big["category"] == "SUPPLIER" and big["answers"].split("; ")[0].endswith("=reject")
    assert big["reason"] == "'=HYPERLINK(1)"  # a spreadsheet shows it, never runs it
    assert json.loads(big["payload"])["reason"] == "=HYPERLINK(1)"  # the exact hashed text
    assert client.get("/changes/DCP-417/vote/log.json", {"ballot": "¹"}).status_code == 404
    assert client.get("/changes/DCP-417/vote/log.json", {"ballot": "99999"}).status_code == 404
    assert client.get("/changes/DCP-999/vote/log.json").status_code == 404
