"""What a proposal's vote page, its JSON and its CSV publish (13.4.3), by who is looking.

Everyone: the window (scheduled and actual close), the status; after the declaration the result,
the thresholds, per-category results (an accept weight that would reveal a Group's confidential
Weighted Vote is withheld, `voting.disclosure`), how each Group voted on each question with its
reason on each (from the standing entries of the log), and the head of the log to check it by.
Before it: the status only (turnout per category for the Secretariat, Panel and Authority). A
blocked ballot publishes nothing more; a void one says so, with the reason and date, and no
result. Every ballot of the proposal is published, oldest first (14.3: a date-only re-vote sits
under the declaration that sent the date back). N, Basic and Weighted Votes and the workings:
the Secretariat, Panel and Authority in full; a Party's representatives for their own Groups.
"""

from __future__ import annotations

from collections import defaultdict
from fractions import Fraction
from typing import Any
from urllib.parse import quote

from panel.models import CATEGORIES_WITH_N, User

from .decision import Decision
from .disclosure import PUBLIC_REASON, QuestionVotes, withheld
from .models import (
    Ballot,
    BallotKind,
    BallotStatus,
    Declaration,
    Question,
    RightLost,
    RollEntry,
    RollMember,
)
from .receipts import standing_votes
from .selectors import (
    CATEGORY_ORDER,
    can_see_confidential,
    can_see_turnout,
    case_labels,
    represented_roll_entries,
)
from .tally import decide_case
from .wording import (
    BLOCKED_WORDS,
    COMBINED_WORDS,
    DEEMED_PART1_WORDS,
    STATUS_WORDS,
    category_words,
    option_words,
    outcome_words,
    passes_words,
    percent_short,
    percent_words,
    thresholds_words,
)
from .workings import explain, group_steps, percent, render_text

VERIFY_COMMAND = "python -m voting.verify log.json"
LOST_WORDS = dict(RightLost.choices)


def slug(reference: str) -> str:
    """The URL form of a reference: "DCP 417" -> "DCP-417"."""
    return reference.replace(" ", "-")


def log_links(reference: str, head: str = "", length: int = 0) -> dict[str, str]:
    """The log downloads, and the command that checks one against the published head."""
    base = f"/changes/{quote(slug(reference))}/vote/"
    check = f"{VERIFY_COMMAND} --head {head}:{length}" if head else VERIFY_COMMAND
    return {"json": f"{base}log.json", "csv": f"{base}log.csv", "check": check}


def proposal_publication(ballots: list[Ballot], user: User | None) -> list[dict[str, object]]:
    """Every ballot of one proposal, oldest first, each published in full."""
    ordered = sorted(ballots, key=lambda b: (b.opens_at, b.pk))
    return [publication(b, user) for b in ordered]


def _iso(moment: Any) -> str | None:
    return moment.isoformat() if moment else None


def publication(ballot: Ballot, user: User | None) -> dict[str, object]:
    """What the vote page, its JSON and its CSV show of one ballot to this user."""
    questions = list(Question.objects.filter(ballot=ballot).order_by("position"))
    declaration = Declaration.objects.filter(ballot=ballot).first()
    status = "void" if ballot.is_void else ballot.status
    data: dict[str, object] = {
        "ballot": ballot.pk,
        "reference": ballot.reference,
        "title": ballot.title,
        "kind": ballot.kind,
        "matter": ballot.matter,
        "matter_label": ballot.get_matter_display(),
        "status": status,
        "status_label": STATUS_WORDS.get(status, status),
        "opens_at": _iso(ballot.opens_at),
        "closes_at": _iso(ballot.closes_at),
        "closed_at": _iso(ballot.closed_at),
        "close_reason": ballot.close_reason,
        "revote_date_only": [q.kind for q in questions] == ["date"],
        "void": None,
        "blocked": None,
        "questions": [
            {"id": q.pk, "kind": q.kind, "text": q.text, "options": q.options} for q in questions
        ],
        "turnout": None,
        "declaration": None,
        "confidential": None,
    }
    if ballot.is_void:
        data["void"] = {
            "voided_at": _iso(ballot.voided_at),
            "reason": ballot.void_reason,
            "declared_at": _iso(declaration.declared_at) if declaration else None,
        }
        return data
    if declaration is None or ballot.status != BallotStatus.DECLARED:
        if ballot.status == BallotStatus.BLOCKED:
            data["blocked"] = BLOCKED_WORDS
        if can_see_turnout(user):
            data["turnout"] = _turnout(ballot, None)
        return data
    data["turnout"] = _turnout(ballot, declaration.chain_length or None)
    decisions = _decisions(ballot, declaration)
    data["declaration"] = _declaration(ballot, declaration, questions, decisions)
    data["confidential"] = confidential_workings(ballot, declaration, user, decisions)
    return data


