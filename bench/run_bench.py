"""Purchase throughput and latency of the project's server, measured with Debian's wrk.

    python bench/run_bench.py --engine sqlite
    python bench/run_bench.py --engine postgresql --database-url postgresql+asyncpg://postgres@127.0.0.1/bench --reset

Seeds a fresh database with bench/seed.py (1,000 clients, 5 challenges, 50 codes,
20,000 redemptions), starts ``uvicorn server:app`` on 127.0.0.1, warms it up
(every client in turn, so that its externalId is known), then drives ``purchaseChallenge`` (code BENCH, random seeded client and challenge,
fresh idempotency key) at 32 connections for a bounded time, and prints one
JSON line: purchases/s, p50/p99 latency, errors. ``--reset`` DROPS the
PostgreSQL database's public schema first. On 2 cores with one worker, the
server is pinned to cpu0 and wrk to cpu1 (as ../shared/bench does).
"""
from __future__ import annotations

import argparse
import base64
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from auth import mint_token  # noqa: E402

MAX_DURATION_S = 120


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def reset_postgres(url: str) -> None:
    import asyncio

    from sqlalchemy import text

    from database import Database

    async def drop() -> None:
        db = Database(url)
        async with db.write_engine.begin() as conn:
            await conn.execute(text("DROP SCHEMA public CASCADE"))
            await conn.execute(text("CREATE SCHEMA public"))
        await db.dispose()

    asyncio.run(drop())


def pinned(command: list[str], cpu: str, enabled: bool) -> list[str]:
    return ["taskset", "-c", cpu, *command] if enabled else command


def wait_healthy(base: str, process: subprocess.Popen, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=1) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit("server did not become healthy")


def run_wrk(args: argparse.Namespace, base: str, env: dict[str, str], seconds: int, pin: bool) -> dict:
    command = pinned(
        ["wrk", "-t1", f"-c{args.connections}", f"-d{seconds}s", "--timeout", "10s",
         "-s", str(ROOT / "bench" / "purchase.lua"), f"{base}/graphql"],
        "1", pin,
    )
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=seconds + 60)
    if done.returncode != 0:
        raise SystemExit(f"wrk failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    out = done.stdout
    line = next(l for l in out.splitlines() if l.startswith("BENCH_RESULT "))
    result = json.loads(line.removeprefix("BENCH_RESULT "))
    result["rps"] = round(result["requests"] / result["duration_s"], 1)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--engine", choices=["sqlite", "postgresql"], required=True)
    parser.add_argument("--database-url", help="PostgreSQL only: an empty database (or pass --reset)")
    parser.add_argument("--reset", action="store_true", help="drop the PostgreSQL database's public schema first")
    parser.add_argument("--workers", type=int, help="uvicorn workers (default: 1 on SQLite, 2 on PostgreSQL)")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=10, help="seconds, taking the clients in turn")
    parser.add_argument("--clients", type=int, default=1000)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk not found: apt-get install wrk")
    if not 1 <= args.duration <= MAX_DURATION_S:
        raise SystemExit(f"--duration is 1 to {MAX_DURATION_S} s")
    workers = args.workers or (1 if args.engine == "sqlite" else 2)
    workdir = Path(tempfile.mkdtemp(prefix="promo_bench."))
    if args.engine == "sqlite":
        url = f"sqlite+aiosqlite:///{workdir / 'bench.db'}"
    else:
        if not args.database_url:
            raise SystemExit("--database-url is required for PostgreSQL")
        url = args.database_url
        if args.reset:
            reset_postgres(url)
    seed = [sys.executable, str(ROOT / "bench" / "seed.py"), "--database-url", url, "--clients", str(args.clients)]
    subprocess.run(seed, check=True)

    secret = secrets.token_hex(32)
    tokens = workdir / "tokens.txt"
    tokens.write_text("\n".join(mint_token(secret, f"bench-{i}", "client", ttl_s=None) for i in range(1, args.clients + 1)))
    challenges = ",".join(base64.b64encode(f"PropChallenge:{i}".encode()).decode() for i in range(1, 6))
    pin = workers == 1 and shutil.which("taskset") is not None and (os.cpu_count() or 1) >= 2
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server_env = os.environ | {"PROMO_DATABASE_URL": url, "PROMO_JWT_SECRET": secret}
    server = subprocess.Popen(
        pinned([sys.executable, "-m", "uvicorn", "server:app", "--host", "127.0.0.1", "--port", str(port),
                "--workers", str(workers), "--no-access-log", "--log-level", "warning"], "0", pin),
        cwd=ROOT, env=server_env, start_new_session=True,
    )
    try:
        wait_healthy(base, server)
        wrk_env = os.environ | {"BENCH_TOKENS": str(tokens), "BENCH_CHALLENGES": challenges}
        if args.warmup:
            run_wrk(args, base, wrk_env | {"BENCH_KEY_PREFIX": "warm", "BENCH_SEQUENTIAL": "1"}, args.warmup, pin)
        result = run_wrk(args, base, wrk_env | {"BENCH_KEY_PREFIX": "measure"}, args.duration, pin)
    finally:
        os.killpg(server.pid, signal.SIGTERM)  # only the process group started above
        server.wait(timeout=30)
        shutil.rmtree(workdir, ignore_errors=True)
    result.update(engine=args.engine, workers=workers, connections=args.connections, pinned=pin)
    print(json.dumps(result))
    print(
        f"{args.engine}, {workers} worker(s), {args.connections} connections: {result['rps']} purchases/s, "
        f"p50 {result['p50_ms']} ms, p99 {result['p99_ms']} ms, errors {result['errors']}",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
