"""Domain errors: messages in the agreement's words, mapped to 400/403/409 at the edges."""

from __future__ import annotations


class DomainError(Exception):
    http_status = 400

    def __init__(self, message: str, *, field: str | None = None, rule: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.rule = rule


class NotAllowed(DomainError):
    """The user may not do this (checked on the server for every object)."""

    http_status = 403


class Conflict(DomainError):
    """The thing was already done (once-only actions) or the state has moved on."""

    http_status = 409
