"""What is coming up: Panel meetings not yet held (Clause 5) and Panel elections (6.2-6.7)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count

from panel.models import PanelMeeting
from voting.selectors import ElectionSummary, dashboard_elections

UPCOMING_ITEMS = 6


@dataclass(frozen=True)
class Upcoming:
    kind: str
    title: str
    on: dt.date
    detail: str
    url: str


def upcoming(today: dt.date, limit: int = UPCOMING_ITEMS) -> list[Upcoming]:
    """Panel meetings convened and not yet held, soonest first (one query)."""
    meetings = (
        PanelMeeting.objects.filter(
            meeting_date__gte=today,
            status__in=[PanelMeeting.Status.SCHEDULED, PanelMeeting.Status.NOTICE_GIVEN],
        )
        .annotate(n_papers=Count("papers", distinct=True), n_items=Count("agenda", distinct=True))
        .order_by("meeting_date", "starts_at")[:limit]
    )
    return [
        Upcoming(
            "Panel meeting",
            m.reference,
            m.meeting_date,
            f"{m.starts_at:%H:%M}, {m.venue}; {m.n_items} agenda item{'s' * (m.n_items != 1)}, "
            f"{m.n_papers} paper{'s' * (m.n_papers != 1)}",
            f"/panel/meetings/{m.pk}/",
        )
        for m in meetings
    ]


def elections(today: dt.date) -> list[ElectionSummary]:
    """Panel elections under way or published lately, as `voting.selectors` lists them."""
    return dashboard_elections(today=today)