def _turnout(ballot: Ballot, through: int | None) -> list[dict[str, object]]:
    """Groups voted / Groups on the roll per category, from the standing entries of the log."""
    voted = {entry for entry, _ in standing_votes(ballot.pk, through=through)}
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for pk, category in RollEntry.objects.filter(ballot=ballot).values_list("pk", "category"):
        totals[category][0] += 1
        totals[category][1] += pk in voted
    return [
        {
            "category": c,
            "label": category_words(c),
            "eligible_groups": totals[c][0],
            "groups_voted": totals[c][1],
        }
        for c in CATEGORY_ORDER
        if c in totals
    ]


def _decisions(ballot: Ballot, declaration: Declaration) -> dict[str, Decision]:
    """The declared decisions, recomputed exactly from the stored cases (pure, no query)."""
    if ballot.kind != BallotKind.PARTY_VOTE:
        return {}
    return {qid: decide_case(case) for qid, case in declaration.cases.items()}


def _withheld(decisions: dict[str, Decision]) -> dict[tuple[str, str, str], str]:
    """(question, category, label) -> why, for the accept weights the public may not see."""
    by_category: dict[str, list[QuestionVotes]] = defaultdict(list)
    for qid, decision in decisions.items():
        for c in decision.categories:
            if c.weights is None:
                continue
            choices = {g.group: g.vote for g in c.votes.groups if g.vote is not None}
            by_category[c.category].append(
                QuestionVotes(qid, c.weights.method, decision.labels, choices, c.weights.weights())
            )
    return {
        (qid, category, label): why.value
        for category, qs in by_category.items()
        for (qid, label), why in withheld(qs).items()
    }


def _categories(qid: str, decision: Decision, hidden: dict[tuple[str, str, str], str]) -> list:
    out = []
    for c in decision.categories:
        options = {}
        for t in c.options:
            secret = (qid, c.category, t.label) in hidden
            options[t.label] = {
                "label": option_words(t.label),
                "accept_groups": t.accept_groups,
                "voting_groups": t.voting_groups,
                "accept_share": percent(t.accept_share),
                "accept_share_text": percent_short(t.accept_share),
                "accept_weight": None if secret else percent(t.accept_weight),
                "accept_weight_text": PUBLIC_REASON if secret else percent_words(t.accept_weight),
                "weight_withheld": secret,
                "passes": t.passes,
                "passes_text": passes_words(t.passes),
            }
        out.append(
            {
                "category": c.category,
                "label": category_words(c.category),
                "counted": c.counted,
                "groups_total": c.groups_total,
                "groups_voted": c.groups_voted,
                "method": c.weights.method if c.weights else None,
                "options": options,
            }
        )
    return out


def _declaration(
    ballot: Ballot,
    declaration: Declaration,
    questions: list[Question],
    decisions: dict[str, Decision],
) -> dict[str, object]:
    hidden = _withheld(decisions)
    published = []
    for q in questions:
        qid = str(q.pk)
        if qid not in declaration.results:
            continue
        result = declaration.results[qid]
        decision = decisions.get(qid)
        selected = decision.selected_option if decision else None
        item: dict[str, object] = {
            "id": q.pk,
            "kind": q.kind,
            "text": q.text,
            "outcome": result.get("outcome"),
            "outcome_label": outcome_words(
                str(result.get("outcome")), bool(decision and decision.deemed_part1)
            ),
            "selected_option": selected,
            "selected_label": option_words(selected) if selected else "",
            "counts": result.get("counts"),
            "categories": _categories(qid, decision, hidden) if decision else [],
        }
        published.append(item)
    combined = (
        DEEMED_PART1_WORDS
        if declaration.variation_deemed_part1
        else COMBINED_WORDS.get(declaration.combined_outcome, "")
    )
    return {
        "declared_at": _iso(declaration.declared_at),
        "variation_outcome": declaration.variation_outcome,
        "selected_option": declaration.selected_option,
        "date_outcome": declaration.date_outcome,
        "combined_outcome": declaration.combined_outcome,
        "combined_label": combined,
        "deemed_part1": declaration.deemed_part1,
        "recommendation": declaration.recommendation,
        "thresholds": thresholds_words(ballot.matter) if ballot.matter else "",
        "questions": published,
        "votes": _how_groups_voted(ballot, declaration, questions),
        "roll_notes": [
            {**n, "reason_label": LOST_WORDS.get(n.get("reason", ""), n.get("reason", ""))}
            for n in declaration.roll_notes
        ],
        "chain_head": declaration.chain_head,
        "chain_length": declaration.chain_length,
        "log": log_links(ballot.reference, declaration.chain_head, declaration.chain_length),
    }


