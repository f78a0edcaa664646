import pytest

from panel.models import Category, Role

from .factories import PartyFactory, UserFactory, representative


@pytest.fixture
def secretariat(db):
    return UserFactory(username="sec", role=Role.SECRETARIAT)


@pytest.fixture
def authority(db):
    return UserFactory(username="ofgem", role=Role.AUTHORITY)


@pytest.fixture
def consumer(db):
    return UserFactory(username="consumer", role=Role.CONSUMER_BODY)


@pytest.fixture
def public(db):
    return UserFactory(username="public", role=Role.PUBLIC)


@pytest.fixture
def party(db):
    return PartyFactory(name="Brightwater Energy", short_code="BRIT", category=Category.SUPPLIER)


@pytest.fixture
def dno(db):
    return PartyFactory(name="Albion Power Networks", short_code="ALBN", category=Category.DNO)


@pytest.fixture
def other_party(db):
    return PartyFactory(name="Octant Energy", short_code="OCTE", category=Category.SUPPLIER)


@pytest.fixture
def rep(party):
    return representative(party)


@pytest.fixture
def other_rep(other_party):
    return representative(other_party)


@pytest.fixture
def dno_rep(dno):
    return representative(dno)
