"""Casting with a token (a Party's own system), answered before the rest of the request stack.

`TokenCastMiddleware` sits right after Django's SecurityMiddleware. For a plainly well-formed
`POST /api/v1/ballots/<id>/votes/` with `Authorization: Token <key>` and no session cookie, it
answers with two database round trips: one query for every fact the rules read
(`voting.cast_facts.facts_for_token`) and one call that appends the cast under the ballot's lock
(`voting.services.casting.append_cast`). The rules, the refusals and the answer are the service's
and the same as the framework view's (`voting.api.BallotViewSet.votes`, which also documents the
route in the OpenAPI schema); tests run every API case both ways.

Everything else goes on down the stack unchanged: GET, a session, a malformed body, an unknown
token, ballot or Group (the framework's view answers those with its own messages), and every
request on a database other than PostgreSQL (the facts query is a PostgreSQL function). What the
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

from .cast_facts import facts_for_token
from .services.casting import MAX_REASON, CastResult, append_cast, check_cast

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
    if not isinstance(question, int) or isinstance(question, bool):
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
    found = facts_for_token(
        ballot_id=int(path.group(1)), group=group, token=auth[1], question_ids=[question]
    )
    if found.facts is None:
        return None
    now = timezone.now()
    try:
        cleaned, reason = check_cast(found.facts, {question: choice}, reason, now)
        result = append_cast(found.facts, cleaned, reason, now)
    except DomainError as exc:
        answer = JsonResponse(
            {"detail": exc.message, "field": exc.field, "rule": exc.rule}, status=exc.http_status
        )
    else:
        answer = JsonResponse(cast_answer(found.facts.group_name, result), status=201)
    # As CommonMiddleware would (it is further down the stack): a length, so keep-alive works.
    answer["Content-Length"] = str(len(answer.content))
    return answer


class TokenCastMiddleware:
    """Answers token casts (see the module's docstring); passes every other request on."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return answer_token_cast(request) or self.get_response(request)
