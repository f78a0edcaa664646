"""Demo data for the change process: about 30 proposals in every state, walked through the real
services (so events, deadlines and audit records are genuine). Idempotent: a proposal whose
title exists is left alone. Works on an empty database (creates what it needs).

`titles` (what is seeded), `people` (who acts), `walk` (the steps, each a service call),
`paths` (the steps to each state), `seed` (drafting and walking each proposal).
"""

from .seed import seed_changes as seed_changes
from .titles import TITLES as TITLES
