"""The soak's set-up and mixed traffic, through the GraphQL HTTP API only (see bench/soak.py)."""
from __future__ import annotations

import asyncio
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import httpx

from tests.api import Api
from tests.checkout_helpers import PURCHASE, issue_coupon, make_challenge, make_client, make_code
from tests.notifying import NOTIFY

# (code, per-client use count): tight limits are where oversells would show.
CODES = [("SOAK1", 1), ("SOAK2", 2), ("SOAK3", 3), ("SOAKFREE", None)]
DASHBOARD = """{ promoCodes(first: 10) { totalCount edges { node { code
  statistics { totalRedeemed uniqueClients notifiedClients totalDiscount { amount currency } }
  clients(first: 5) { edges { node { timesRedeemed status redemptions { challenge { name } } } } } } } } }"""
APPLY = """mutation($i: ApplyPromoCodeInput!) { applyPromoCode(input: $i) { quote { total { amount } } errors { code } } }"""
MY_PAGE = "{ myNotifications(first: 5) { totalCount } myPopups { id } myCoupons { status } }"


@dataclass
class World:
    clients: list[tuple[str, str]]  # (global id, token)
    challenges: list[str]
    codes: dict[str, str]  # code -> global id


@dataclass
class Tally:
    requests: Counter[str] = field(default_factory=Counter)
    statuses: Counter[int] = field(default_factory=Counter)
    outcomes: Counter[str] = field(default_factory=Counter)
    server_errors: list[str] = field(default_factory=list)
    latencies_ms: list[float] = field(default_factory=list)


async def set_up(api: Api, clients: int, rng: random.Random) -> World:
    await api.install_module()
    made = [await make_client(api, f"SOAK-{n}") for n in range(clients)]
    challenges = [await make_challenge(api, price=f"{p}.00", name=f"Challenge {p}") for p in (100, 250, 500)]
    codes = {}
    for code, limit in CODES:
        codes[code] = await make_code(api, code, usageLimitPerClient=limit, combinableWithCoupons=code != "SOAK3")
    for client_id, _token in rng.sample(made, k=clients // 2):
        await issue_coupon(api, client_id)
    return World(made, challenges, codes)


async def call(api: Api, tally: Tally, kind: str, query: str, variables: dict[str, Any], token: str) -> dict[str, Any]:
    started = time.perf_counter()
    response = await api.client.post(
        "/graphql", json={"query": query, "variables": variables}, headers={"Authorization": f"Bearer {token}"}
    )
    tally.latencies_ms.append((time.perf_counter() - started) * 1000)
    tally.requests[kind] += 1
    tally.statuses[response.status_code] += 1
    if response.status_code >= 500 or "Internal server error." in response.text or "Traceback" in response.text:
        tally.server_errors.append(f"{kind}: {response.status_code} {response.text[:300]}")
        return {}
    return response.json()


async def one_request(api: Api, world: World, tally: Tally, rng: random.Random, serial: int, sent: list[tuple]) -> None:
    token = rng.choice(world.clients)[1]
    challenge = rng.choice(world.challenges)
    code = rng.choice([*world.codes, None])
    roll = rng.random()
    if roll < 0.35:
        if sent and rng.random() < 0.1:  # a retry of an earlier purchase: must give the same one back
            token, fields = rng.choice(sent)
        else:
            fields = {"challengeId": challenge, "idempotencyKey": f"soak-{serial}"} | ({"promoCode": code} if code else {})
            sent.append((token, fields))
        body = await call(api, tally, "purchase", PURCHASE, {"i": fields}, token)
        payload = (body.get("data") or {}).get("purchaseChallenge") or {}
        for error in payload.get("errors", []):
            tally.outcomes[f"purchase {error['code']}"] += 1
        if payload.get("purchase"):
            tally.outcomes["purchase ok"] += 1
    elif roll < 0.60:
        await call(api, tally, "apply", APPLY, {"i": {"challengeId": challenge, "code": code or "NOPE"}}, token)
    elif roll < 0.85:
        await call(api, tally, "dashboard", DASHBOARD, {}, api.staff_token("READ_PROMO_CODES"))
    elif roll < 0.95:
        await call(api, tally, "client page", MY_PAGE, {}, token)
    else:
        targets = [c for c, _ in rng.sample(world.clients, k=rng.randint(1, 4))]
        channels = rng.choice([["EMAIL"], ["POPUP"], ["EMAIL", "POPUP"]])
        code_id = world.codes[rng.choice(list(world.codes))]
        await call(api, tally, "notify", NOTIFY, {"id": code_id, "input": {"clientIds": targets, "channels": channels}}, api.admin)


async def drive(base: str, secret: str, world: World, seconds: float, concurrency: int, seed: int) -> Tally:
    """``concurrency`` loops sending mixed requests until ``seconds`` have passed."""
    tally = Tally()
    deadline = time.monotonic() + seconds
    serial = iter(range(10**9))

    async def loop(n: int) -> None:
        rng = random.Random(seed * 1000 + n)
        sent: list[tuple] = []
        async with httpx.AsyncClient(base_url=base, timeout=30) as client:
            api = Api(client, secret)
            while time.monotonic() < deadline:
                await one_request(api, world, tally, rng, next(serial), sent)

    await asyncio.gather(*(loop(n) for n in range(concurrency)))
    return tally
