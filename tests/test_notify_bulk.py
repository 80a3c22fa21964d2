"""Chunked notification writes: nothing shows or goes out until the whole batch is recorded."""
from contextlib import asynccontextmanager
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from domain import email_outbox as outbox
from domain.errors import DomainError, ErrorCode
from domain.notification_discard import discard_abandoned
from domain.notification_store import notify
from domain.notifications import NotificationChannel, Targets
from mail.startup import transactions
from models import EmailContent, Notification, NotificationBatch, OutboxEmail, utcnow
from schema.node import pk_of
from tests.notifying import (
    batches,
    create_client,
    create_code,
    events,
    lifecycle,
    my_notifications,
    my_popups,
)

BOTH = {NotificationChannel.EMAIL, NotificationChannel.POPUP}


async def _open_gate(session) -> None:
    return None


def _after_each_commit(db, check):
    """A transaction factory that runs ``check(n)`` after the n-th transaction has committed."""
    begin = transactions(db)
    committed = 0

    @asynccontextmanager
    async def transaction():
        nonlocal committed
        async with begin() as session:
            yield session
        committed += 1
        await check(committed)

    return transaction


async def _rows(db) -> dict[str, int]:
    async with db.read_engine.connect() as conn:
        return {
            model.__tablename__: await conn.scalar(select(func.count()).select_from(model))
            for model in (NotificationBatch, Notification, OutboxEmail, EmailContent)
        }


async def _notify_everyone(db, code_id: str, check, now=None):
    """``notify`` with ``check(n)`` run after the n-th transaction commits."""
    transaction = _after_each_commit(db, check)
    code_pk = pk_of(code_id, "PromoCode")
    return await notify(transaction, _open_gate, code_pk, Targets(all_clients=True), BOTH, "x", now or utcnow())


async def _setup(api, monkeypatch) -> int:
    monkeypatch.setattr("domain.notification_store.CHUNK_SIZE", 1)
    code_id = await create_code(api)
    for x in ("a", "b", "c"):
        await create_client(api, x)
    return code_id


async def test_a_batch_is_invisible_until_published(api, db, monkeypatch):
    code_id = await _setup(api, monkeypatch)
    seen: list[tuple[int, int, int, bool]] = []

    async def check(committed: int) -> None:
        async with db.read_session() as session:
            due = await outbox.has_due(session, utcnow())
        counts = await _rows(db)
        seen.append((committed, counts["notifications"], (await my_notifications(api, "a"))["totalCount"], due))
        assert await my_popups(api, "a") == [] or committed == 6
        assert await batches(api, code_id) == [] or committed == 6

    batch = await _notify_everyone(db, code_id, check)
    assert batch.recipient_count == 3
    # prepare, a chunk per client, an empty chunk that ends the loop, publish:
    # rows grow while clients and outbox workers see nothing until the end
    assert seen == [
        (1, 0, 0, False), (2, 1, 0, False), (3, 2, 0, False), (4, 3, 0, False), (5, 3, 0, False), (6, 3, 1, True)
    ]


async def test_a_batch_that_fails_half_way_leaves_nothing(api, db, monkeypatch):
    code_id = await _setup(api, monkeypatch)

    async def disable_after_first_chunk(committed: int) -> None:
        if committed == 2:
            await lifecycle(api, "disablePromoCode", code_id)

    with pytest.raises(DomainError) as raised:
        await _notify_everyone(db, code_id, disable_after_first_chunk)
    assert raised.value.errors[0].code is ErrorCode.INVALID_TRANSITION
    assert await _rows(db) == {"notification_batches": 0, "notifications": 0, "email_outbox": 0, "email_contents": 0}
    assert "NOTIFIED" not in [e["action"] for e in await events(api, code_id)]


async def test_batches_abandoned_by_a_stopped_process_are_swept(api, db, monkeypatch):
    code_id = await _setup(api, monkeypatch)
    old = utcnow() - timedelta(hours=1)

    async def die_before_publishing(committed: int) -> None:
        if committed == 5:  # every chunk is written; the process "dies" before publishing
            raise SystemExit

    for created in (old, utcnow()):
        with pytest.raises(SystemExit):
            await _notify_everyone(db, code_id, die_before_publishing, created)
    assert (await _rows(db))["notifications"] == 6

    assert await discard_abandoned(transactions(db), utcnow()) == 1
    assert await _rows(db) == {"notification_batches": 1, "notifications": 3, "email_outbox": 3, "email_contents": 1}
    assert (await my_notifications(api, "a"))["totalCount"] == 0


async def test_a_failure_after_publishing_keeps_the_batch(api, db, monkeypatch):
    code_id = await _setup(api, monkeypatch)

    async def fail_after_publish(committed: int) -> None:
        if committed == 6:
            raise RuntimeError("connection dropped after the commit")

    with pytest.raises(RuntimeError):
        await _notify_everyone(db, code_id, fail_after_publish)
    assert (await my_notifications(api, "a"))["totalCount"] == 1
    assert (await _rows(db))["email_outbox"] == 3
