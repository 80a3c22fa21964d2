"""The background worker that empties the outbox over SMTP, with retries and backoff.

Each round claims a few due messages (see ``domain.email_outbox``), sends them
over one SMTP connection and records each result as soon as the relay has
answered, so that a crash can repeat at most the message in flight. Several
workers (one per server process) share the outbox without sending a message
twice.
"""
from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field
from datetime import timedelta

from database import Database
from domain import email_outbox as outbox
from domain.email_delivery import EmailStatus, Outcome, RetryPolicy
from domain.email_outbox import ClaimedEmail
from mail.smtp import Relay, RelayUnavailable, connect
from models import utcnow

logger = logging.getLogger("promo.mail")


@dataclass(frozen=True, slots=True)
class WorkerOptions:
    poll_interval_s: float = 1.0
    claim_size: int = 20
    smtp_timeout_s: float = 20.0
    # Longer than a round can take: the round stops sending at half of it.
    lease: timedelta = timedelta(minutes=10)
    retry: RetryPolicy = field(default_factory=RetryPolicy)


class OutboxWorker:
    def __init__(self, db: Database, relay: Relay, sender: str, options: WorkerOptions | None = None) -> None:
        self.db = db
        self.relay = relay
        self.sender = sender
        self.options = options or WorkerOptions()
        self._task: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()

    def start(self) -> None:
        self._stopping.clear()
        self._task = asyncio.create_task(self._run(), name="outbox-worker")

    async def stop(self, grace_s: float = 3.0) -> None:
        """Finish the message in flight and hand the rest of the round back; cancel after ``grace_s``."""
        if self._task is None:
            return
        self._stopping.set()
        try:
            await asyncio.wait_for(self._task, grace_s)
        except asyncio.TimeoutError:
            logger.warning("outbox worker did not stop within %.1f s; cancelled", grace_s)
        self._task = None

    async def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                handled = await self.deliver_due()
            except Exception:  # noqa: BLE001 - a database hiccup must not end the worker
                logger.exception("outbox round failed")
                handled = 0
            if not handled:
                try:
                    await asyncio.wait_for(self._stopping.wait(), self.options.poll_interval_s)
                except asyncio.TimeoutError:
                    pass

    async def deliver_due(self) -> int:
        """One round: claim due messages, send them, record each result; how many were claimed."""
        now = utcnow()
        async with self.db.read_session() as session:
            if not await outbox.has_due(session, now):
                return 0
        async with self.db.write_session() as session, session.begin():
            claimed = await outbox.claim(session, now, self.options.claim_size, self.options.lease)
        if claimed:
            await self._send(claimed)
        return len(claimed)

    async def _send(self, claimed: list[ClaimedEmail]) -> None:
        waiting = list(claimed)
        stop_at = time.monotonic() + self.options.lease.total_seconds() / 2
        try:
            async with connect(self.relay, self.sender, self.options.smtp_timeout_s) as connection:
                while waiting and time.monotonic() < stop_at and not self._stopping.is_set():
                    outcome, reason = await connection.send(waiting[0])
                    await self._record(waiting.pop(0), outcome, reason)
                    if outcome is Outcome.RELAY_DOWN:
                        raise RelayUnavailable(reason or "connection lost")
        except RelayUnavailable as exc:
            logger.warning("mail relay unavailable (%s); %d e-mail(s) will be retried", exc, len(waiting))
            for email in waiting:
                await self._record(email, Outcome.RELAY_DOWN, f"relay unavailable: {exc}")
            return
        for email in waiting:  # out of time, or stopping: hand them back at once, for any worker
            await self._record(email, Outcome.RELAY_DOWN, None, delay=timedelta(0))

    async def _record(
        self, email: ClaimedEmail, outcome: Outcome, reason: str | None, delay: timedelta | None = None
    ) -> None:
        policy = self.options.retry
        status = policy.next_status(outcome, email.token)
        now = utcnow()
        retry_at = None
        if status is EmailStatus.PENDING:
            retry_at = now + (policy.delay(email.token) if delay is None else delay)
        if status is EmailStatus.FAILED:
            logger.warning("e-mail %d to %s failed: %s", email.id, email.recipient, reason)
        async with self.db.write_session() as session, session.begin():
            kept = await outbox.record(session, email, status, now, retry_at, reason)
        if not kept:
            logger.warning("e-mail %d: claim expired before its result (%s) was recorded", email.id, outcome.value)
