"""Fill an empty database for the benchmarks, through the project's own models and migrations.

    python bench/seed.py --database-url URL --clients 1000 --challenges 5 --codes 50 --redemptions 20000

Makes: the promo module installed; clients ``bench-1`` ... ``bench-N``; challenges
priced in USD; enabled percentage codes with unlimited use counts (the first is
``BENCH``); and redemptions, each with its purchase and use count, spread over
clients, codes and challenges (deterministic: ``--seed``).
"""
from __future__ import annotations

import argparse
import asyncio
import random
import sys
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, insert, select, update  # noqa: E402

from database import Database  # noqa: E402
from domain.discounts import Discount, DiscountMethod  # noqa: E402
from domain.marketplace import PROMO_MODULE_KEY  # noqa: E402
from domain.pricing import price  # noqa: E402
from models import (  # noqa: E402
    ChallengePurchase,
    Client,
    MarketplaceModule,
    PromoCode,
    PromoCodeUsage,
    PropChallenge,
    Redemption,
    utcnow,
)

BATCH = 5_000


def _chunks(rows: list[dict], size: int = BATCH):
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def _codes(count: int, now) -> list[dict]:
    rows = []
    for i in range(1, count + 1):
        rows.append(
            dict(
                id=i, code="BENCH" if i == 1 else f"BENCH{i:03d}", name=f"Bench code {i}", use_case="PROP_TRADING",
                discount_method="PERCENTAGE", discount_value_minor=500 + (i % 10) * 250,  # 5 % .. 27.5 %
                currency=None, usage_limit_per_client=None, combinable_with_coupons=i % 2 == 0,
                status="ENABLED", created_at=now - timedelta(days=30), updated_at=now - timedelta(days=30),
                enabled_at=now - timedelta(days=30),
            )
        )
    return rows


def _purchases(args: argparse.Namespace, codes: list[dict], prices: dict[int, int], now) -> list[dict]:
    """Purchases with a code; the database's trigger counts and redeems each one as it is inserted."""
    rnd = random.Random(args.seed)
    rows = []
    for i in range(1, args.redemptions + 1):
        client_id = rnd.randint(1, args.clients)
        challenge_id = rnd.randint(1, args.challenges)
        code = codes[rnd.randrange(len(codes))]
        promo = Discount(DiscountMethod.PERCENTAGE, Decimal(code["discount_value_minor"]) / 100, None)
        quote = price(prices[challenge_id], "USD", [], promo)
        rows.append(
            dict(
                id=i, client_id=client_id, challenge_id=challenge_id, idempotency_key=f"seed-{i}", currency="USD",
                list_price_minor=quote.list_price_minor, coupon_discount_minor=0,
                promo_discount_minor=quote.promo_discount_minor, total_minor=quote.total_minor, coupon_id=None,
                promo_code_id=code["id"], promo_code=code["code"], promo_name=code["name"],
                promo_discount_method="PERCENTAGE", promo_discount_value_minor=code["discount_value_minor"],
                promo_currency=None, promo_valid_until=None, promo_combinable=code["combinable_with_coupons"],
                created_at=now - timedelta(seconds=rnd.randint(60, 30 * 86_400)),
            )
        )
    return rows


async def seed(args: argparse.Namespace) -> None:
    db = Database(args.database_url)
    await db.migrate()
    now = utcnow()
    async with db.write_engine.begin() as conn:
        if await conn.scalar(select(func.count()).select_from(Client)):
            raise SystemExit("seed: the database already has clients; give it an empty one")
        await conn.execute(
            update(MarketplaceModule).where(MarketplaceModule.key == PROMO_MODULE_KEY).values(installed_at=now, installed_by="bench")
        )
        clients = [
            dict(id=i, external_id=f"bench-{i}", name=f"Bench client {i}", email=f"bench-{i}@example.com", created_at=now)
            for i in range(1, args.clients + 1)
        ]
        for chunk in _chunks(clients):
            await conn.execute(insert(Client), chunk)
        prices = {i: 4_900 + 10_000 * (i - 1) for i in range(1, args.challenges + 1)}  # 49.00, 149.00, ... USD
        await conn.execute(
            insert(PropChallenge),
            [dict(id=i, name=f"Challenge {i}", price_minor=p, currency="USD", active=True, created_at=now) for i, p in prices.items()],
        )
        codes = _codes(args.codes, now)
        await conn.execute(insert(PromoCode), codes)
        for chunk in _chunks(_purchases(args, codes, prices, now)):
            await conn.execute(insert(ChallengePurchase), chunk)
        redemptions = await conn.scalar(select(func.count()).select_from(Redemption))
        pairs = await conn.scalar(select(func.count()).select_from(PromoCodeUsage))
        if not db.is_sqlite:
            # Explicit ids leave PostgreSQL's sequences behind: move them past the seeded rows.
            for table in ("clients", "prop_challenges", "promo_codes", "challenge_purchases"):
                await conn.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
                )
    await db.dispose()
    print(
        f"seeded {args.clients} clients, {args.challenges} challenges, {args.codes} codes, "
        f"{redemptions} redemptions ({pairs} client/code pairs)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", required=True, help="e.g. sqlite+aiosqlite:////tmp/bench.db")
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--challenges", type=int, default=5)
    parser.add_argument("--codes", type=int, default=50)
    parser.add_argument("--redemptions", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    if min(args.clients, args.challenges, args.codes) < 1 or args.redemptions < 0:
        parser.error("--clients, --challenges and --codes must be at least 1; --redemptions at least 0")
    asyncio.run(seed(args))


if __name__ == "__main__":
    main()
