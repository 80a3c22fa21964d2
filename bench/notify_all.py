"""Benchmark: notify every client of a promo code (EMAIL + POPUP) on SQLite, and what others feel meanwhile.

    /work/main/.venv/bin/python bench/notify_all.py [--clients 100000]

Seeds a fresh SQLite database with N clients, then runs the app in-process
(one event loop, as one uvicorn worker would) and sends ``notifyPromoCode``
with ``allClients: true`` through the GraphQL endpoint. Meanwhile a probe
sends a small write (``markNotificationsRead``... of nothing: a
``createClientGroup``) and a small read (``myPopups``) every 20 ms and times
them. Prints the notify time, rows written, and the probe's latencies before
and during the notify. No SMTP: the e-mails stay in the outbox.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx  # noqa: E402
from asgi_lifespan import LifespanManager  # noqa: E402
from sqlalchemy import func, insert, select  # noqa: E402

from database import Database  # noqa: E402
from models import Client, Notification, OutboxEmail, utcnow  # noqa: E402
from server import create_app  # noqa: E402
from settings import Settings  # noqa: E402
from tests.api import Api  # noqa: E402

SECRET = "bench-secret-0123456789abcdef-0123456789"
PROBE_PERIOD_S = 0.02


async def seed_clients(db: Database, count: int) -> None:
    now = utcnow()
    rows = [
        {"external_id": f"c{i}", "name": f"Client {i}", "email": f"client{i}@example.test", "created_at": now}
        for i in range(count)
    ]
    async with db.write_engine.begin() as conn:
        await conn.execute(insert(Client), rows)


async def probe(api: Api, client_token: str, samples: list[tuple[float, str, float]], stop: asyncio.Event) -> None:
    n = 0
    while not stop.is_set():
        n += 1
        started = time.perf_counter()
        await api.data(
            "mutation($n: String!) { createClientGroup(input: {name: $n}) { errors { code } } }", {"n": f"probe {n}"}
        )
        samples.append((started, "write", time.perf_counter() - started))
        started = time.perf_counter()
        await api.data("{ myPopups { id } }", token=client_token)
        samples.append((started, "read", time.perf_counter() - started))
        await asyncio.sleep(PROBE_PERIOD_S)


def summary(samples: list[tuple[float, str, float]], kind: str, start: float, end: float) -> dict[str, float]:
    times = sorted(s[2] for s in samples if s[1] == kind and start <= s[0] <= end)
    if not times:
        return {"n": 0}
    return {
        "n": len(times),
        "p50_ms": round(statistics.median(times) * 1000, 1),
        "max_ms": round(times[-1] * 1000, 1),
    }


async def run(clients: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{tmp}/bench.db"
        db = Database(url)
        await db.migrate()
        started = time.perf_counter()
        await seed_clients(db, clients)
        seed_s = time.perf_counter() - started
        app = create_app(Settings(database_url=url, jwt_secret=SECRET))
        async with LifespanManager(app) as manager:
            transport = httpx.ASGITransport(app=manager.app)
            async with httpx.AsyncClient(transport=transport, base_url="http://bench", timeout=120) as http:
                api = Api(http, SECRET)
                await api.install_module()
                code = await api.data(
                    'mutation { createPromoCode(input: {code: "BENCH", name: "Bench", discountMethod: PERCENTAGE,'
                    ' discountValue: "10"}) { promoCode { id } } }'
                )
                code_id = code["createPromoCode"]["promoCode"]["id"]
                await api.data("mutation($id: ID!) { enablePromoCode(id: $id) { errors { code } } }", {"id": code_id})

                samples: list[tuple[float, str, float]] = []
                stop = asyncio.Event()
                prober = asyncio.create_task(probe(api, api.client_token("c1"), samples, stop))
                await asyncio.sleep(1.0)
                notify_start = time.perf_counter()
                result = await api.data(
                    "mutation($id: ID!) { notifyPromoCode(id: $id, input: {allClients: true, channels: [EMAIL, POPUP]})"
                    " { batch { recipientCount emailsPending } errors { code message } } }",
                    {"id": code_id},
                )
                notify_end = time.perf_counter()
                await asyncio.sleep(0.5)
                stop.set()
                await prober
        async with db.read_engine.connect() as conn:
            notifications = await conn.scalar(select(func.count()).select_from(Notification))
            emails = await conn.scalar(select(func.count()).select_from(OutboxEmail))
        await db.dispose()
    payload = result["notifyPromoCode"]
    assert payload["errors"] == [], payload["errors"]
    return {
        "clients": clients,
        "seed_s": round(seed_s, 2),
        "notify_s": round(notify_end - notify_start, 3),
        "recipient_count": payload["batch"]["recipientCount"],
        "notifications_rows": notifications,
        "outbox_rows": emails,
        "probe_before": {k: summary(samples, k, 0, notify_start) for k in ("write", "read")},
        "probe_during": {k: summary(samples, k, notify_start, notify_end) for k in ("write", "read")},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    for _ in range(args.runs):
        figures = asyncio.run(run(args.clients))
        print(
            f"notify {figures['clients']:,} clients (EMAIL+POPUP) on SQLite: {figures['notify_s']:.2f} s; "
            f"during it, probe writes p50 {figures['probe_during']['write'].get('p50_ms')} ms "
            f"max {figures['probe_during']['write'].get('max_ms')} ms, "
            f"reads p50 {figures['probe_during']['read'].get('p50_ms')} ms max {figures['probe_during']['read'].get('max_ms')} ms"
        )
        print(json.dumps(figures))


if __name__ == "__main__":
    main()
