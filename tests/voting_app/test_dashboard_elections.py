"""The elections selector the dashboard reads: which elections it lists and their windows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from voting.models import Ballot, BallotKind, Election, ElectionRound, ElectionStatus
from voting.selectors import ElectionSummary, dashboard_elections

TODAY = dt.date(2026, 11, 20)


def _election(category: str, status: str = ElectionStatus.NOMINATIONS, **kw: object) -> Election:
    fields: dict[str, object] = {
        "year": 2026,
        "category": category,
        "role": "MEMBER",
        "seat_numbers": [1],
        "vacancy_date": dt.date(2026, 12, 1),
        "nominations_close": dt.date(2026, 10, 6),
        "candidates_notice_by": dt.date(2026, 10, 20),
        "planned_voting_closes": dt.date(2026, 11, 3),
        "status": status,
    }
    fields.update(kw)
    return Election.objects.create(**fields)


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


@pytest.mark.django_db
def test_lists_unpublished_and_recently_published_elections_with_their_windows(
    django_assert_max_num_queries,
):
    planned = _election("DNO")
    voting = _election("SUPPLIER", ElectionStatus.VOTING)
    ballot = Ballot.objects.create(
        kind=BallotKind.ELECTION,
        reference="PE 2026 SUPPLIER member",
        title="Supplier Panel Member election",
        roll_date=dt.date(2026, 10, 19),
        opens_at=_at(dt.date(2026, 10, 19), 9),
        closes_at=_at(dt.date(2026, 11, 2), 17),
    )
    ElectionRound.objects.create(election=voting, number=1, ballot=ballot)
    recent = _election(
        "CVA", ElectionStatus.PUBLISHED, published_at=_at(TODAY - dt.timedelta(days=5), 10)
    )
    _election(
        "IDNO_OTSO", ElectionStatus.PUBLISHED, published_at=_at(TODAY - dt.timedelta(days=60), 10)
    )

    with django_assert_max_num_queries(2):
        found = dashboard_elections(today=TODAY)

    # Soonest window first; the same day by title (CVA before DNO); the old result is gone.
    assert [e.title for e in found] == [str(voting), str(recent), str(planned)]
    by_title = {e.title: e for e in found}
    assert by_title[str(planned)] == ElectionSummary(
        title=str(planned),
        status_label="Nominations open (6.2.1)",
        opens_at=dt.date(2026, 10, 20),
        closes_at=dt.date(2026, 11, 3),
        url=f"/elections/{planned.pk}/",
    )
    assert by_title[str(voting)].opens_at == dt.date(2026, 10, 19)
    assert by_title[str(voting)].closes_at == dt.date(2026, 11, 2)
    assert by_title[str(voting)].status_label == "Voting (6.2.4-6.2.6)"
    assert by_title[str(recent)].status_label == "Result published (6.2.7)"


@pytest.mark.django_db
def test_no_elections_gives_an_empty_list():
    assert dashboard_elections(today=TODAY) == []
