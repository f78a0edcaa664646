"""Casting with a token (a Party's own system), answered before the rest of the request stack.

`TokenCastMiddleware` sits right after Django's SecurityMiddleware. For a plainly well-formed
`POST /api/v1/ballots/<id>/votes/` with `Authorization: Token <key>` and no session cookie, it
answers with one database round trip (`voting.services.token_casting.cast_with_token`: the facts
the rules read and, when every rule is met, the append under the ballot's lock, in one statement).
A refusal is worded by the service's `check_cast` from the facts that call returns. The rules, the
refusals and the answer are the service's and the same as the framework view's
(`voting.api.BallotViewSet.votes`, which also documents the route in the OpenAPI schema); tests
run every API case both ways.

Everything else goes on down the stack unchanged: GET, a session, a malformed body, an unknown
token, ballot or Group (the framework's view answers those with its own messages), and every
request on a database other than PostgreSQL (the cast is a PostgreSQL function). What the
skipped middleware would do does not apply to such a request: no session, cookie, CSRF (token
authentication is not CSRF-exposed), form, message, static file or login form is involved.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone

from panel.errors import DomainError

from .services.casting import MAX_REASON, CastResult, append_cast, check_cast
from .services.token_casting import cast_with_token

# Off only in tests, to show that the framework's view answers token casts the same way.
TOKEN_FAST_PATH = True

CAST_PATH = re.compile(r"/api/v1/ballots/(\d{1,18})/votes/")
_CAST_KEYS = frozenset({"group", "question", "choice", "reason"})


def cast_answer(group_name: str, result: CastResult) -> dict[str, object]:
    """The body of a 201 answer to a cast (voting.serializers.CastResultSerializer)."""
    question, choice = result.answers[0]
    return {
        "receipt": result.receipt,
        "sequence": result.sequence,
        "changed": result.changed,
        "group": group_name,
        "question": question,
        "choice": choice,
    }


def _plain_cast_body(raw: bytes) -> tuple[str, int, str, str] | None:
    """(group, question, choice, reason) when the body is plainly well formed, else None (and the
    framework's view answers, with CastSerializer's messages)."""
    try:
        body = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(body, dict) or not body.keys() <= _CAST_KEYS:
        return None
    group, question, choice = body.get("group"), body.get("question"), body.get("choice")
    reason = body.get("reason", "")
    if isinstance(group, int) and not isinstance(group, bool):
        group = str(group)
    if not (isinstance(group, str) and isinstance(choice, str) and isinstance(reason, str)):
        return None
    if not isinstance(question, int) or isinstance(question, bool) or not 0 < question < 2**63:
        return None
    group, choice = group.strip(), choice.strip()
    if not group or not choice or len(reason) > MAX_REASON or "\x00" in group + choice + reason:
        return None
    return group, question, choice, reason


def answer_token_cast(request: HttpRequest) -> HttpResponse | None:
    """The answer to a token cast, or None when the rest of the stack should answer it."""
    if not TOKEN_FAST_PATH or request.method != "POST" or connection.vendor != "postgresql":
        return None
    path = CAST_PATH.fullmatch(request.path_info)
    auth = request.META.get("HTTP_AUTHORIZATION", "").split()
    if (
        path is None
        or len(auth) != 2
        or auth[0].lower() != "token"
        or settings.SESSION_COOKIE_NAME in request.COOKIES
    ):
        return None
    body = _plain_cast_body(request.body)
    if body is None:
        return None
    group, question, choice, reason = body
    now = timezone.now()
    try:
        outcome = cast_with_token(
            ballot_id=int(path.group(1)),
            group=group,
            token=auth[1],
            question=question,
            choice=choice,
            reason=reason,
            now=now,
        )
        if outcome.result is not None:
            answer = JsonResponse(cast_answer(outcome.group_name, outcome.result), status=201)
        elif outcome.facts is None:
            return None  # no such ballot, token or Group: the framework's view answers
        else:  # a rule is not met: worded here, by the service's own checks
            facts = outcome.facts
            cleaned, reason = check_cast(facts, {question: choice}, reason, now)
            result = append_cast(facts, cleaned, reason, now)
            answer = JsonResponse(cast_answer(facts.group_name, result), status=201)
    except DomainError as exc:
        answer = JsonResponse(
            {"detail": exc.message, "field": exc.field, "rule": exc.rule}, status=exc.http_status
        )
    # As CommonMiddleware would (it is further down the stack): a length, so keep-alive works.
    answer["Content-Length"] = str(len(answer.content))
    return answer


class TokenCastMiddleware:
    """Answers token casts (see the module's docstring); passes every other request on."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return answer_token_cast(request) or self.get_response(request)
