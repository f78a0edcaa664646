from __future__ import annotations

import pytest

from tests.factories import make_secretariat

from .factories import Panel, full_panel


@pytest.fixture
def secretariat():
    return make_secretariat()


@pytest.fixture
def panel(db) -> Panel:
    return full_panel()
