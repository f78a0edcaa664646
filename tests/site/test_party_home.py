""" "For my Parties" (/my/): per Party a representative represents, its open votes, consultations,
proposals, appeal and adoption windows and notices; where sign-in lands; the navigation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from changes.models import Consultation, ConsultationResponse
from changes.states import State
from panel.models import Category, PartyRepresentative, Role
from panel.models.records import OutgoingMail
from tests.changes.factories import PartyFactory, UserFactory, proposal_in, representative
from tests.dashboard.factories import cast, open_ballot
from tests.factories import login_verified

pytestmark = pytest.mark.django_db


def _consultation(p, title: str, *, closes_in: int = 10) -> Consultation:
    today = timezone.localdate()
    return Consultation.objects.create(
        proposal=p,
        title=title,
        opens_on=today - dt.timedelta(days=2),
        closes_on=today + dt.timedelta(days=closes_in),
    )


def _mail(subject: str, *to: str) -> OutgoingMail:
    return OutgoingMail.objects.create(template="test", subject=subject, body="", to=list(to))


@pytest.fixture
def world(db):
    """Brightwater and Octant (Suppliers), both represented by Sam; Albion (a DNO) by another."""
    brit = PartyFactory(name="Brightwater Energy", short_code="BRIT", category=Category.SUPPLIER)
    octe = PartyFactory(name="Octant Energy", short_code="OCTE", category=Category.SUPPLIER)
    albn = PartyFactory(name="Albion Power", short_code="ALBN", category=Category.DNO)
    sam = representative(brit, "sam")
    PartyRepresentative.objects.create(user=sam, party=octe)
    other = representative(albn, "alba")
    return {"brit": brit, "octe": octe, "albn": albn, "sam": sam, "other": other}


def test_each_party_shows_its_consultations_proposals_and_windows(client, world):
    brit, octe, albn, sam = world["brit"], world["octe"], world["albn"], world["sam"]
    raised = proposal_in(
        State.DEFINITION, raised_by=sam, party=brit, due_on=dt.date(2027, 5, 20), title="Raised"
    )
    consult = _consultation(raised, "First consultation")
    ConsultationResponse.objects.create(
        consultation=consult, party=brit, respondent_name="Brightwater", status="draft"
    )
    ConsultationResponse.objects.create(
        consultation=consult,
        party=octe,
        respondent_name="Octant",
        status="submitted",
        submitted_on=timezone.localdate(),
    )
    window = proposal_in(
        State.ACCEPTED_APPEAL_WINDOW,
        raised_by=world["other"],
        party=albn,
        due_on=dt.date(2027, 3, 15),
        impacted_categories=["SUPPLIER"],
        title="Appealable",
    )
    dno_only = proposal_in(
        State.REJECTED_APPEAL_WINDOW,
        raised_by=world["other"],
        party=albn,
        impacted_categories=["DNO"],
        title="Only DNOs",
    )
    withdrawn_by_brit = proposal_in(
        State.WITHDRAWN, raised_by=sam, party=brit, due_on=dt.date(2027, 3, 12), title="Mine"
    )

    client.force_login(sam)
    response = client.get("/my/")
    assert response.status_code == 200
    homes = {h.party.short_code: h for h in response.context["home"].parties}
    assert list(homes) == ["BRIT", "OCTE"]

    # Its response status, per Party: draft, submitted.
    assert [(c.title, c.response) for c in homes["BRIT"].consultations] == [
        ("First consultation", "draft")
    ]
    assert homes["OCTE"].consultations[0].response == "submitted"
    body = response.content.decode()
    assert "Draft saved, not yet submitted" in body and "Submitted" in body
    assert f"/my/consultations/{consult.pk}/" in body

    # The proposals it raised with their next step and deadline; not the other Party's.
    assert [(p.reference, p.due_on) for p in homes["BRIT"].raised] == [
        (raised.reference, dt.date(2027, 5, 20)),
        (withdrawn_by_brit.reference, dt.date(2027, 3, 12)),
    ]
    assert homes["OCTE"].raised == []

    # Appeal windows on outcomes that concern it (its category named), with the window's end.
    assert [(p.reference, p.due_on) for p in homes["BRIT"].appeals] == [
        (window.reference, dt.date(2027, 3, 15))
    ]
    assert dno_only.reference not in body
    assert f"/changes/DCP-{window.number}/appeal/" in body

    # A withdrawn proposal: the other Party may adopt it, the withdrawing Party not (11.31).
    assert homes["BRIT"].adoptions == []
    assert [(p.reference, p.due_on) for p in homes["OCTE"].adoptions] == [
        (withdrawn_by_brit.reference, dt.date(2027, 3, 12))
    ]
    assert f"/changes/DCP-{withdrawn_by_brit.number}/adoption/" in body


def test_open_votes_of_its_groups_with_closing_time_and_whether_it_voted(client):
    ballot, voters = open_ballot("DCP 901", suppliers=2)
    cast(ballot, voters[0], "accept")
    login_verified(client, voters[0])  # an authorised voter signs in with a second factor
    home = client.get("/my/").context["home"]
    assert [(v.reference, v.voted, v.closes_at) for v in home.parties[0].votes] == [
        ("DCP 901", True, ballot.closes_at)
    ]
    login_verified(client, voters[1])
    response = client.get("/my/")
    assert response.context["home"].parties[0].votes[0].voted is False
    body = response.content.decode()
    assert "Not voted yet" in body and f"/my/votes/{ballot.pk}/" in body
    # Whether a Group voted is its own business: the other Group's vote is not on this page.
    assert "Voted</span>" not in body


def test_notices_sent_to_the_party_or_to_the_user_and_no_one_elses(client, world):
    sam = world["sam"]
    _mail("DCP 7 accepted into the Assessment Process", "notices@brit.test")
    _mail("Your vote was recorded", sam.email)
    _mail("Albion: DCP 8 withdrawn", "notices@albn.test")
    client.force_login(sam)
    response = client.get("/my/")
    home = response.context["home"]
    by_code = {h.party.short_code: h for h in home.parties}
    assert [n.subject for n in by_code["BRIT"].notices] == [
        "DCP 7 accepted into the Assessment Process"
    ]
    assert by_code["OCTE"].notices == []
    assert [n.subject for n in home.my_notices] == ["Your vote was recorded"]
    assert "Albion: DCP 8 withdrawn" not in response.content.decode()


def _queries(client, user) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/my/").status_code == 200
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_parties_or_proposals(client, world):
    sam, brit = world["sam"], world["brit"]
    p = proposal_in(State.DEFINITION, raised_by=sam, party=brit)
    _consultation(p, "One")
    proposal_in(State.WITHDRAWN, raised_by=world["other"], party=world["albn"])
    _mail("One", "notices@brit.test")
    few = _queries(client, sam)
    assert few <= 11  # session, user, navigation, then one query per kind of item
    for i in range(3):
        party = PartyFactory(short_code=f"X{i}")
        PartyRepresentative.objects.create(user=sam, party=party)
        q = proposal_in(State.DEFINITION, raised_by=sam, party=party)
        _consultation(q, f"More {i}")
        proposal_in(State.ACCEPTED_APPEAL_WINDOW, raised_by=sam, party=party)
        proposal_in(State.WITHDRAWN, raised_by=world["other"], party=world["albn"])
        _mail(f"More {i}", f"notices@x{i}.test")
    assert _queries(client, sam) == few


def test_only_signed_in_users_and_a_plain_page_for_those_who_represent_no_party(client):
    assert client.get("/my/")["Location"].startswith("/accounts/login/")
    client.force_login(UserFactory(username="pat", role=Role.PUBLIC))
    response = client.get("/my/")
    assert response.status_code == 200
    assert "You do not represent a Party" in response.content.decode()


def test_a_party_representative_lands_on_for_my_parties_after_sign_in(client, world):
    sam = world["sam"]
    sam.set_password("a long enough password 1")
    sam.save()
    response = client.post(
        "/accounts/login/", {"username": "sam", "password": "a long enough password 1"}
    )
    assert response.status_code == 302
    assert client.get(response["Location"])["Location"] == "/my/"
    # The home page stays the public one, with a link to "For my Parties".
    body = client.get("/").content.decode()
    assert 'href="/my/"' in body and "DCUSA change process" in body


def test_others_land_on_the_home_page_after_sign_in(client):
    user = UserFactory(username="pat", role=Role.PUBLIC)
    user.set_password("a long enough password 1")
    user.save()
    response = client.post(
        "/accounts/login/", {"username": "pat", "password": "a long enough password 1"}
    )
    assert client.get(response["Location"])["Location"] == "/"
    body = client.get("/").content.decode()
    assert "For my Parties" not in body


def test_navigation_per_role_marks_the_current_page(client, world):
    client.force_login(world["sam"])
    body = client.get("/my/").content.decode()
    assert '<a href="/my/" aria-current="page">For my Parties</a>' in body
    assert '<a href="/my/consultations/">My consultations</a>' in body
    assert "Awaiting the Authority" not in body
    client.force_login(UserFactory(username="ofgem", role=Role.AUTHORITY))
    body = client.get("/changes/").content.decode()
    assert '<a href="/changes/awaiting-authority/">Awaiting the Authority</a>' in body
    assert '<a href="/changes/" aria-current="page">Change Register</a>' in body
    assert "For my Parties" not in body and "My consultations" not in body
    client.force_login(UserFactory(username="consumer", role=Role.CONSUMER_BODY))
    body = client.get("/").content.decode()
    assert "My consultations" in body and "For my Parties" not in body


def test_an_authorised_voter_lands_there_after_the_second_factor(client, world):
    sam = world["sam"]
    sam.set_password("a long enough password 1")
    sam.save()
    PartyRepresentative.objects.filter(user=sam).update(
        authorised_voter=True, confirmed_at=timezone.now()
    )
    device = TOTPDevice.objects.create(user=sam, name="phone", confirmed=True)
    response = client.post(
        "/accounts/login/", {"username": "sam", "password": "a long enough password 1"}, follow=True
    )
    assert response.redirect_chain[-1][0].startswith("/accounts/two-factor/")
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    response = client.post(
        response.redirect_chain[-1][0], {"token": f"{totp.token():06d}"}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/my/"
    assert response.context["home"].parties
