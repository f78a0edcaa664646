"""Sealed until the declaration (13.4.3): while a vote is open nobody, the Secretariat included,
sees any Group's choice or reason, on any page, in the API, the admin, an export, an e-mail, the
audit trail or the logs; everyone allowed sees the turnout per category only. A voter sees their
own Group's vote on their own pages (the cast form, My votes) and in their own receipt. Once
declared, how each Group voted is published (13.4.3) and the admin shows it.

Every page is taken from the URLconf, so a page added later is covered without editing this file.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
import time_machine
from django.contrib import admin
from django.core import mail
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from panel.models import AuditRecord, OutgoingMail, Role, User
from voting.models import Ballot, Declaration, Vote, VoteLogEntry
from voting.services import ballots_close_due
from voting.services.ballots import ballot_open_for_proposal

from .conftest import CLOSES, OPENS, cast, entry, proposal_ready_to_vote
from .factories import UserFactory, login_verified, staff

DURING = OPENS + dt.timedelta(days=2)
AFTER = CLOSES + dt.timedelta(minutes=1)

# One reason per Group, each a string found nowhere else.
MARKS = {
    "lone": "SEALMARK-lone-q7v2 our reasons by the DCUSA Objectives",
    "big": "SEALMARK-big-k3x9 the variation does not better facilitate them",
    "dno": "SEALMARK-dno-w5m1 the date suits us, the variation does not",
}
# The words a Group's choice is shown in: stored values ("proposal", "reject") and labels
# ("Accept", "Reject", "Reject all"); counted against the same page before any vote.
CHOICE_WORDS = re.compile(r"accept|reject|proposal", re.IGNORECASE)

# URL parameters this test can fill; a pattern needing another is listed in SKIPPED (and must be
# a page that cannot show a vote) so that a new voting page never goes unchecked silently.
SKIPPED = {
    "voting:ballot_action": "POST only (close, notify, void)",
    "voting:election_action": "POST only",
    "changes:desk_action": "a desk form; POST does the step",
    "changes:register_copy": "a monthly copy of the register",
    "password_reset_confirm": "needs a reset token",
    "schema": "the API's schema: no data",
    "api-docs": "the API's schema: no data",
}


@dataclass
class Scene:
    ballot: Ballot
    reference: str  # as in URLs: DCP-417
    users: dict[str, User | None]
    own_pages: dict[str, set[str]]  # per voter: its pages that may show its own Group's vote
    own_marks: dict[str, set[str]]  # per role: the marks of its own Groups
    baseline: dict[tuple[str, str], str] = field(default_factory=dict)
    clients: dict[str, Client] = field(default_factory=dict)

    def sign_in(self) -> None:
        """Each role signs in now (with its second factor): call it under the frozen clock."""
        self.clients = {
            role: login_verified(_client(), user) if user else _client()
            for role, user in self.users.items()
        }


def _client() -> Client:
    """A browser: a server error is answered (500), as a visitor sees it, not raised."""
    return Client(raise_request_exception=False)


@pytest.fixture
def scene(world) -> Scene:
    proposal = proposal_ready_to_vote(world)
    with time_machine.travel(OPENS, tick=False):
        ballot = ballot_open_for_proposal(proposal=proposal, by=world.secretariat)
    superuser = UserFactory(username="root", is_superuser=True, is_staff=True)
    users: dict[str, User | None] = {
        "anonymous": None,
        "other_group_voter": world.dno_voter,
        "same_group_voter": world.lone_voter,
        "secretariat": world.secretariat,
        "authority": staff(Role.AUTHORITY, username="authority"),
        "panel_member": staff(Role.PANEL_MEMBER, username="panel"),
        "superuser": superuser,
    }
    own_pages = {reverse("voting:cast", kwargs={"pk": ballot.pk}), reverse("voting:my_votes")}
    return Scene(
        ballot=ballot,
        reference=ballot.reference.replace(" ", "-"),
        users=users,
        own_pages={"same_group_voter": own_pages, "other_group_voter": own_pages},
        own_marks={"same_group_voter": {MARKS["lone"]}, "other_group_voter": {MARKS["dno"]}},
    )


def _cast_everything(world, ballot: Ballot, capture) -> None:
    """Three Groups vote, with reasons; Lone Supply changes its vote once."""
    variation, date = ballot.questions.order_by("position")
    casts = [
        (world.lone_voter, world.lone, {variation.pk: "reject"}, "first thoughts " + MARKS["lone"]),
        (world.lone_voter, world.lone, {variation.pk: "accept", date.pk: "accept"}, MARKS["lone"]),
        (world.big_voter, world.big1, {variation.pk: "reject", date.pk: "reject"}, MARKS["big"]),
        (world.dno_voter, world.dno[0], {variation.pk: "reject", date.pk: "accept"}, MARKS["dno"]),
    ]
    with time_machine.travel(DURING, tick=False), capture(execute=True):
        for user, party, answers, reason in casts:
            cast(ballot, user, party, answers, reason)


# -- every page, from the URLconf ----------------------------------------------------------------


def _patterns(patterns, namespace: str = "") -> Iterator[tuple[str, URLPattern]]:
    for p in patterns:
        if isinstance(p, URLResolver):
            inner = f"{namespace}:{p.namespace}" if namespace and p.namespace else p.namespace
            yield from _patterns(p.url_patterns, inner or namespace)
        elif p.name:
            yield (f"{namespace}:{p.name}" if namespace else p.name), p


def _parameters(pattern: URLPattern) -> set[str]:
    regex = pattern.pattern.regex
    return set(regex.groupindex)


def site_urls(scene: Scene, world) -> list[str]:
    """Every named page outside the admin, its parameters filled with this vote's objects."""
    ballot = scene.ballot
    declaration = Declaration.objects.filter(ballot=ballot).first()
    values = {
        "reference": scene.reference,
        "pk": str(ballot.pk),
        "format": "json",
        "short_code": world.lone.short_code,
        "code": "SUPPLIER",
    }
    per_name = {
        "declaration-detail": {"pk": str(declaration.pk if declaration else 0)},
        "change-proposal-detail": {"pk": str(ballot.proposal_id)},
        "change-proposal-documents": {"pk": str(ballot.proposal_id)},
        "change-proposal-events": {"pk": str(ballot.proposal_id)},
        "change-proposal-transitions": {"pk": str(ballot.proposal_id)},
    }
    urls: set[str] = set()
    unfilled = []
    for name, pattern in _patterns(get_resolver().url_patterns):
        if name.startswith("admin:") or name in SKIPPED:
            continue
        wanted = _parameters(pattern)
        kwargs = {k: per_name.get(name, {}).get(k, values.get(k)) for k in wanted}
        if any(v is None for v in kwargs.values()):
            unfilled.append(name)
            continue
        try:
            urls.add(reverse(name, kwargs=kwargs or None))
        except Exception:  # noqa: BLE001 - a route this test fills wrongly is reported below
            unfilled.append(name)
    # A page with parameters this test cannot fill is only acceptable outside the vote's pages.
    assert not [n for n in unfilled if n.startswith(("voting:", "ballot-", "declaration-"))]
    # The cast page of a Group the voter is not a voter of falls back to the voter's own Group.
    for party in (world.lone, world.big1):
        urls.add(
            f"{reverse('voting:cast', kwargs={'pk': ballot.pk})}?group={entry(ballot, party).pk}"
        )
    return sorted(urls)


