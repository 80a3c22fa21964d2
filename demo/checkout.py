"""Demo coupons and purchases, made through the checkout's own domain functions.

Purchases happen at moments in the past, with codes that are still redeemable
today (the checkout checks a code's current state), so that the codes'
statistics, client lists and redemptions have something to show.
"""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from demo.world import ACTOR, DemoWorld
from domain import checkout
from domain.checkout_rules import CheckoutRejected, Throttle
from domain.coupons import CouponDraft, issue
from domain.discounts import DiscountMethod

THROTTLE = Throttle(limit=10, window=timedelta(minutes=10))

# externalId, name, method, value, currency, valid for (days from now; None: no end)
COUPONS = (
    ("C-1001", "Loyalty reward", DiscountMethod.FIXED_AMOUNT, "20.00", "USD", 30),
    ("C-1002", "Second challenge 15 %", DiscountMethod.PERCENTAGE, "15", None, None),
    ("C-1003", "Euro welcome", DiscountMethod.FIXED_AMOUNT, "10.00", "EUR", 60),
    ("C-1004", "Birthday gift", DiscountMethod.PERCENTAGE, "10", None, 90),
)

# externalId, challenge, code typed (None: no code), days from now
PURCHASES = (
    ("C-1001", "Pro 50K", "WELCOME10", -60),
    ("C-1001", "Elite 100K", "WELCOME10", -10),
    ("C-1002", "Starter 10K", "SUMMER25", -15),
    ("C-1003", "Euro 50K", "WELCOME10", -12),
    ("C-1004", "Standard 25K", "USD50OFF", -20),
    ("C-1004", "Pro 50K", "USD50OFF", -8),
    ("C-1005", "Tokyo 5M", "YEN3000", -2),
    ("C-1006", "Starter 10K", None, -30),
)


async def seed_coupons(session: AsyncSession, world: DemoWorld) -> None:
    for external_id, name, method, value, currency, days in COUPONS:
        until = None if days is None else world.days(days)
        draft = CouponDraft(world.clients[external_id].id, name, method, Decimal(value), currency, until)
        await issue(session, draft, ACTOR, world.days(-40))


async def seed_purchases(session: AsyncSession, world: DemoWorld) -> None:
    connection = await session.connection()
    for number, (external_id, challenge, code, days) in enumerate(PURCHASES, start=1):
        request = checkout.CheckoutRequest(
            client_id=world.clients[external_id].id,
            challenge_id=world.challenges[challenge].id,
            code=code,
            throttle=THROTTLE,
            now=world.days(days),
            code_field="promoCode",
        )
        result = await checkout.purchase(connection, request, f"demo-{number}")
        if isinstance(result, CheckoutRejected):
            raise RuntimeError(f"demo purchase {number} refused: {result}")
