"""A letter uploaded on one of the Authority's forms, held between the form and its confirmation
page: stored under a random name, named by a signed token bound to the user, good for a day."""

from __future__ import annotations

import posixpath
import uuid
from typing import Any

from django.core import signing
from django.core.files import File
from django.core.files.storage import default_storage
from django.utils.text import get_valid_filename

from .. import services

PENDING = "authority-letters-pending/"
SALT = "changes.authority.letter"
HELD_FOR = 60 * 60 * 24  # a held letter is good for a day


def hold(upload: Any, user_pk: int) -> str:
    name = default_storage.save(
        f"{PENDING}{uuid.uuid4().hex}/{get_valid_filename(upload.name) or 'letter'}", upload
    )
    return signing.dumps({"name": name, "user": user_pk}, salt=SALT)


def held(token: str, user_pk: int) -> str | None:
    """The stored name of the letter `token` holds for this user, if still there."""
    try:
        held = signing.loads(token, salt=SALT, max_age=HELD_FOR)
    except signing.BadSignature:
        return None
    name = held.get("name", "") if isinstance(held, dict) else ""
    if held.get("user") != user_pk or not name.startswith(PENDING):
        return None
    return name if default_storage.exists(name) else None


def letter(name: str, cleaned: dict[str, Any]) -> services.Upload:
    base = posixpath.basename(name)
    return services.Upload(
        title=cleaned.get("document_title") or base,
        file=File(default_storage.open(name), name=base),
        confidential=bool(cleaned.get("document_confidential")),
    )
