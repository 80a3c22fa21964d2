"""What the request middleware and the operation-label extension cost per GraphQL request.

Runs the app in-process (httpx's ASGI transport, no sockets) on a scratch
SQLite file, against a copy of the app without the ops layer, in interleaved
blocks so that drift in machine speed hits both alike. The access log is on
(JSON, written to /dev/null). Prints the median time per request of each and
the difference (CPU time, see _timed), then the cost of each piece measured alone (steadier on a
busy machine than the end-to-end difference).

    python bench/ops_overhead.py [--requests 3000] [--blocks 6]
"""
from __future__ import annotations

import argparse
import asyncio
import logging
import os
import statistics
import sys
import tempfile
import time
import timeit
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx  # noqa: E402
import strawberry  # noqa: E402
from strawberry.extensions import ParserCache, ValidationCache  # noqa: E402
from asgi_lifespan import LifespanManager  # noqa: E402

from auth import Permission, mint_token  # noqa: E402
from ops import metrics  # noqa: E402
from ops.json_logs import JsonFormatter  # noqa: E402
from ops.request_info import request_id_from  # noqa: E402
from ops.graphql_extension import OperationLabels  # noqa: E402
from schema.build import PromoSchema, schema  # noqa: E402
from server import create_app  # noqa: E402
from settings import Settings  # noqa: E402

SECRET = "bench-secret-0123456789abcdef-0123456789"
BODY = {"query": "query WhoAmI { viewer { subject permissions } }"}


def _without_ops(settings: Settings):  # type: ignore[no-untyped-def]
    app = create_app(settings)
    app.user_middleware = []  # the middleware stack is built on the first call
    graphql = next(r for r in app.routes if getattr(r, "path", None) == "/graphql").app
    graphql.schema = PromoSchema(
        query=schema.query, mutation=schema.mutation, scalar_overrides=None,
        extensions=[e for e in schema.extensions if e is not OperationLabels],
    )
    graphql.schema._schema = schema._schema  # same types, scalars and caches as the real one
    return app


async def _timed(client: httpx.AsyncClient, headers: dict[str, str], n: int) -> float:
    # CPU time of this process (all its threads, aiosqlite's included), not wall time:
    # on a shared machine other processes' work would swamp a difference this small.
    started = time.process_time()
    for _ in range(n):
        response = await client.post("/graphql", json=BODY, headers=headers)
        assert response.status_code == 200 and "errors" not in response.json(), response.text
    return (time.process_time() - started) / n * 1e6


async def main(requests: int, blocks: int) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        settings = Settings(database_url=f"sqlite+aiosqlite:///{scratch}/bench.db", jwt_secret=SECRET)
        headers = {"Authorization": "Bearer " + mint_token(SECRET, "bench", "staff", [p.value for p in Permission])}
        apps = {"with ops": create_app(settings), "without ops": _without_ops(settings)}
        results: dict[str, list[float]] = {name: [] for name in apps}
        async with LifespanManager(apps["with ops"]) as a, LifespanManager(apps["without ops"]) as b:
            clients = {
                "with ops": httpx.AsyncClient(transport=httpx.ASGITransport(app=a.app), base_url="http://bench"),
                "without ops": httpx.AsyncClient(transport=httpx.ASGITransport(app=b.app), base_url="http://bench"),
            }
            for client in clients.values():
                await _timed(client, headers, 200)  # warm-up: caches, pools
            per_block = requests // blocks
            for block in range(blocks):
                order = list(clients) if block % 2 == 0 else list(reversed(clients))
                for name in order:
                    results[name].append(await _timed(clients[name], headers, per_block))
            for client in clients.values():
                await client.aclose()
    with_ops, without = (statistics.median(results[k]) for k in ("with ops", "without ops"))
    for name, values in results.items():
        print(f"{name:12s} median {statistics.median(values):7.1f} us CPU/request  blocks: "
              + " ".join(f"{v:.0f}" for v in values))
    print(f"ops layer: {with_ops - without:+.1f} us CPU/request ({(with_ops / without - 1) * 100:+.1f} %)")


def components(n: int = 20000) -> None:
    handler = logging.StreamHandler(open(os.devnull, "w"))
    handler.setFormatter(JsonFormatter())
    log = logging.getLogger("bench.access")
    log.addHandler(handler)
    log.propagate = False
    log.setLevel(logging.INFO)
    fields = {"method": "POST", "path": "/graphql", "status": 200, "duration_ms": 1.2,
              "operation": "WhoAmI", "operation_type": "query", "graphql_errors": False}

    def record_metrics() -> None:
        metrics.HTTP_REQUESTS.labels("/graphql", "200").inc()
        metrics.GRAPHQL_REQUESTS.labels("WhoAmI", "query", "ok").inc()
        metrics.GRAPHQL_LATENCY.labels("WhoAmI", "query").observe(0.001)

    pieces = {
        "JSON access line": lambda: log.info("%s %s %s", "POST", "/graphql", 200, extra={"fields": fields}),
        "metrics (3 series)": record_metrics,
        "new request id": lambda: request_id_from(None),
    }
    for name, piece in pieces.items():
        print(f"  {name:20s} {timeit.timeit(piece, number=n) / n * 1e6:6.1f} us")
    print(f"  {'label extension':20s} {asyncio.run(_extension_cost()):6.1f} us")


async def _extension_cost(n: int = 2000, rounds: int = 10) -> float:
    """Median extra time of ``schema.execute`` on a one-field schema when OperationLabels is added."""

    @strawberry.type
    class Query:
        x: int = 1

    # The real schema has extensions already (caches, masking); adding one to none would measure more.
    caches = [lambda: ParserCache(maxsize=16), lambda: ValidationCache(maxsize=16)]
    bare = strawberry.Schema(query=Query, extensions=caches)
    labelled = strawberry.Schema(query=Query, extensions=[*caches, OperationLabels])

    async def per_call(target: strawberry.Schema) -> float:
        started = time.perf_counter()
        for _ in range(n):
            await target.execute("query A { x }", root_value=Query())
        return (time.perf_counter() - started) / n * 1e6

    await per_call(bare), await per_call(labelled)  # warm-up
    differences = [await per_call(labelled) - await per_call(bare) for _ in range(rounds)]
    return statistics.median(differences)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--blocks", type=int, default=6)
    args = parser.parse_args()
    sys.stderr = open(os.devnull, "w")  # the JSON access log goes nowhere, but is still formatted
    asyncio.run(main(args.requests, args.blocks))
    print("pieces, each alone:")
    components()
