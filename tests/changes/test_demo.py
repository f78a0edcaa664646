import pytest

from changes.demo import TITLES, seed_changes
from changes.models import ChangeProposal


@pytest.mark.django_db
def test_demo_seeds_every_state_and_is_idempotent():
    assert seed_changes() == len(TITLES)
    assert seed_changes() == 0
    states = {state for _, state, _ in TITLES}
    assert set(ChangeProposal.objects.values_list("status", flat=True)) == {s.value for s in states}
    for title, state, _ in TITLES:
        assert ChangeProposal.objects.get(title=title).status == state, title
