import pytest

from panel.models import Category, Role

from .factories import PartyFactory, UserFactory, representative


def _user(username: str, role: str):
    """A fixture: the user `username` holding `role`."""

    @pytest.fixture
    def user(db):
        return UserFactory(username=username, role=role)

    return user


def _party(name: str, short_code: str, category: str):
    """A fixture: the Party `name` in `category`."""

    @pytest.fixture
    def party(db):
        return PartyFactory(name=name, short_code=short_code, category=category)

    return party


def _representative_of(party_fixture: str):
    """A fixture: a representative of the Party the fixture `party_fixture` gives."""

    @pytest.fixture
    def rep(request):
        return representative(request.getfixturevalue(party_fixture))

    return rep


secretariat = _user("sec", Role.SECRETARIAT)
authority = _user("ofgem", Role.AUTHORITY)
consumer = _user("consumer", Role.CONSUMER_BODY)
public = _user("public", Role.PUBLIC)

party = _party("Brightwater Energy", "BRIT", Category.SUPPLIER)
dno = _party("Albion Power Networks", "ALBN", Category.DNO)
other_party = _party("Octant Energy", "OCTE", Category.SUPPLIER)

rep = _representative_of("party")
other_rep = _representative_of("other_party")
dno_rep = _representative_of("dno")