def _how_groups_voted(
    ballot: Ballot, declaration: Declaration, questions: list[Question]
) -> list[dict[str, Any]]:
    """Each Group's standing answer and reason on each question (13.4.4), as the log has them
    through the entry the declaration counted."""
    by_qid = {q.pk: q for q in questions}
    entries = {e.pk: e for e in RollEntry.objects.filter(ballot=ballot)}
    rows: dict[int, dict[str, Any]] = {}
    standing = standing_votes(ballot.pk, through=declaration.chain_length or None)
    for (entry_id, qid), s in sorted(standing.items(), key=lambda kv: by_qid[kv[0][1]].position):
        entry, question = entries[entry_id], by_qid[qid]
        row = rows.setdefault(
            entry_id,
            {
                "group": entry.group_name,
                "category": entry.category,
                "category_label": category_words(entry.category),
                "answers": {},
                "reasons": {},
            },
        )
        row["answers"][question.kind] = question.choice_label(s.choice)
        row["reasons"][question.kind] = s.reason
    for row in rows.values():
        row["reason"] = _reasons_text(row["reasons"])
    return sorted(rows.values(), key=lambda r: (CATEGORY_ORDER.index(r["category"]), r["group"]))


def _reasons_text(reasons: dict[str, str]) -> str:
    """One reason once; different reasons each under its question."""
    given = {k: v for k, v in reasons.items() if v}
    if len(set(given.values())) <= 1 and (len(given) == len(reasons) or len(reasons) == 1):
        return next(iter(given.values()), "")
    return "; ".join(f"{k.capitalize()}: {v}" for k, v in given.items())


def confidential_workings(
    ballot: Ballot,
    declaration: Declaration,
    user: User | None,
    decisions: dict[str, Decision],
) -> dict[str, object] | None:
    """N, Basic Vote, each round and the Weighted Vote for the Groups this user may see, with the
    category totals (TN, SV, XN) to check them by hand; everything to the Secretariat, Panel and
    Authority (with the full per-category figures and the workings text)."""
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
    entries = list(RollEntry.objects.filter(ballot=ballot).order_by("category", "group_name", "pk"))
    label_of = case_labels(entries)
    sources = _n_sources([e.pk for e in entries if everything or e.pk in own])
    questions = {str(q.pk): q for q in Question.objects.filter(ballot=ballot)}
    rows = []
    for qid, decision in decisions.items():
        for c in explain(decision).categories:
            for e in entries:
                if e.category != c.category or not (everything or e.pk in own):
                    continue
                rows.append(_group_row(questions[qid], c, e, label_of[e.pk], sources))
    names = {c: category_words(c) for c in CATEGORY_ORDER}
    text = "\n".join(
        f"== {questions[qid].text}\n{render_text(explain(d), names)}"
        for qid, d in decisions.items()
    )
    return {
        "scope": "all" if everything else "own",
        "groups": rows,
        "categories": (
            {qid: declaration.results[qid].get("categories", []) for qid in decisions}
            if everything
            else None
        ),
        "workings_text": text if everything else "",
    }


def _group_row(
    question: Question, c: Any, entry: RollEntry, label: str, sources: dict[int, list]
) -> dict[str, object]:
    steps = group_steps(c, label)
    weighted = steps.method == "weighted"
    return {
        "question": question.kind,
        "question_label": question.get_kind_display(),
        "group": entry.group_name,
        "category": entry.category,
        "category_label": category_words(entry.category),
        "n": entry.n if entry.category in CATEGORIES_WITH_N else None,
        "n_sources": sources.get(entry.pk, []),
        "vote": question.choice_label(steps.vote) if steps.vote else None,
        "method": steps.method,
        "total_n": steps.total_n if weighted else None,
        "basic_vote": _pct(steps.basic_vote),
        "rounds": [
            {
                "number": s.number,
                "excess": percent_words(s.excess),
                "capped": s.capped,
                "recipients": s.recipients,
                "recipients_n": s.recipients_n,
                "change": None if s.change is None else _signed(s.change),
            }
            for s in steps.steps
        ],
        "weight": _pct(steps.weight),
        "counted": c.counted,
    }


def _pct(value: Fraction | None) -> str | None:
    return None if value is None else percent_words(value)


def _signed(value: Fraction) -> str:
    return f"{'+' if value >= 0 else '-'}{percent_short(abs(value))}"


def _n_sources(entry_ids: list[int]) -> dict[int, list[dict[str, object]]]:
    """Each member Party's N and where it came from (12.12), per roll Group."""
    out: dict[int, list[dict[str, object]]] = defaultdict(list)
    members = RollMember.objects.filter(roll_entry_id__in=entry_ids).select_related(
        "party", "snapshot"
    )
    for m in members.order_by("roll_entry_id", "party__name"):
        got = f"metering snapshot received {m.snapshot.received_on:%-d %B %Y}" if m.snapshot else ""
        out[m.roll_entry_id].append({"party": m.party.name, "n": m.n, "source": m.n_source or got})
    return dict(out)
