"""Latency of a promo code's statistics (and of the dashboard query) on a large database.

    python bench/statistics_latency.py [--clients 100000] [--redemptions 1000000] [--requests 300] [--database-url URL]

Seeds a fresh SQLite database with bench/seed.py (50 codes, 5 challenges), unless
``--database-url`` names one already seeded, then sends the queries one at a time
through the app's GraphQL endpoint in-process (one event loop, like one uvicorn
worker) as staff with READ_PROMO_CODES, for random codes, and prints the median,
p90 and p99 of each.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
from asgi_lifespan import LifespanManager  # noqa: E402

from auth import mint_token  # noqa: E402
from server import create_app  # noqa: E402
from settings import Settings  # noqa: E402

SECRET = "statistics-bench-secret-0123456789abcdef"
STATISTICS = (
    "query S($code: String!) { promoCode(code: $code) { statistics { totalRedeemed uniqueClients notifiedClients "
    "totalDiscount { amount currency } lastRedeemedAt } } }"
)
DASHBOARD = (
    "query D($code: String!) { promoCode(code: $code) { code statistics { totalRedeemed uniqueClients } "
    "clients(first: 20) { totalCount edges { node { client { externalId name } status timesRedeemed "
    "redemptions { challenge { name price { amount currency } } } } } } } }"
)


def percentile(values: list[float], q: float) -> float:
    return sorted(values)[min(len(values) - 1, int(q * len(values)))]


async def measure(url: str, requests: int) -> dict[str, dict[str, float]]:
    app = create_app(Settings(database_url=url, jwt_secret=SECRET))
    token = mint_token(SECRET, "bench-analyst", "staff", ["READ_PROMO_CODES"])
    headers = {"Authorization": f"Bearer {token}"}
    rng = random.Random(7)
    results = {}
    async with LifespanManager(app) as manager:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=manager.app), base_url="http://bench") as client:
            for name, query in (("statistics", STATISTICS), ("dashboard", DASHBOARD)):
                timings = []
                for i in range(requests + 20):
                    code = "BENCH" if rng.random() < 0.2 else f"BENCH{rng.randint(2, 50):03d}"
                    started = time.perf_counter()
                    response = await client.post("/graphql", json={"query": query, "variables": {"code": code}}, headers=headers)
                    elapsed = (time.perf_counter() - started) * 1000
                    body = response.json()
                    assert "errors" not in body and body["data"]["promoCode"] is not None, body
                    if i >= 20:  # the first ones warm the caches up
                        timings.append(elapsed)
                results[name] = {
                    "median_ms": round(statistics.median(timings), 2),
                    "p90_ms": round(percentile(timings, 0.9), 2),
                    "p99_ms": round(percentile(timings, 0.99), 2),
                }
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=100_000)
    parser.add_argument("--redemptions", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--database-url", help="an already seeded database (skips seeding)")
    args = parser.parse_args()
    url = args.database_url
    if url is None:
        path = Path(tempfile.mkdtemp(prefix="promo_stats.")) / "bench.db"
        url = f"sqlite+aiosqlite:///{path}"
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, str(ROOT / "bench" / "seed.py"), "--database-url", url, "--clients", str(args.clients),
             "--challenges", "5", "--codes", "50", "--redemptions", str(args.redemptions)],
            check=True,
        )
        print(f"seeded {args.redemptions:,} redemptions over {args.clients:,} clients in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    print(json.dumps({"database": url, "requests": args.requests, **asyncio.run(measure(url, args.requests))}))


if __name__ == "__main__":
    main()
