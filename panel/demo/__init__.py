"""A realistic, fictional industry for the demo: the register (Parties in every category,
Groups, N data, users) and the Panel. Idempotent: rows are looked up by natural keys first."""

from .panel import seed_panel
from .register import DEMO_PASSWORD, DEMO_TOTP_KEYS, DemoLogin, seed_register

__all__ = ["DEMO_PASSWORD", "DEMO_TOTP_KEYS", "DemoLogin", "seed_panel", "seed_register"]
