import datetime as dt

import pytest
from django.core.files.base import ContentFile

from changes.models import ChangeDocument
from changes.states import State
from panel.models import Category, Role
from tests.changes.factories import PartyFactory, UserFactory, proposal, proposal_in, representative
from tests.factories import login_verified

TODAY = dt.date(2027, 3, 1)


@pytest.fixture
def secretariat(db):
    return UserFactory(username="sec", role=Role.SECRETARIAT)


@pytest.fixture
def authority(db):
    return UserFactory(username="ofgem", role=Role.AUTHORITY)


@pytest.fixture
def public(db):
    return UserFactory(username="public", role=Role.PUBLIC)


@pytest.fixture
def party(db):
    return PartyFactory(name="Brightwater Energy", short_code="BRIT", category=Category.SUPPLIER)


@pytest.fixture
def rep(party):
    return representative(party)


@pytest.fixture
def sec_client(client, secretariat):
    return login_verified(client, secretariat)


@pytest.fixture
def rep_client(client, rep):
    client.force_login(rep)
    return client


def document(p, title, *, confidential=False):
    return ChangeDocument.objects.create(
        proposal=p,
        title=title,
        file=ContentFile(b"paper", name=f"{title}.txt"),
        confidential=confidential,
    )


__all__ = ["State", "TODAY", "document", "proposal", "proposal_in"]
