"""Change events for subscriptions: "code 12's statistics changed", "batch 5 of notifications went out".

Subscribers in this process wait on a queue per (topic, key). On SQLite (one process)
a published event goes straight to them. On PostgreSQL it goes through
``NOTIFY``/``LISTEN``, so a purchase served by one worker reaches subscribers
connected to any other; each process keeps one listening connection and
reconnects by itself if the database goes away.
"""
from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import defaultdict
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from database import Database

logger = logging.getLogger("promo.broadcast")

TOPICS = ("promo_code_statistics", "notification_batches")
EVERY_KEY = "*"
RECONNECT_DELAY_S = 1.0


class Broadcast:
    def __init__(self, db: Database) -> None:
        self._db = db
        self._queues: dict[tuple[str, str], set[asyncio.Queue[str]]] = defaultdict(set)
        self._listener: asyncpg.Connection | None = None
        self._keeper: asyncio.Task[None] | None = None

    async def start(self) -> None:
        if not self._db.is_sqlite:
            await self._listen()
            self._keeper = asyncio.create_task(self._keep_listening())

    async def stop(self) -> None:
        if self._keeper is not None:
            self._keeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._keeper
        if self._listener is not None and not self._listener.is_closed():
            await self._listener.close()

    async def publish(self, topic: str, key: str | int) -> None:
        """Tell every subscriber of (topic, key), in every process; call it after the commit."""
        if self._db.is_sqlite:
            self._deliver(topic, str(key))
            return
        async with self._db.write_engine.connect() as conn:
            await conn.execute(select(func.pg_notify(topic, str(key))))
            await conn.commit()

    @contextlib.asynccontextmanager
    async def subscribe(self, topic: str, key: str | int = EVERY_KEY) -> AsyncIterator[asyncio.Queue[str]]:
        """A queue that receives the keys of (topic, key) events, or of every event of the topic, until the block ends."""
        queue: asyncio.Queue[str] = asyncio.Queue(maxsize=100)
        subscribers = self._queues[(topic, str(key))]
        subscribers.add(queue)
        try:
            yield queue
        finally:
            subscribers.discard(queue)
            if not subscribers:
                self._queues.pop((topic, str(key)), None)

    def _deliver(self, topic: str, key: str) -> None:
        for queue in (*self._queues.get((topic, key), ()), *self._queues.get((topic, EVERY_KEY), ())):
            if queue.full():  # a subscriber this far behind is sent the figures as they are when it catches up
                continue
            queue.put_nowait(key)

    def _on_notify(self, _conn: Any, _pid: int, channel: str, payload: str) -> None:
        self._deliver(channel, payload)

    async def _listen(self) -> None:
        dsn = make_url(self._db.url).set(drivername="postgresql").render_as_string(hide_password=False)
        connection = await asyncpg.connect(dsn)
        for topic in TOPICS:
            await connection.add_listener(topic, self._on_notify)
        self._listener = connection

    async def _keep_listening(self) -> None:
        while True:
            await asyncio.sleep(RECONNECT_DELAY_S)
            if self._listener is not None and not self._listener.is_closed():
                continue
            try:
                await self._listen()
                logger.info("listening for change events again")
            except (OSError, asyncpg.PostgresError) as exc:
                logger.warning("cannot listen for change events yet: %s", exc)
