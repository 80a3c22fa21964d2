"""Benchmark: how fast one outbox worker drains queued e-mails into an SMTP relay on loopback.

    /work/main/.venv/bin/python bench/outbox_drain.py [--emails 2000] [--workers 1] [--relay-process]

Queues N one-recipient messages in a fresh SQLite database, starts an aiosmtpd
relay on 127.0.0.1 that accepts everything, and times ``--workers`` outbox
workers (each with its own engine, as separate server processes would have)
until every message is recorded as sent. Prints messages per second.

By default the relay runs in this process (and takes CPU from the workers),
which lets the script check that each message arrived exactly once. With
``--relay-process`` it is aiosmtpd's Sink in a process of its own, and only
the outbox is checked (every message recorded as sent).
"""
from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, insert, select  # noqa: E402

from database import Database  # noqa: E402
from domain import email_outbox as outbox  # noqa: E402
from mail.render import EmailBody  # noqa: E402
from mail.smtp import Relay  # noqa: E402
from mail.worker import OutboxWorker, WorkerOptions  # noqa: E402
from models import OutboxEmail, utcnow  # noqa: E402
from tests.smtp_relay import RelayServer  # noqa: E402

BODY = EmailBody(subject="Promo code BENCH: 10% off", text="Hello\n" * 40, html="<p>Hello</p>" * 40)


async def run(emails: int, workers: int, relay_process: bool) -> float:
    relay = RelayServer()
    if relay_process:
        sink = subprocess.Popen(
            [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{relay.port}", "-c", "aiosmtpd.handlers.Sink"]
        )
        await asyncio.sleep(1.5)
    else:
        relay.start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            url = f"sqlite+aiosqlite:///{tmp}/drain.db"
            setup = Database(url)
            await setup.migrate()
            now = utcnow()
            async with setup.write_session() as session, session.begin():
                content_id = await outbox.store_content(session, BODY, now)
                rows = [
                    {"content_id": content_id, "recipient": f"r{i}@example.test", "status": "PENDING",
                     "attempts": 0, "next_attempt_at": now, "created_at": now}
                    for i in range(emails)
                ]
                await session.execute(insert(OutboxEmail), rows)
            engines = [Database(url) for _ in range(workers)]
            options = WorkerOptions(poll_interval_s=0.05)
            pool = [OutboxWorker(db, Relay.from_url(relay.url), "promo@bench.test", options) for db in engines]
            started = time.perf_counter()
            for worker in pool:
                worker.start()
            while True:
                async with setup.read_engine.connect() as conn:
                    left = await conn.scalar(
                        select(func.count()).select_from(OutboxEmail).where(OutboxEmail.status != "SENT")
                    )
                if not left:
                    break
                await asyncio.sleep(0.05)
            elapsed = time.perf_counter() - started
            for worker in pool:
                await worker.stop()
            for db in (*engines, setup):
                await db.dispose()
        if not relay_process:
            assert len(relay.inbox.delivered) == emails, "a message was lost or sent twice"
        return elapsed
    finally:
        if relay_process:
            sink.terminate()
            sink.wait()
        relay.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--emails", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--relay-process", action="store_true")
    args = parser.parse_args()
    elapsed = asyncio.run(run(args.emails, args.workers, args.relay_process))
    where = "relay in its own process" if args.relay_process else "relay in-process"
    print(f"{args.emails:,} e-mails, {args.workers} worker(s), {where}: {elapsed:.2f} s, {args.emails / elapsed:.0f} e-mails/s")


if __name__ == "__main__":
    main()
