"""The statements behind checkout: the counted INSERT of a purchase, and how few statements a purchase costs."""
from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event, func, insert, select
from sqlalchemy.engine import Engine

from domain.checkout_store import UsageLimitReached, insert_purchase
from models import ChallengePurchase, Client, PromoCode, PromoCodeUsage, PropChallenge, Redemption, utcnow
from tests.checkout_helpers import make_challenge, make_client, make_code, purchase


async def _code_and_client(db, limit: int | None) -> tuple[int, int, int]:
    now = utcnow()
    async with db.write_engine.begin() as conn:
        client = insert(Client).values(external_id="C", name="C", email="c@x.io", created_at=now)
        client_id = (await conn.execute(client.returning(Client.id))).scalar_one()
        challenge = insert(PropChallenge).values(name="P", price_minor=1000, currency="USD", active=True, created_at=now)
        challenge_id = (await conn.execute(challenge.returning(PropChallenge.id))).scalar_one()
        code = insert(PromoCode).values(
            code="C1", name="C1", use_case="PROP_TRADING", discount_method="PERCENTAGE", discount_value_minor=1000,
            combinable_with_coupons=False, status="ENABLED", created_at=now, updated_at=now,
            usage_limit_per_client=limit,
        )
        code_id = (await conn.execute(code.returning(PromoCode.id))).scalar_one()
    return code_id, client_id, challenge_id


def _purchase(code_id: int, client_id: int, challenge_id: int, key: str) -> dict:
    return dict(
        client_id=client_id, challenge_id=challenge_id, idempotency_key=key, currency="USD", list_price_minor=1000,
        coupon_discount_minor=0, promo_discount_minor=100, total_minor=900, promo_code_id=code_id, promo_code="C1",
        created_at=utcnow(),
    )


async def _try(db, ids: tuple[int, int, int], key: str, hold_s: float = 0) -> bool:
    try:
        async with db.write_engine.begin() as conn:
            await insert_purchase(conn, _purchase(*ids, key))
            await asyncio.sleep(hold_s)  # keep the transaction open while others queue behind it
    except UsageLimitReached:
        return False
    return True


async def _stored(db) -> tuple[int, int, int | None]:
    async with db.write_engine.connect() as conn:
        purchases = await conn.scalar(select(func.count()).select_from(ChallengePurchase))
        redemptions = await conn.scalar(select(func.count()).select_from(Redemption))
        used = await conn.scalar(select(PromoCodeUsage.times_redeemed))
    return purchases, redemptions, used


async def test_the_insert_counts_and_redeems_up_to_the_limit(db):
    ids = await _code_and_client(db, limit=2)
    assert [await _try(db, ids, f"k{i}") for i in range(3)] == [True, True, False]
    assert await _stored(db) == (2, 2, 2)
    async with db.write_engine.connect() as conn:
        redeemed = (await conn.execute(select(Redemption.discount_minor, Redemption.currency))).all()
    assert [tuple(r) for r in redeemed] == [(100, "USD"), (100, "USD")]


async def test_without_a_limit_every_insert_counts(db):
    ids = await _code_and_client(db, limit=None)
    assert [await _try(db, ids, f"k{i}") for i in range(4)] == [True] * 4
    assert await _stored(db) == (4, 4, 4)


async def test_the_limit_holds_under_concurrent_transactions(db):
    """No lock but the INSERT's own: on PostgreSQL these run at once on separate connections."""
    ids = await _code_and_client(db, limit=3)
    outcomes = await asyncio.gather(*(_try(db, ids, f"k{i}", 0.01) for i in range(12)))
    assert sorted(outcomes) == [False] * 9 + [True] * 3
    assert await _stored(db) == (3, 3, 3)


@contextmanager
def statements() -> Iterator[list[str]]:
    seen: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:
        seen.append(statement.split()[0].upper())

    event.listen(Engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(Engine, "before_cursor_execute", record)


async def test_a_purchase_with_a_code_costs_few_statements(api, db):
    await api.install_module()
    _, token = await make_client(api)
    challenge = await make_challenge(api)
    await make_code(api, "HOT")
    await purchase(api, token, challenge, "warm-up", "HOT")  # fills the caches: client id, module gate
    with statements() as seen:
        assert (await purchase(api, token, challenge, "k", "HOT"))["errors"] == []
    lock = ["SELECT"] if db.url.get_backend_name() == "postgresql" else []
    # (BEGIN and COMMIT are not cursor executions on every driver, so they are not counted.)
    assert [s for s in seen if s not in ("BEGIN", "COMMIT")] == lock + ["SELECT", "INSERT"], seen
