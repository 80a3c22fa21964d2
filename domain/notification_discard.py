"""Deleting a notification batch that was never published: a failed notify, or one whose process died."""
from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain import email_outbox as outbox
from models import EmailContent, Notification, NotificationBatch, OutboxEmail

logger = logging.getLogger("promo.notifications")

CHUNK_SIZE = 5_000
# Far longer than any batch takes to write; younger batches may still be in progress elsewhere.
ABANDONED_AFTER = timedelta(minutes=15)

Transaction = Callable[[], AbstractAsyncContextManager[AsyncSession]]


async def discard(transaction: Transaction, batch_id: int, chunk_size: int = CHUNK_SIZE) -> None:
    """Delete an unpublished batch and what was written of it, a chunk per transaction.

    A published batch is left alone: clients may have seen it and its e-mails may be out.
    """
    async with transaction() as session:
        batch = await session.get(NotificationBatch, batch_id)
        if batch is None or batch.published_at is not None:
            return
        content_id = await session.scalar(select(OutboxEmail.content_id).where(OutboxEmail.batch_id == batch_id).limit(1))
    while True:
        async with transaction() as session:
            gone = await outbox.delete_of_batch(session, batch_id, chunk_size)
            ids = select(Notification.id).where(Notification.batch_id == batch_id).limit(chunk_size).scalar_subquery()
            gone += (await session.execute(delete(Notification).where(Notification.id.in_(ids)))).rowcount
            if not gone:
                await session.execute(delete(NotificationBatch).where(NotificationBatch.id == batch_id))
                if content_id is not None:
                    await session.execute(delete(EmailContent).where(EmailContent.id == content_id))
                return


async def discard_abandoned(transaction: Transaction, now: datetime) -> int:
    """Delete batches left unpublished for ``ABANDONED_AFTER`` (their writer died); how many."""
    async with transaction() as session:
        stale = select(NotificationBatch.id).where(
            NotificationBatch.published_at.is_(None), NotificationBatch.created_at < now - ABANDONED_AFTER
        )
        batch_ids = list((await session.scalars(stale)).all())
    for batch_id in batch_ids:
        logger.warning("discarding notification batch %d, left unpublished by a stopped process", batch_id)
        await discard(transaction, batch_id)
    return len(batch_ids)
