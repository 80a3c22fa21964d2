"""PostgreSQL going away mid-run (as in a restart): every request gets a clean, retryable
error instead of a 500 or a hang, nothing is half-written, the health checks say so, and
the service recovers by itself when the database is back: queries, purchases and the
LISTEN connection that carries change events to subscribers.

The app reaches PostgreSQL through a proxy that the test cuts and restores (tests/tcp_proxy.py),
so the shared server is never restarted."""
from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from dataclasses import replace

import httpx
import pytest
from asgi_lifespan import LifespanManager
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from database import Database
from models import ChallengePurchase
from server import create_app
from settings import Settings
from tests.api import Api
from tests.checkout_helpers import PURCHASE, make_challenge, make_client, make_code
from tests.tcp_proxy import TcpProxy

LIST_CODES = "{ promoCodes(first: 5) { totalCount edges { node { code } } } }"
REQUEST_TIMEOUT_S = 15


@pytest.fixture
async def proxy(database_url: str) -> AsyncIterator[TcpProxy]:
    if not database_url.startswith("postgresql"):
        pytest.skip("a database server that can go away: PostgreSQL only (SQLite lives in the process)")
    url = make_url(database_url)
    tcp_proxy = TcpProxy(url.host or "127.0.0.1", url.port or 5432)
    await tcp_proxy.start()
    yield tcp_proxy
    await tcp_proxy.cut()


@pytest.fixture
async def proxied_api(settings: Settings, db: Database, proxy: TcpProxy) -> AsyncIterator[Api]:
    url = make_url(settings.database_url).set(host="127.0.0.1", port=proxy.port)
    proxied = settings.model_copy(update={"database_url": url.render_as_string(hide_password=False)})
    app = create_app(proxied)
    async with LifespanManager(app) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test", timeout=REQUEST_TIMEOUT_S) as client:
            yield Api(client, settings.jwt_secret, app.state.services)


async def raw_post(api: Api, query: str, variables: dict | None = None, token: str | None = None) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token or api.admin}"}
    return await asyncio.wait_for(
        api.client.post("/graphql", json={"query": query, "variables": variables or {}}, headers=headers),
        REQUEST_TIMEOUT_S,
    )


async def until_ok(api: Api, deadline_s: float = 20) -> float:
    """Seconds until a query succeeds again."""
    started = time.monotonic()
    while time.monotonic() - started < deadline_s:
        response = await raw_post(api, LIST_CODES)
        if response.status_code == 200 and "errors" not in response.json():
            return time.monotonic() - started
        await asyncio.sleep(0.2)
    raise AssertionError("the service did not recover from the database outage")


async def purchases(db: Database) -> int:
    async with db.read_engine.connect() as conn:
        return await conn.scalar(select(func.count()).select_from(ChallengePurchase))


def assert_unavailable(response: httpx.Response) -> None:
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["data"] is None or all(value is None for value in body["data"].values())
    [error] = body["errors"]
    assert error["extensions"]["code"] == "SERVICE_UNAVAILABLE"
    assert error["message"] == "The database is unavailable; try again shortly."
    assert "Traceback" not in response.text and "asyncpg" not in response.text


async def test_the_service_answers_cleanly_while_the_database_is_gone_and_recovers_by_itself(proxied_api, db, proxy):
    api = proxied_api
    await api.install_module()
    _, token = await make_client(api, "OUTAGE-1")
    challenge = await make_challenge(api)
    await make_code(api, "OUTAGE10")
    order = {"i": {"challengeId": challenge, "idempotencyKey": "during-outage", "promoCode": "OUTAGE10"}}
    assert (await raw_post(api, LIST_CODES)).json()["data"]["promoCodes"]["totalCount"] == 1

    await proxy.cut()
    assert_unavailable(await raw_post(api, LIST_CODES))
    assert_unavailable(await raw_post(api, PURCHASE, order, token))
    assert (await api.client.get("/healthz")).status_code == 503
    assert (await api.client.get("/readyz")).status_code == 503
    assert await purchases(db) == 0

    await proxy.restore()
    recovered_in = await until_ok(api)
    assert recovered_in < 5
    assert (await api.client.get("/healthz")).status_code == 200
    assert (await api.client.get("/readyz")).status_code == 200
    bought = (await raw_post(api, PURCHASE, order, token)).json()["data"]["purchaseChallenge"]
    assert bought["errors"] == []
    assert await purchases(db) == 1


async def test_change_events_reach_subscribers_again_after_the_outage(proxied_api, proxy):
    broadcast = proxied_api.services.broadcast
    await proxy.cut()
    await proxy.restore()
    async with broadcast.subscribe("promo_code_statistics", 42) as queue:
        deadline = time.monotonic() + 10
        while True:  # the listener reconnects within a second or so; publish until it hears
            await broadcast.publish("promo_code_statistics", 42)
            try:
                assert await asyncio.wait_for(queue.get(), 0.5) == "42"
                break
            except asyncio.TimeoutError:
                assert time.monotonic() < deadline, "the LISTEN connection did not come back"
