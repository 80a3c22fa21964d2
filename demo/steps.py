"""The demo, step by step, in one transaction: all of it is made or none.

To add demo data of a new kind, write ``async def step(session, world)`` beside
the feature and list it below, after the steps whose data it uses (``world``
holds what they made).
"""
from __future__ import annotations

import enum
from collections.abc import Awaitable, Callable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from database import Database
from demo.checkout import seed_coupons, seed_purchases
from demo.notifications import seed_notifications
from demo.promo_codes import install_promo_module, seed_promo_codes
from demo.reference import external_id, seed_challenges, seed_clients_and_groups
from demo.world import DemoWorld
from models import Client, utcnow

DemoStep = Callable[[AsyncSession, DemoWorld], Awaitable[None]]

DEMO_STEPS: tuple[DemoStep, ...] = (
    install_promo_module,
    seed_clients_and_groups,
    seed_challenges,
    seed_promo_codes,
    seed_coupons,
    seed_purchases,
    seed_notifications,
)

MARKER_CLIENT = external_id(0)


class SeedOutcome(enum.Enum):
    SEEDED = "seeded"
    ALREADY_SEEDED = "already seeded"
    REFUSED = "refused: the database holds clients that are not demo data"


async def seed_demo(db: Database, now: datetime | None = None) -> tuple[SeedOutcome, DemoWorld]:
    """Fill an empty database with the demo; a second run changes nothing."""
    world = DemoWorld(now or utcnow())
    async with db.write_session() as session, session.begin():
        clients = (await session.scalars(select(Client.external_id).limit(1))).all()
        if clients:
            marker = await session.scalar(select(Client.id).where(Client.external_id == MARKER_CLIENT))
            return (SeedOutcome.ALREADY_SEEDED if marker else SeedOutcome.REFUSED), world
        for step in DEMO_STEPS:
            await step(session, world)
    return SeedOutcome.SEEDED, world
