"""The people who use the product and their roles (Schedule 14 password pages)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models


class Role(models.TextChoices):
    SECRETARIAT = "SECRETARIAT", "Secretariat"
    PANEL_MEMBER = "PANEL_MEMBER", "Panel member"
    PANEL_ALTERNATE = "PANEL_ALTERNATE", "Panel Alternate"
    AUTHORITY = "AUTHORITY", "Authority"
    CONSUMER_BODY = "CONSUMER_BODY", "Consumer Body"
    OTHER_BODY = "OTHER_BODY", "Other body (transmission operator, code body)"
    PARTY_REPRESENTATIVE = "PARTY_REPRESENTATIVE", "Party representative"
    PUBLIC = "PUBLIC", "Public account"


class User(AbstractUser):
    """A person with a web account (Schedule 14 password pages), in one role."""

    role = models.CharField(max_length=32, choices=Role.choices, default=Role.PUBLIC)
    organisation = models.CharField(max_length=200, blank=True)

    @property
    def is_secretariat(self) -> bool:
        return self.role == Role.SECRETARIAT or self.is_superuser

    @property
    def is_authority(self) -> bool:
        return self.role == Role.AUTHORITY

    @property
    def is_panel(self) -> bool:
        return self.role in (Role.PANEL_MEMBER, Role.PANEL_ALTERNATE)

    @property
    def sees_all_metering_data(self) -> bool:
        """N is commercially sensitive: only the Secretariat and the Authority see every Party's."""
        return self.is_secretariat or self.is_authority

    def represented_party_ids(self) -> set[int]:
        return set(self.party_links.values_list("party_id", flat=True))

    @property
    def is_authorised_voter(self) -> bool:
        return self.party_links.filter(authorised_voter=True, confirmed_at__isnull=False).exists()

    @property
    def requires_second_factor(self) -> bool:
        """TOTP is required for the Secretariat and for Parties' authorised voters."""
        return self.is_secretariat or self.is_authorised_voter
