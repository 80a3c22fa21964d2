"""The background worker that empties the outbox over SMTP, with retries and backoff.

Each round claims a few due messages (see ``domain.email_outbox``), sends them
over a few SMTP connections at once and records the results a few at a time,
so that a crash can repeat only the few messages sent since the last record
(with the same Message-ID, for receivers to drop). A message recorded as sent
is never sent again. Several workers (one per server process) share the
outbox without sending a message twice.
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
class _Result:
    email: ClaimedEmail
    outcome: Outcome
    reason: str | None
    delay: timedelta | None = None  # None: the retry policy's


@dataclass(frozen=True, slots=True)
class WorkerOptions:
    poll_interval_s: float = 1.0
    claim_size: int = 40
    connections: int = 4  # SMTP connections a round sends over at once
    # Results stored per transaction; a crash may resend up to this many sent but unrecorded messages.
    record_every: int = 10
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
        stop_at = time.monotonic() + self.options.lease.total_seconds() / 2
        shares = [claimed[i :: self.options.connections] for i in range(self.options.connections)]
        results = await asyncio.gather(*(self._send_share(s, stop_at) for s in shares if s), return_exceptions=True)
        for result in results:
            if isinstance(result, BaseException):
                raise result

    async def _send_share(self, share: list[ClaimedEmail], stop_at: float) -> None:
        """Send over one connection, one message after another, recording results ``record_every`` at a time."""
        waiting, done = list(share), []
        hand_back = True
        try:
            async with connect(self.relay, self.sender, self.options.smtp_timeout_s) as connection:
                while waiting and time.monotonic() < stop_at and not self._stopping.is_set():
                    outcome, reason = await connection.send(waiting[0])
                    done.append(_Result(waiting.pop(0), outcome, reason))
                    if outcome is Outcome.RELAY_DOWN:
                        raise RelayUnavailable(reason or "connection lost")
                    if len(done) >= self.options.record_every:
                        await self._record(done)
                        done = []
        except RelayUnavailable as exc:
            logger.warning("mail relay unavailable (%s); %d e-mail(s) will be retried", exc, len(waiting))
            done += [_Result(e, Outcome.RELAY_DOWN, f"relay unavailable: {exc}") for e in waiting]
            waiting = []
        except Exception:
            hand_back = False  # a failure nobody expected: the lease retries the rest, not a tight loop
            raise
        finally:
            # Out of time, stopping, or cancelled by ``stop`` mid-message: hand the rest back at
            # once, for any worker, rather than holding it until the lease ends. A message
            # cancelled in flight may have reached the relay: it goes again, with the same
            # Message-ID for receivers to drop.
            if hand_back:
                done += [_Result(e, Outcome.RELAY_DOWN, None, timedelta(0)) for e in waiting]
            await self._record(done)

    async def _record(self, results: list[_Result]) -> None:
        """Store results in one transaction (each fenced by its claim)."""
        if not results:
            return
        policy, now = self.options.retry, utcnow()
        async with self.db.write_session() as session, session.begin():
            for result in results:
                email, attempts = result.email, result.email.token
                status = policy.next_status(result.outcome, email.deferrals)
                retry_at = None
                if status is EmailStatus.PENDING:
                    retry_at = now + (policy.delay(attempts) if result.delay is None else result.delay)
                if status is EmailStatus.FAILED:
                    logger.warning("e-mail %d to %s failed: %s", email.id, email.recipient, result.reason)
                deferred = result.outcome is Outcome.DEFERRED
                if not await outbox.record(session, email, status, now, retry_at, result.reason, deferred):
                    logger.warning("e-mail %d: claim expired before its result was recorded", email.id)
