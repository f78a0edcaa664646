"""The Secretariat's admin of the change process, by concept (see `base` for what it allows)."""

from . import decisions as decisions
from . import groups as groups
from . import proposals as proposals
