"""What the server starts beside the API: the sweep of abandoned batches and the outbox worker."""
from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy.ext.asyncio import AsyncSession

from database import Database
from domain.notification_discard import discard_abandoned
from mail.smtp import Relay
from mail.worker import OutboxWorker, WorkerOptions
from models import utcnow
from settings import Settings

logger = logging.getLogger("promo.mail")


def transactions(db: Database):  # noqa: ANN201 - a domain.notification_discard.Transaction
    @asynccontextmanager
    async def transaction() -> AsyncIterator[AsyncSession]:
        async with db.write_session() as session, session.begin():
            yield session

    return transaction


async def start_background(settings: Settings, db: Database, options: WorkerOptions | None = None) -> OutboxWorker | None:
    """Sweep batches a stopped process left half-written, then start the worker (when SMTP is set)."""
    await discard_abandoned(transactions(db), utcnow())
    if settings.smtp_url is None:
        logger.warning("PROMO_SMTP_URL is not set: e-mails are kept in the outbox and logged, not sent")
        return None
    worker = OutboxWorker(db, Relay.from_url(settings.smtp_url), settings.email_from, options)
    worker.start()
    return worker
