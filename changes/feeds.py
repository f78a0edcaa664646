"""Public feeds of the Change Register: an Atom feed of status changes and an iCalendar of
open deadlines (RFC 5545, written by hand). Nothing confidential: no documents, no responses."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from . import pages
from .models import Deadline, ProposalEvent
from .states import State


def _proposal_path(event_or_deadline: ProposalEvent | Deadline) -> str:
    return reverse("changes:detail", args=[pages.reference_slug(event_or_deadline.proposal)])


class StatusChangesFeed(Feed):
    """Every move of a proposal on the register (the Secretariat updates it, 11.27, 13.13)."""

    feed_type = Atom1Feed
    title = "DCUSA Change Register: status changes"
    subtitle = "Each step of every Change Proposal in the DCUSA change process."

    def link(self) -> str:
        return reverse("changes:register")

    def items(self) -> Iterable[ProposalEvent]:
        return pages.status_changes()

    def item_title(self, item: ProposalEvent) -> str:
        return f"{item.proposal.reference}: {State(item.to_state).label}"

    def item_description(self, item: ProposalEvent) -> str:
        parts = [f"{item.proposal.title}."]
        if item.from_state:
            parts.append(
                f"From '{State(item.from_state).label}' to '{State(item.to_state).label}'."
            )
        if item.reason:
            parts.append(f"Reasons: {item.reason}")
        return " ".join(parts)

    def item_link(self, item: ProposalEvent) -> str:
        return f"{_proposal_path(item)}#event-{item.pk}"

    def item_guid(self, item: ProposalEvent) -> str:
        return f"tag:dcusa,{item.on:%Y-%m-%d}:change-event-{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: ProposalEvent) -> dt.datetime:
        return item.at

    def item_updateddate(self, item: ProposalEvent) -> dt.datetime:
        return item.at


# -- iCalendar (RFC 5545) --------------------------------------------------------------------


def ical_escape(text: str) -> str:
    """TEXT values: backslash, semicolon, comma and newlines are escaped (3.3.11)."""
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def ical_fold(line: str) -> str:
    """Lines longer than 75 octets are folded with CRLF and a space (3.1), never inside a
    UTF-8 character."""
    out: list[str] = []
    current, size, limit = "", 0, 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            out.append(current)
            current, size, limit = " ", 1, 75
        current += char
        size += width
    out.append(current)
    return "\r\n".join(out)


def deadlines_calendar(deadlines: Iterable[Deadline], *, base_url: str, now: dt.datetime) -> str:
    stamp = now.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//DCUSA//Change Register deadlines//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:DCUSA change process deadlines",
    ]
    for d in deadlines:
        start, end = pages.deadline_date_range(d)
        lines += [
            "BEGIN:VEVENT",
            f"UID:deadline-{d.pk}@dcusa",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{start:%Y%m%d}",
            f"DTEND;VALUE=DATE:{end:%Y%m%d}",
            "SUMMARY:" + ical_escape(f"{d.proposal.reference}: {d.what}"),
            "DESCRIPTION:"
            + ical_escape(f"{d.proposal.title}. Due on {d.due_on:%d %B %Y} under Clause {d.rule}."),
            f"URL:{base_url}{_proposal_path(d)}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(ical_fold(line) + "\r\n" for line in lines)


def deadlines_ics(request: HttpRequest) -> HttpResponse:
    body = deadlines_calendar(
        pages.public_open_deadlines(),
        base_url=request.build_absolute_uri("/").rstrip("/"),
        now=timezone.now(),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="dcusa-deadlines.ics"'
    return response
