"""The statements behind checkout: the conditional use count, and how few statements a purchase costs."""
from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event, insert, select
from sqlalchemy.engine import Engine

from domain.checkout_store import count_use
from models import Client, PromoCode, PromoCodeUsage, utcnow
from tests.checkout_helpers import make_challenge, make_client, make_code, purchase


async def _code_and_client(db) -> tuple[int, int]:
    now = utcnow()
    async with db.write_engine.begin() as conn:
        client_id = (await conn.execute(insert(Client).values(external_id="C", name="C", email="c@x.io", created_at=now).returning(Client.id))).scalar_one()
        code_id = (
            await conn.execute(
                insert(PromoCode)
                .values(
                    code="C1", name="C1", use_case="PROP_TRADING", discount_method="PERCENTAGE", discount_value_minor=1000,
                    combinable_with_coupons=False, status="ENABLED", created_at=now, updated_at=now,
                )
                .returning(PromoCode.id)
            )
        ).scalar_one()
    return code_id, client_id


async def test_count_use_stops_at_the_limit(db):
    code_id, client_id = await _code_and_client(db)
    outcomes = []
    for _ in range(3):
        async with db.write_engine.begin() as conn:
            outcomes.append(await count_use(conn, code_id, client_id, 2, utcnow()))
    assert outcomes == [True, True, False]
    async with db.write_engine.connect() as conn:
        assert await conn.scalar(select(PromoCodeUsage.times_redeemed)) == 2


async def test_count_use_without_limit_always_counts(db):
    code_id, client_id = await _code_and_client(db)
    for _ in range(4):
        async with db.write_engine.begin() as conn:
            assert await count_use(conn, code_id, client_id, None, utcnow())
    async with db.write_engine.connect() as conn:
        assert await conn.scalar(select(PromoCodeUsage.times_redeemed)) == 4


async def test_count_use_holds_under_concurrent_transactions(db):
    """Without any other lock: on PostgreSQL these run at once on separate connections."""
    code_id, client_id = await _code_and_client(db)

    async def one() -> bool:
        async with db.write_engine.begin() as conn:
            counted = await count_use(conn, code_id, client_id, 3, utcnow())
            await asyncio.sleep(0.01)  # hold the row a little while others queue on it
            return counted

    assert sorted(await asyncio.gather(*(one() for _ in range(12)))) == [False] * 9 + [True] * 3


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
    assert [s for s in seen if s not in ("BEGIN", "COMMIT")] == lock + ["SELECT", "INSERT", "INSERT", "INSERT"], seen
