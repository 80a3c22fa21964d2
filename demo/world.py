"""What the demo steps have made so far, so that a later step can refer to it."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from models import Client, ClientGroup, PromoCode, PropChallenge

ACTOR = "admin@demo"


@dataclass
class DemoWorld:
    now: datetime
    clients: dict[str, Client] = field(default_factory=dict)  # by externalId
    groups: dict[str, ClientGroup] = field(default_factory=dict)  # by name
    challenges: dict[str, PropChallenge] = field(default_factory=dict)  # by name
    promo_codes: dict[str, PromoCode] = field(default_factory=dict)  # by code, deleted ones included

    def days(self, n: float) -> datetime:
        """``now`` shifted by ``n`` days (negative: in the past)."""
        return self.now + timedelta(days=n)

    def summary(self) -> str:
        return (
            f"{len(self.clients)} clients, {len(self.groups)} groups, {len(self.challenges)} challenges, "
            f"{len(self.promo_codes)} promo codes"
        )
