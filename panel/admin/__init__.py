"""The Secretariat's admin of the panel app, one module per concept.

Register tables (parties, register, metering, suspensions, users) keep their forms, and every
save goes through the register's services; process records (seats, meetings, resolutions, sig)
are read-only windows whose actions open the Panel's pages.
"""

from . import meetings, metering, parties, register, resolutions, seats, sig, suspensions, users
from .notice_bodies import NoticeBodyAdmin as NoticeBodyAdmin

__all__ = [
    "meetings",
    "metering",
    "parties",
    "register",
    "resolutions",
    "seats",
    "sig",
    "suspensions",
    "users",
]
