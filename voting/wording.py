"""How the voting system writes a moment in its messages and e-mails (UK time)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def when(moment: dt.datetime) -> str:
    """'17:00 on 3 March 2027' in UK time."""
    local = timezone.localtime(moment)
    return f"{local:%H:%M} on {local.day} {local:%B %Y}"
