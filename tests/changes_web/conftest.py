import datetime as dt

import pytest
from django.core.files.base import ContentFile

from changes.models import ChangeDocument
from changes.states import State
from tests.changes.conftest import authority, party, public, rep, secretariat
from tests.changes.factories import proposal, proposal_in
from tests.factories import login_verified

TODAY = dt.date(2027, 3, 1)


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


# The people and Parties of tests/changes serve these pages' tests too.
__all__ = [
    "State",
    "TODAY",
    "authority",
    "document",
    "party",
    "proposal",
    "proposal_in",
    "public",
    "rep",
    "secretariat",
]
