"""The day the register's tests stand on: Monday 2 March 2026, at noon."""

import datetime as dt

import pytest
import time_machine

NOON_2_MARCH_2026 = dt.datetime(2026, 3, 2, 12, 0)


def frozen_at(moment: dt.datetime = NOON_2_MARCH_2026):
    """A module's autouse fixture: each of its tests runs with the clock stopped at `moment`."""

    @pytest.fixture(autouse=True)
    def _today():
        with time_machine.travel(moment, tick=False):
            yield

    return _today
