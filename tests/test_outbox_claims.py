"""The outbox's claims against the database: no message twice, none lost, on SQLite and PostgreSQL."""
import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from database import Database
from domain import email_outbox as outbox
from domain.email_delivery import EmailStatus
from mail.render import EmailBody
from mail.smtp import Relay
from mail.worker import OutboxWorker
from models import OutboxEmail, utcnow
from tests.notifying import create_client, create_code, notify
from tests.smtp_relay import FAST, eventually, relay  # noqa: F401 - ``relay`` is a fixture

BODY = EmailBody(subject="Hello", text="Hello", html="<p>Hello</p>")


async def _enqueue(db: Database, *recipients: str) -> None:
    async with db.write_session() as session, session.begin():
        for recipient in recipients:
            await outbox.enqueue_one(session, BODY, recipient, utcnow())


async def _claim(db: Database, lease: timedelta = timedelta(minutes=1), limit: int = 10) -> list[outbox.ClaimedEmail]:
    async with db.write_session() as session, session.begin():
        return await outbox.claim(session, utcnow(), limit, lease)


async def _record(db: Database, email: outbox.ClaimedEmail, status: EmailStatus, retry_in: float | None = None) -> bool:
    now = utcnow()
    retry_at = None if retry_in is None else now + timedelta(seconds=retry_in)
    async with db.write_session() as session, session.begin():
        return await outbox.record(session, email, status, now, retry_at)


async def _statuses(db: Database) -> dict[str, tuple[str, int]]:
    async with db.read_session() as session:
        rows = (await session.scalars(select(OutboxEmail))).all()
    return {r.recipient: (r.status, r.attempts) for r in rows}


async def test_a_claimed_message_is_not_claimed_again_while_held(db):
    await _enqueue(db, "a@example.test", "b@example.test")
    first = await _claim(db, limit=1)
    second = await _claim(db)
    assert [e.recipient for e in first] == ["a@example.test"]
    assert [e.recipient for e in second] == ["b@example.test"]
    assert await _claim(db) == []


async def test_a_sent_message_is_never_claimed_or_changed_again(db):
    await _enqueue(db, "a@example.test")
    (email,) = await _claim(db)
    assert await _record(db, email, EmailStatus.SENT)
    async with db.write_engine.begin() as conn:  # even if its time comes round again
        await conn.execute(update(OutboxEmail).values(next_attempt_at=utcnow() - timedelta(days=1)))
    assert await _claim(db) == []
    assert not await _record(db, email, EmailStatus.PENDING, retry_in=0)
    assert await _statuses(db) == {"a@example.test": ("SENT", 1)}


async def test_a_lost_claim_cannot_overwrite_the_new_holder(db):
    """Worker A's lease runs out mid-send; B claims and sends; A's late result is ignored."""
    await _enqueue(db, "a@example.test")
    (held_by_a,) = await _claim(db, lease=timedelta(0))
    (held_by_b,) = await _claim(db)
    assert held_by_b.token == held_by_a.token + 1
    assert await _record(db, held_by_b, EmailStatus.SENT)
    assert not await _record(db, held_by_a, EmailStatus.PENDING, retry_in=0)
    assert await _statuses(db) == {"a@example.test": ("SENT", 2)}


async def test_a_crashed_claim_is_retried_after_its_lease(db, relay):
    relay.start()
    await _enqueue(db, "a@example.test")
    assert len(await _claim(db, lease=timedelta(milliseconds=200))) == 1  # then the worker "dies"
    worker = OutboxWorker(db, Relay.from_url(relay.url), "promo@broker.test", FAST)
    assert await worker.deliver_due() == 0
    await asyncio.sleep(0.25)
    assert await worker.deliver_due() == 1
    assert await _statuses(db) == {"a@example.test": ("SENT", 2)}
    assert len(relay.inbox.delivered) == 1


async def test_emails_of_an_unpublished_batch_wait(api, db):
    code_id = await create_code(api)
    await create_client(api, "a")
    await notify(api, code_id, allClients=True, channels=["EMAIL"])
    async with db.write_engine.begin() as conn:
        from models import NotificationBatch

        await conn.execute(update(NotificationBatch).values(published_at=None))
    assert await _claim(db) == []


async def test_concurrent_workers_send_each_message_once(settings, db, relay):
    """Two workers on two engines of their own, as two server processes would have, drain one outbox."""
    relay.start()
    recipients = [f"r{i}@example.test" for i in range(30)]
    first, second = Database(settings.database_url), Database(settings.database_url)
    try:
        await _enqueue(first, *recipients)
        workers = [OutboxWorker(db, Relay.from_url(relay.url), "promo@broker.test", FAST) for db in (first, second)]
        for worker in workers:
            worker.start()

        async def drained() -> bool:
            return all(status == "SENT" for status, _ in (await _statuses(first)).values())

        await eventually(drained)
        for worker in workers:
            await worker.stop()
    finally:
        await first.dispose()
        await second.dispose()
    delivered = sorted(d.rcpt_tos[0] for d in relay.inbox.delivered)
    assert delivered == sorted(recipients)


async def test_a_claim_skips_the_rows_another_worker_is_claiming(db):
    if db.is_sqlite:
        pytest.skip("SQLite has one writer: claims cannot overlap there")
    await _enqueue(db, *(f"r{i}@example.test" for i in range(6)))
    async with db.write_session() as first, first.begin():
        held = await outbox.claim(first, utcnow(), 3, timedelta(minutes=1))  # its row locks held until commit
        # Without SKIP LOCKED the second claim would wait for the first transaction.
        other = await asyncio.wait_for(_claim(db, limit=6), 5)
    assert len(held) == 3 and len(other) == 3
    assert not {e.id for e in held} & {e.id for e in other}
