"""Demo promo codes, at least one in every state the admin SPA shows.

Each code is made with the store's own functions at a moment in the past or
present (``when``), so that expired and disabled codes have an honest history
and audit trail.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from demo.world import ACTOR, DemoWorld
from domain import marketplace
from domain import promo_code_store as store
from domain.discounts import DiscountMethod
from domain.promo_codes import PromoCodeDraft, UseCase

PERCENTAGE, FIXED = DiscountMethod.PERCENTAGE, DiscountMethod.FIXED_AMOUNT


@dataclass(frozen=True, slots=True)
class DemoCode:
    code: str
    name: str
    method: DiscountMethod
    value: str
    currency: str | None = None
    limit: int | None = None
    combinable: bool = False
    window: tuple[float | None, float | None] = (None, None)  # days from now
    created: float = -30  # days from now
    # Lifecycle steps after creation, each (action, days from now).
    history: tuple[tuple[str, float], ...] = ()


CODES = (
    DemoCode("WELCOME10", "Welcome offer", PERCENTAGE, "10", combinable=True, created=-120,
             history=(("enable", -119),)),
    DemoCode("SUMMER25", "Summer campaign", PERCENTAGE, "25", limit=1, window=(-20, 40), created=-25,
             history=(("enable", -21),)),
    DemoCode("USD50OFF", "$50 off any USD challenge", FIXED, "50.00", "USD", limit=2, combinable=True,
             window=(None, 30), created=-10, history=(("enable", -9),)),
    DemoCode("YEN3000", "Tokyo launch", FIXED, "3000", "JPY", limit=1, window=(-5, 60), created=-6,
             history=(("enable", -5),)),
    DemoCode("BLACKFRIDAY", "Black Friday", PERCENTAGE, "40", limit=1, window=(10, 14), created=-2,
             history=(("enable", -1),)),
    DemoCode("SPRING20", "Spring sale", PERCENTAGE, "20", limit=3, window=(-90, -30), created=-100,
             history=(("enable", -95),)),
    DemoCode("FLASH50", "Flash sale (issued in error)", PERCENTAGE, "50", limit=1, window=(-3, 4),
             created=-4, history=(("enable", -3), ("disable", -3 + 2 / 24))),
    DemoCode("VIP15", "VIP loyalty (draft)", PERCENTAGE, "12.5", limit=3, combinable=True, created=-1),
    DemoCode("EURO20", "€20 off Euro challenges (draft)", FIXED, "20.00", "EUR", window=(7, 37), created=-1),
    DemoCode("OLDPROMO", "Old promotion (deleted)", PERCENTAGE, "5", created=-200,
             history=(("delete", -150),)),
)

_ACTIONS = {"enable": store.enable, "disable": store.disable, "delete": store.delete}


async def install_promo_module(session: AsyncSession, world: DemoWorld) -> None:
    await marketplace.install(session, marketplace.PROMO_MODULE_KEY, "account-manager@demo")


def draft_of(demo: DemoCode, world: DemoWorld) -> PromoCodeDraft:
    start, end = demo.window
    return PromoCodeDraft(
        code=demo.code,
        name=demo.name,
        use_case=UseCase.PROP_TRADING,
        discount_method=demo.method,
        discount_value=Decimal(demo.value),
        currency=demo.currency,
        usage_limit_per_client=demo.limit,
        combinable_with_coupons=demo.combinable,
        valid_from=None if start is None else world.days(start),
        valid_until=None if end is None else world.days(end),
    )


async def seed_promo_codes(session: AsyncSession, world: DemoWorld) -> None:
    for demo in CODES:
        row = await store.create(session, draft_of(demo, world), ACTOR, world.days(demo.created))
        for action, day in demo.history:
            row = await _ACTIONS[action](session, row.id, ACTOR, world.days(day))
        world.promo_codes[demo.code] = row
