"""The Panel's services, kept importable here for pages not yet reading `panel.services`."""

from .services import *  # noqa: F403
from .services import __all__ as __all__
from .services.resolutions import _HANDLERS as _HANDLERS
