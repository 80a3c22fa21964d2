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
from models import Client, ClientGroup, PromoCode, PropChallenge, utcnow

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
    REFUSED = "refused: the database holds data that is not the demo's"


async def seed_demo(db: Database, now: datetime | None = None) -> tuple[SeedOutcome, DemoWorld]:
    """Fill an empty database with the demo; a second run changes nothing."""
    world = DemoWorld(now or utcnow())
    async with db.write_session() as session, session.begin():
        if await session.scalar(select(Client.id).where(Client.external_id == MARKER_CLIENT)):
            return SeedOutcome.ALREADY_SEEDED, world
        for model in (Client, ClientGroup, PropChallenge, PromoCode):  # what the demo adds to
            if await session.scalar(select(model.id).limit(1)) is not None:
                return SeedOutcome.REFUSED, world
        for step in DEMO_STEPS:
            await step(session, world)
    return SeedOutcome.SEEDED, world
