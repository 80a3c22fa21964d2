"""Soak: mixed traffic against a live multi-worker server on PostgreSQL, then invariant checks.

    python bench/soak.py --database-url postgresql+asyncpg://postgres@127.0.0.1:5432/DB --seconds 180

THE DATABASE IS EMPTIED FIRST: give it a scratch database. The server runs ``--workers``
uvicorn processes on 127.0.0.1, each with its outbox worker, sending to a local SMTP relay
(aiosmtpd). ``--concurrency`` loops send dashboard queries, applies, purchases (10 % of them
retries of earlier ones), client pages and notifications (e-mail and pop-up) for ``--seconds``.
Afterwards, once the outbox has drained: no code over its per-client limit, use counts and
statistics equal to the rows (in the tables and through the API), one purchase per idempotency
key, every e-mail sent and received exactly once, and no 5xx or masked error. Exit 1 if any fails.
``--relay-outage-s N`` stops the SMTP relay for N seconds a third of the way in: e-mails queued
meanwhile must still go out, once each.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx  # noqa: E402
from aiosmtpd.controller import Controller  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from bench.soak_invariants import violations  # noqa: E402
from bench.soak_traffic import drive, set_up  # noqa: E402
from database import Database  # noqa: E402
from domain.email_delivery import EmailStatus  # noqa: E402
from models import OutboxEmail  # noqa: E402
from tests.api import Api  # noqa: E402
from tests.conftest import _empty_tables  # noqa: E402
from tests.live_server import free_port, live_server  # noqa: E402
from tests.smtp_relay import Inbox  # noqa: E402

SECRET = "soak-secret-0123456789abcdef-0123456789"


async def drained(db: Database, timeout_s: float) -> int:
    """Waits until no e-mail is waiting to be sent; the number still waiting when it gives up."""
    deadline = time.monotonic() + timeout_s
    while True:
        async with db.read_session() as session:
            waiting = await session.scalar(
                select(func.count()).select_from(OutboxEmail).where(OutboxEmail.status != EmailStatus.SENT.value)
            )
        if not waiting or time.monotonic() > deadline:
            return waiting or 0
        await asyncio.sleep(0.5)


def message_ids(inbox: Inbox) -> list[str]:
    return [str(d.message["Message-ID"]).strip("<>").partition("@")[0] for d in inbox.delivered]


class Relay:
    """The local SMTP relay, which can be taken down for a while and brought back on the same port."""

    def __init__(self, inbox: Inbox) -> None:
        self.inbox = inbox
        self.port = free_port()
        self.outages = 0
        self._controller: Controller | None = self._start()

    def _start(self) -> Controller:
        controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        controller.start()
        return controller

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    async def outage(self, after_s: float, lasting_s: float) -> None:
        await asyncio.sleep(after_s)
        self.stop()
        self.outages += 1
        await asyncio.sleep(lasting_s)
        self._controller = self._start()


async def soak(args: argparse.Namespace) -> int:
    db = Database(args.database_url)
    await db.migrate()
    await _empty_tables(db)
    inbox = Inbox()
    relay = Relay(inbox)
    os.environ["PROMO_SMTP_URL"] = f"smtp://127.0.0.1:{relay.port}"
    rng = random.Random(args.seed)
    try:
        with live_server(args.database_url, SECRET, workers=args.workers) as base:
            async with httpx.AsyncClient(base_url=base, timeout=30) as client:
                api = Api(client, SECRET)
                world = await set_up(api, args.clients, rng)
                started = time.monotonic()
                outage = asyncio.create_task(relay.outage(args.seconds / 3, args.relay_outage_s)) if args.relay_outage_s else None
                tally = await drive(base, SECRET, world, args.seconds, args.concurrency, args.seed)
                if outage:
                    await outage
                elapsed = time.monotonic() - started
                still_waiting = await drained(db, args.drain_s)
                broken = await violations(db, api, world.codes, message_ids(inbox))
    finally:
        relay.stop()
        await db.dispose()
    broken["no 5xx, masked error or traceback"] = tally.server_errors
    broken["outbox drained"] = [f"{still_waiting} e-mails still waiting"] if still_waiting else []
    latencies = sorted(tally.latencies_ms)
    report = {
        "seconds": round(elapsed, 1),
        "workers": args.workers,
        "concurrency": args.concurrency,
        "requests": dict(tally.requests),
        "requests_per_s": round(len(latencies) / elapsed, 1),
        "latency_ms": {
            "median": round(statistics.median(latencies), 1),
            "p95": round(latencies[int(len(latencies) * 0.95)], 1),
            "max": round(latencies[-1], 1),
        },
        "http_statuses": {str(k): v for k, v in tally.statuses.items()},
        "purchase_outcomes": dict(tally.outcomes),
        "relay_outages": [f"{args.relay_outage_s:g} s from {args.seconds / 3:.0f} s"] if relay.outages else [],
        "emails_received": len(inbox.delivered),
        "invariants": {name: ("held" if not problems else problems[:10]) for name, problems in broken.items()},
    }
    print(json.dumps(report, indent=2))
    return 1 if any(broken.values()) else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", required=True, help="a scratch PostgreSQL database: it is emptied")
    parser.add_argument("--seconds", type=float, default=180)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--clients", type=int, default=12)
    parser.add_argument("--drain-s", type=float, default=120)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--relay-outage-s", type=float, default=0, help="stop the SMTP relay this long, a third of the way in")
    sys.exit(asyncio.run(soak(parser.parse_args())))


if __name__ == "__main__":
    main()
