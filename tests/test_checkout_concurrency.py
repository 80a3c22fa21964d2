"""Concurrent purchases over real HTTP against a running server (several worker processes).

SQLite runs 2 workers, PostgreSQL 4: the per-client use count and idempotency
must hold whatever the interleaving. Bounded: 50 and 20 requests, loopback only.
"""
from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from sqlalchemy import func, select

from models import ChallengePurchase, PromoCodeUsage, Redemption
from tests.api import Api
from tests.checkout_helpers import PURCHASE, make_challenge, make_client, make_code
from tests.conftest import SECRET
from tests.live_server import api_over, live_server

SIMULTANEOUS = 50


@pytest.fixture(scope="module")
def server(database_url: str) -> Iterator[str]:
    workers = 4 if database_url.startswith("postgresql") else 2
    with live_server(database_url, SECRET, workers) as base:
        yield base


@pytest.fixture
async def live(server: str, db) -> AsyncIterator[Api]:
    limits = httpx.Limits(max_connections=SIMULTANEOUS + 10)
    async with httpx.AsyncClient(base_url=server, limits=limits, timeout=60) as client:
        api = api_over(client, SECRET)
        await api.install_module()
        yield api


async def _fire(api: Api, token: str, inputs: list[dict]) -> list[dict]:
    async def one(fields: dict) -> dict:
        return (await api.data(PURCHASE, {"i": fields}, token))["purchaseChallenge"]

    return await asyncio.gather(*(one(f) for f in inputs))


async def _counts(db) -> tuple[int, int, int | None]:
    async with db.write_engine.connect() as conn:
        purchases = await conn.scalar(select(func.count()).select_from(ChallengePurchase))
        redemptions = await conn.scalar(select(func.count()).select_from(Redemption))
        used = await conn.scalar(select(PromoCodeUsage.times_redeemed))
    return purchases, redemptions, used


async def _race_for_the_use_count(live: Api, db, limit: int) -> None:
    # Fresh externalIds: the server caches externalId -> id across tests.
    _, token = await make_client(live, f"race-{uuid.uuid4().hex[:8]}")
    challenge = await make_challenge(live)
    code_id = await make_code(live, "RACE", usageLimitPerClient=limit)
    inputs = [{"challengeId": challenge, "promoCode": "RACE", "idempotencyKey": f"k-{i}"} for i in range(SIMULTANEOUS)]
    results = await _fire(live, token, inputs)
    outcomes = Counter("OK" if not r["errors"] else r["errors"][0]["code"] for r in results)
    assert outcomes == {"OK": limit, "USAGE_LIMIT_REACHED": SIMULTANEOUS - limit}
    assert await _counts(db) == (limit, limit, limit)
    # The running totals the trigger keeps agree with the rows, refused purchases left out.
    figures = "query($id: ID!) { promoCode(id: $id) { statistics { totalRedeemed uniqueClients } } }"
    stats = (await live.data(figures, {"id": code_id}))["promoCode"]["statistics"]
    assert stats == {"totalRedeemed": limit, "uniqueClients": 1}


async def test_simultaneous_purchases_never_exceed_a_use_count_of_one(live, db):
    await _race_for_the_use_count(live, db, 1)


async def test_simultaneous_purchases_never_exceed_a_use_count_of_three(live, db):
    await _race_for_the_use_count(live, db, 3)


async def test_one_idempotency_key_raced_twenty_times_buys_once(live, db):
    _, token = await make_client(live, f"idem-{uuid.uuid4().hex[:8]}")
    challenge = await make_challenge(live)
    await make_code(live, "ONCE", usageLimitPerClient=1)
    same = {"challengeId": challenge, "promoCode": "ONCE", "idempotencyKey": "the-one-order"}
    results = await _fire(live, token, [same] * 20)
    assert all(r["errors"] == [] for r in results), results
    assert len({r["purchase"]["id"] for r in results}) == 1
    assert await _counts(db) == (1, 1, 1)
