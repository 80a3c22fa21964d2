"""Subscriptions over graphql-transport-ws against live servers: figures after each change, new
notifications, authentication; on PostgreSQL, across two server processes."""
import asyncio
import json
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from websockets.asyncio.client import connect

from tests.checkout_helpers import make_challenge, make_client, make_code, purchase
from tests.conftest import SECRET
from tests.live_server import api_over, live_server
from tests.notifying import notify

STATISTICS = "subscription($id: ID!) { promoCodeStatistics(id: $id) { totalRedeemed uniqueClients notifiedClients } }"
NOTIFICATIONS = "subscription { myNotificationReceived { title promoCode { code active } } }"


@pytest.fixture(scope="module")
def servers(database_url: str) -> Iterator[tuple[str, str]]:
    """Two server processes on one database (PostgreSQL), or one (SQLite: one process is its engine's limit)."""
    with live_server(database_url, SECRET, workers=1) as first:
        if database_url.startswith("sqlite"):
            yield first, first
            return
        with live_server(database_url, SECRET, workers=1) as second:
            yield first, second


@pytest.fixture
async def api(servers, db) -> AsyncIterator:
    async with httpx.AsyncClient(base_url=servers[1], timeout=30) as client:
        live = api_over(client, SECRET)
        await live.install_module()
        yield live


class Subscriber:
    def __init__(self, socket) -> None:
        self.socket = socket

    async def start(self, query: str, variables: dict | None = None) -> None:
        payload = {"query": query, "variables": variables or {}}
        await self.socket.send(json.dumps({"id": "1", "type": "subscribe", "payload": payload}))

    async def next(self, timeout: float = 1.0) -> dict:
        while True:
            message = json.loads(await asyncio.wait_for(self.socket.recv(), timeout))
            if message["type"] in ("next", "error"):
                return message


async def subscriber(base: str, token: str | None, via: str = "payload"):
    headers = {"Authorization": f"Bearer {token}"} if token and via == "header" else None
    socket = await connect(base.replace("http", "ws") + "/graphql", subprotocols=["graphql-transport-ws"], additional_headers=headers)
    init = {"Authorization": f"Bearer {token}"} if token and via == "payload" else {}
    await socket.send(json.dumps({"type": "connection_init", "payload": init}))
    return socket, Subscriber(socket)


async def test_statistics_arrive_at_once_and_within_a_second_of_a_purchase(servers, api):
    client_id, token = await make_client(api, "SUB-1")
    challenge = await make_challenge(api)
    code = await make_code(api, "LIVE1")
    socket, sub = await subscriber(servers[0], api.admin)
    async with socket:
        assert json.loads(await socket.recv())["type"] == "connection_ack"
        await sub.start(STATISTICS, {"id": code})
        first = await sub.next()
        assert first["payload"]["data"]["promoCodeStatistics"] == {"totalRedeemed": 0, "uniqueClients": 0, "notifiedClients": 0}
        assert (await purchase(api, token, challenge, "k1", "LIVE1"))["errors"] == []  # served by the other process
        after_purchase = await sub.next(timeout=1.0)
        assert after_purchase["payload"]["data"]["promoCodeStatistics"]["totalRedeemed"] == 1
        assert (await notify(api, code, clientIds=[client_id], channels=["POPUP"]))["errors"] == []
        after_notify = await sub.next(timeout=1.0)
        assert after_notify["payload"]["data"]["promoCodeStatistics"] == {"totalRedeemed": 1, "uniqueClients": 1, "notifiedClients": 1}


async def test_a_client_receives_its_own_new_notifications_only(servers, api):
    ann, _ = await make_client(api, "SUB-ANN")
    await make_client(api, "SUB-BOB")
    code = await make_code(api, "LIVE2")
    ann_socket, ann_sub = await subscriber(servers[0], api.client_token("SUB-ANN"), via="header")
    bob_socket, bob_sub = await subscriber(servers[0], api.client_token("SUB-BOB"))
    async with ann_socket, bob_socket:
        for socket, sub in ((ann_socket, ann_sub), (bob_socket, bob_sub)):
            assert json.loads(await socket.recv())["type"] == "connection_ack"
            await sub.start(NOTIFICATIONS)
        await asyncio.sleep(0.2)  # the subscriptions are registered before the notification goes out
        assert (await notify(api, code, clientIds=[ann], channels=["POPUP"]))["errors"] == []
        received = (await ann_sub.next())["payload"]["data"]["myNotificationReceived"]
        assert received["promoCode"] == {"code": "LIVE2", "active": True}
        with pytest.raises(TimeoutError):
            await bob_sub.next(timeout=0.5)


@pytest.mark.parametrize("token", [None, "garbage", "unknown-client"])
async def test_a_connection_without_a_valid_token_is_closed_with_4403(servers, api, token):
    if token == "unknown-client":
        token = api.client_token("NOBODY")
    socket, _ = await subscriber(servers[0], token)
    async with socket:
        await asyncio.wait_for(socket.wait_closed(), 2)
    assert socket.close_code == 4403


async def test_a_subscription_the_token_may_not_make_gets_an_error_and_no_data(servers, api):
    await make_client(api, "SUB-CAT")
    code = await make_code(api, "LIVE3")
    cases = [
        (api.client_token("SUB-CAT"), STATISTICS, {"id": code}, "FORBIDDEN"),
        (api.staff_token("MANAGE_CLIENTS"), STATISTICS, {"id": code}, "FORBIDDEN"),
        (api.admin, NOTIFICATIONS, None, "FORBIDDEN"),
        (api.admin, STATISTICS, {"id": "not-a-code"}, "NOT_FOUND"),
    ]
    for token, query, variables, expected in cases:
        socket, sub = await subscriber(servers[0], token)
        async with socket:
            assert json.loads(await socket.recv())["type"] == "connection_ack"
            await sub.start(query, variables)
            message = await sub.next()
            assert message["type"] == "error", message  # refused, not a `next` that carries errors
            assert message["payload"][0]["extensions"]["code"] == expected