def admin_urls() -> list[str]:
    """Every admin changelist; the change (and history) page of every voting record and every
    audit record."""
    urls = []
    for model in admin.site._registry:
        meta = model._meta
        urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
        if meta.app_label == "voting" or model is AuditRecord:
            for pk in model._default_manager.values_list("pk", flat=True)[:40]:
                urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[pk]))
                if model in (Vote, VoteLogEntry):
                    urls.append(
                        reverse(f"admin:{meta.app_label}_{meta.model_name}_history", args=[pk])
                    )
    return urls


def _text(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def _public_text(ballot: Ballot) -> list[str]:
    """Texts that are public whatever the votes: removed before counting choice words, since a
    row per vote (an admin list) repeats them."""
    out = [ballot.title]
    for q in ballot.questions.all():
        out += [str(q), q.text, *q.option_texts.values()]
    escaped = [t.replace("&", "&amp;").replace("'", "&#x27;").replace('"', "&quot;") for t in out]
    return sorted({t for t in out + escaped if t}, key=len, reverse=True)


def _choice_words(page: str, public: list[str]) -> Counter[str]:
    """How often each choice word appears, public texts aside."""
    for text in public:
        page = page.replace(text, "")
    return Counter(w.lower() for w in CHOICE_WORDS.findall(page))


def _kind_of_page(url: str) -> str:
    """/admin/voting/vote/12/change/ -> /admin/voting/vote/N/change/"""
    return re.sub(r"/\d+/", "/N/", url)


VOTE_PAGES = re.compile(
    r"^/(api/v1/(ballots|declarations)|panel/dashboard|votes/|my/votes|elections|admin/voting)"
    r"|/vote[/.]"
)


def _of_the_vote(url: str) -> bool:
    return bool(VOTE_PAGES.search(url))


def fetch_all(scene: Scene, world) -> Iterator[tuple[str, str, int, str]]:
    """(role, url, status, text) of every page for every role; never a server error."""
    site, in_admin = site_urls(scene, world), admin_urls()
    of_votes = [u for u in in_admin if u.startswith(("/admin/voting/", "/admin/panel/audit"))]
    # The superuser in the whole admin; the Secretariat on the site and the admin of the votes;
    # everyone else on the site (the admin sends them to sign in: a few pages show it).
    pages = {"superuser": in_admin, "secretariat": site + of_votes}
    for role, client in scene.clients.items():
        for url in pages.get(role, site + of_votes[:3]):
            response = client.get(url)
            if response.status_code >= 500:
                # Never on a page of the vote; elsewhere a server error shows nothing to check.
                assert not _of_the_vote(url), (role, url, response.status_code)
                continue
            yield role, url, response.status_code, _text(response)


# -- the test --------------------------------------------------------------------------------------


def test_nobody_sees_a_choice_or_reason_before_the_declaration_and_everyone_after(
    world, scene, caplog, django_capture_on_commit_callbacks
) -> None:
    caplog.set_level(logging.DEBUG)
    ballot = scene.ballot
    public = _public_text(ballot)
    with time_machine.travel(DURING - dt.timedelta(hours=1), tick=False):
        scene.sign_in()
        for role, url, _status, text in fetch_all(scene, world):
            scene.baseline[(role, url)] = text
    audit_before = set(AuditRecord.objects.values_list("pk", flat=True))

    _cast_everything(world, ballot, django_capture_on_commit_callbacks)
    assert Vote.objects.filter(ballot=ballot, superseded_at=None).count() == 6

    checked: Counter[str] = Counter()
    # A page that did not exist before the votes (a vote's own admin page) is compared with the
    # pages of its kind: sealed, they read the same whatever each Group chose.
    new_pages: dict[tuple[str, str], set[tuple[tuple[str, int], ...]]] = defaultdict(set)
    with time_machine.travel(DURING + dt.timedelta(hours=1), tick=False):
        scene.sign_in()
        for role, url, status, text in fetch_all(scene, world):
            own = url.partition("?")[0] in scene.own_pages.get(role, set())
            allowed = scene.own_marks.get(role, set()) if own else set()
            for mark in set(MARKS.values()) - allowed:
                assert mark not in text, (role, url, status)
            if own:
                pass
            elif (role, url) in scene.baseline:
                words = _choice_words(text, public)
                before = _choice_words(scene.baseline[(role, url)], public)
                assert words == before, (role, url, status, words, before)
            else:
                words = _choice_words(text, public)
                new_pages[(role, _kind_of_page(url))].add(tuple(sorted(words.items())))
            checked[role] += status == 200
        for (role, kind), variants in new_pages.items():
            assert len(variants) == 1, (role, kind, variants)
        assert ("secretariat", "/admin/voting/votelogentry/N/change/") in new_pages
        # Each role saw its pages signed in: the Secretariat the admin, a voter its cast page.
        assert checked["superuser"] > 60 and checked["secretariat"] > checked["anonymous"] + 30
        assert checked["same_group_voter"] > checked["anonymous"]
        # While open, the staff see the turnout per category, and nothing else about the votes.
        page = scene.clients["secretariat"].get(f"/changes/{scene.reference}/vote.json").json()
        assert page["declaration"] is None
        supplier = next(t for t in page["turnout"] if t["category"] == "SUPPLIER")
        assert (supplier["groups_voted"], supplier["eligible_groups"]) == (2, 2)
        own = _text(scene.clients["same_group_voter"].get(f"/my/votes/{ballot.pk}/"))
        assert "Lone Supply Ltd" in own and "no vote yet" not in own  # its own vote, shown

    # The audit trail says who cast for which Group, never what or why.
    for record in AuditRecord.objects.exclude(pk__in=audit_before):
        data = json.dumps(record.data)
        assert not CHOICE_WORDS.search(data) and "SEALMARK" not in data, record.action
        assert "SEALMARK" not in record.target_label
    # E-mails: each receipt goes to the voter who cast; no other names a choice or reason.
    sent = [(m.subject, m.body, [*m.to, *m.cc, *m.bcc]) for m in mail.outbox]
    sent += [(m.subject, m.body, [*m.to, *m.bcc]) for m in OutgoingMail.objects.all()]
    receipts = [m for m in sent if "your vote receipt" in m[0]]
    assert len(receipts) == 4
    casters = {world.lone_voter.email, world.big_voter.email, world.dno_voter.email}
    answer_lines = set()
    for _subject, body, to in receipts:
        assert len(to) == 1 and set(to) <= casters
        assert "SEALMARK" not in body
        answer_lines |= {line for line in body.splitlines() if line.startswith("- ")}
    assert answer_lines
    for subject, body, _to in sent:
        if "your vote receipt" not in subject:
            assert "SEALMARK" not in subject + body, subject
            assert not answer_lines & set(body.splitlines()), subject
    # The logs.
    assert "SEALMARK" not in caplog.text

    # The declaration publishes which Groups voted and how (13.4.3).
    with time_machine.travel(AFTER, tick=False), django_capture_on_commit_callbacks(execute=True):
        ballots_close_due()
    ballot.refresh_from_db()
    assert ballot.status == "declared", ballot.tally_error
    anyone = Client()
    published = [
        f"/changes/{scene.reference}/vote/",
        f"/changes/{scene.reference}/vote.json",
        f"/changes/{scene.reference}/vote.csv",
        f"/api/v1/ballots/{ballot.pk}/votes/",
    ]
    for url in published:
        text = _text(anyone.get(url))
        for mark in MARKS.values():
            assert mark in text, url
    log = anyone.get(f"/changes/{scene.reference}/vote/log.json")
    if log.status_code == 200:  # the log download, once published
        assert all(mark in _text(log) for mark in MARKS.values())
    with time_machine.travel(AFTER + dt.timedelta(minutes=5), tick=False):
        scene.sign_in()
        secretariat = scene.clients["secretariat"]
        lone_vote = Vote.objects.get(
            roll_entry=entry(ballot, world.lone), question__kind="variation", superseded_at=None
        )
        page = _text(secretariat.get(f"/admin/voting/vote/{lone_vote.pk}/change/"))
        assert MARKS["lone"] in page and "Accept" in page
        log_page = f"/admin/voting/votelogentry/{lone_vote.log_entry_id}/change/"
        page = _text(secretariat.get(log_page))
        assert MARKS["lone"] in page and "sealed until the declaration" not in page


def test_the_secretariat_cannot_find_or_filter_votes_by_choice_or_reason_in_the_admin(
    world, scene, django_capture_on_commit_callbacks
) -> None:
    _cast_everything(world, scene.ballot, django_capture_on_commit_callbacks)
    with time_machine.travel(DURING + dt.timedelta(hours=1), tick=False):
        scene.sign_in()
        client = scene.clients["secretariat"]
        for model in ("vote", "votelogentry", "auditrecord", "ballot", "rollentry"):
            app = "panel" if model == "auditrecord" else "voting"
            response = client.get(f"/admin/{app}/{model}/", {"q": "SEALMARK-big"})
            assert response.status_code == 200
            assert response.context["cl"].result_count == 0, model
        # A filter in the URL would tell the choice by the count of rows: refused (400).
        for url in (
            "/admin/voting/vote/?choice=reject",
            "/admin/voting/vote/?choice__startswith=rej",
            "/admin/voting/vote/?reason__icontains=SEALMARK",
            "/admin/voting/votelogentry/?payload__reason__icontains=SEALMARK",
            "/admin/voting/votelogentry/?payload__icontains=reject",
            "/admin/voting/rollentry/?votes__choice=reject",
            "/admin/voting/ballot/?votes__reason__icontains=SEALMARK",
        ):
            assert client.get(url).status_code == 400, url
