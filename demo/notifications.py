"""Demo notifications: the active codes announced to groups and clients, by e-mail and pop-up."""
from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy.ext.asyncio import AsyncSession

from demo.world import ACTOR, DemoWorld
from domain.notification_store import notify
from domain.notifications import NotificationChannel, Targets

EMAIL, POPUP = NotificationChannel.EMAIL, NotificationChannel.POPUP

# code, groups, clients (externalIds), channels
ANNOUNCEMENTS = (
    ("WELCOME10", ("New sign-ups",), (), (EMAIL, POPUP)),
    ("SUMMER25", ("VIP traders", "Europe desk"), ("C-1002",), (EMAIL,)),
    ("USD50OFF", (), ("C-1004", "C-1009"), (POPUP,)),
    ("YEN3000", ("Asia desk",), (), (EMAIL, POPUP)),
)


async def seed_notifications(session: AsyncSession, world: DemoWorld) -> None:
    @asynccontextmanager
    async def same_transaction() -> AsyncIterator[AsyncSession]:
        yield session  # the whole demo is one transaction

    async def no_gate(_session: AsyncSession) -> None:
        return None  # the module was installed by an earlier step

    for code, groups, clients, channels in ANNOUNCEMENTS:
        targets = Targets(
            client_ids=[world.clients[c].id for c in clients],
            group_ids=[world.groups[g].id for g in groups],
        )
        await notify(same_transaction, no_gate, world.promo_codes[code].id, targets, channels, ACTOR, world.now)
