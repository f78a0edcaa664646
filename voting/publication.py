"""What the vote page, its JSON and its CSV publish (13.4.3), by who is looking: the declaration,
per-category results and how each Group voted for everyone; N, Basic and Weighted Votes and the
workings only for those allowed."""

from __future__ import annotations

from typing import Any

from panel.models import Category, User

from .models import Ballot, Declaration, RollEntry
from .selectors import (
    CATEGORY_ORDER,
    COMBINED_LABELS,
    OUTCOME_LABELS,
    can_see_confidential,
    can_see_turnout,
    case_labels,
    live_votes,
    represented_roll_entries,
    turnout,
)
from .tally import decide_case
from .workings import explain, render_text


def _public_categories(result: dict[str, Any]) -> list[dict[str, object]]:
    out = []
    for c in result.get("categories", []):
        out.append(
            {
                "category": c["category"],
                "label": Category(c["category"]).label,
                "counted": c["counted"],
                "groups_total": c["groups_total"],
                "groups_voted": c["groups_voted"],
                "options": {
                    label: {
                        "accept_groups": o["accept_groups"],
                        "accept_share": o["accept_share"],
                        "accept_weight": o["accept_weight"],
                        "passes": o["passes"],
                    }
                    for label, o in c.get("options", {}).items()
                },
            }
        )
    return out


def publication(ballot: Ballot, user: User | None) -> dict[str, object]:
    """What the vote page, its JSON and its CSV show to this user.

    Everyone: the window and status; after the declaration the result, per-category results and
    which Groups voted and how (13.4.3). Turnout before the declaration: Secretariat, Panel,
    Authority. N, Basic and Weighted Votes and the workings: Secretariat, Panel and Authority, and a
    Party's representatives for its own Groups only (commercially sensitive).
    """
    questions = list(ballot.questions.order_by("position"))
    data: dict[str, object] = {
        "reference": ballot.reference,
        "title": ballot.title,
        "kind": ballot.kind,
        "matter": ballot.matter,
        "status": ballot.status,
        "opens_at": ballot.opens_at.isoformat(),
        "closes_at": ballot.closes_at.isoformat(),
        "closed_at": ballot.closed_at.isoformat() if ballot.closed_at else None,
        "void": {"voided_at": ballot.voided_at.isoformat(), "reason": ballot.void_reason}
        if ballot.voided_at
        else None,
        "questions": [
            {"id": q.pk, "kind": q.kind, "text": q.text, "options": q.options} for q in questions
        ],
        "turnout": None,
        "declaration": None,
        "confidential": None,
    }
    declaration = Declaration.objects.filter(ballot=ballot).first()
    if declaration is None:
        if can_see_turnout(user):
            data["turnout"] = [t.__dict__ for t in turnout(ballot)]
        return data
    data["turnout"] = [t.__dict__ for t in turnout(ballot)]
    by_qid = {q.pk: q for q in questions}
    votes = list(live_votes(ballot))
    per_group: dict[int, dict[str, Any]] = {}
    for v in votes:
        row = per_group.setdefault(
            v.roll_entry_id,
            {
                "group": v.roll_entry.group_name,
                "category": v.roll_entry.category,
                "answers": {},
                "reason": "",
            },
        )
        row["answers"][v.question.kind] = by_qid[v.question_id].choice_label(v.choice)
        if v.reason:
            row["reason"] = v.reason
    data["declaration"] = {
        "declared_at": declaration.declared_at.isoformat(),
        "variation_outcome": declaration.variation_outcome,
        "selected_option": declaration.selected_option,
        "date_outcome": declaration.date_outcome,
        "combined_outcome": declaration.combined_outcome,
        "combined_label": (
            "Deemed a Part 1 Matter (13.7): the Parties are deemed to recommend rejection; "
            "the Authority decides"
            if declaration.variation_deemed_part1
            else COMBINED_LABELS.get(declaration.combined_outcome, "")
        ),
        "deemed_part1": declaration.deemed_part1,
        "recommendation": declaration.recommendation,
        "questions": [
            {
                "id": qid,
                "kind": by_qid[qid].kind,
                "text": by_qid[qid].text,
                "outcome": declaration.results[str(qid)].get("outcome"),
                "outcome_label": OUTCOME_LABELS.get(
                    str(declaration.results[str(qid)].get("outcome")), ""
                ),
                "counts": declaration.results[str(qid)].get("counts"),
                "categories": _public_categories(declaration.results[str(qid)]),
            }
            for qid in sorted(by_qid)
            if str(qid) in declaration.results
        ],
        "votes": sorted(
            per_group.values(), key=lambda r: (CATEGORY_ORDER.index(r["category"]), r["group"])
        ),
    }
    data["confidential"] = confidential_workings(ballot, declaration, user)
    return data


def confidential_workings(
    ballot: Ballot, declaration: Declaration, user: User | None
) -> dict[str, object] | None:
    """Each Group's N, Basic Vote and Weighted Vote, and the workings text, for those allowed."""
    if user is None or not user.is_authenticated:
        return None
    everything = can_see_confidential(user, ballot)
    own = (
        set()
        if everything
        else set(represented_roll_entries(user, ballot).values_list("pk", flat=True))
    )
    if not everything and not own:
        return None
    entries = list(RollEntry.objects.filter(ballot=ballot))
    label_of = case_labels(entries)
    entry_by_label = {(e.category, label_of[e.pk]): e for e in entries}
    questions = {str(q.pk): q for q in ballot.questions.all()}
    rows = []
    for qid, workings in declaration.workings.items():
        for c in workings.get("categories", []):
            for g in c.get("groups", []):
                e = entry_by_label.get((c["category"], g["group"]))
                if e is None or not (everything or e.pk in own):
                    continue
                rows.append(
                    {
                        "question": questions[qid].kind,
                        "group": e.group_name,
                        "category": e.category,
                        "n": e.n,
                        "vote": g.get("vote"),
                        "basic_vote": (g.get("basic_vote") or {}).get("percent"),
                        "weight": (g.get("weight") or {}).get("percent"),
                    }
                )
    text = ""
    if everything and ballot.kind == "PARTY_VOTE":
        text = "\n".join(
            f"== {questions[qid].text}\n{render_text(explain(decide_case(case)))}"
            for qid, case in declaration.cases.items()
        )
    return {"scope": "all" if everything else "own", "groups": rows, "workings_text": text}
