"""Calls into the changes app, which moves the Change Proposal through its states."""

from __future__ import annotations

import importlib
import logging
from typing import Any

logger = logging.getLogger(__name__)


def call_changes(name: str, **kwargs: Any) -> Any:
    """Call `changes.services.<name>` if the changes app offers it (it always should)."""
    try:
        module = importlib.import_module("changes.services")
    except ImportError:
        logger.warning("changes.services is missing: %s not called", name)
        return None
    service = getattr(module, name, None)
    if service is None:
        logger.warning("changes.services.%s is missing: not called", name)
        return None
    return service(**kwargs)
