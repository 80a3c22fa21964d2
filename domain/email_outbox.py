"""The outbox in SQL: messages are written with the data they announce and claimed by workers.

A worker claims due messages by pushing ``next_attempt_at`` to the end of a
lease and counting the attempt; ``attempts`` is the claim's fencing token, so a
result is recorded only by the worker that still holds the message, and a
message recorded as sent is never claimed again. On PostgreSQL concurrent
workers skip each other's rows (``FOR UPDATE SKIP LOCKED``); on SQLite the
single write connection (``BEGIN IMMEDIATE``) serializes the claims.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Select, exists, func, insert, literal, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.email_delivery import EmailStatus
from mail.render import EmailBody
from models import EmailContent, NotificationBatch, OutboxEmail, UTCDateTime

logger = logging.getLogger("promo.outbox")


@dataclass(frozen=True, slots=True)
class ClaimedEmail:
    id: int
    token: int  # ``attempts`` after the claim
    deferrals: int  # times the relay said "try later" before this claim
    recipient: str
    recipient_name: str | None
    content_id: int
    subject: str
    text: str
    html: str


async def store_content(session: AsyncSession, body: EmailBody, now: datetime) -> int:
    content = EmailContent(subject=body.subject, text_body=body.text, html_body=body.html, created_at=now)
    session.add(content)
    await session.flush()
    return content.id


async def enqueue_one(session: AsyncSession, body: EmailBody, recipient: str, now: datetime) -> None:
    content_id = await store_content(session, body, now)
    session.add(
        OutboxEmail(
            content_id=content_id,
            recipient=recipient,
            status=EmailStatus.PENDING.value,
            attempts=0,
            next_attempt_at=now,
            created_at=now,
        )
    )
    await session.flush()
    logger.info("queued e-mail %r to %s", body.subject, recipient)


async def enqueue_many(
    session: AsyncSession, content_id: int, batch_id: int, recipients: Select[tuple[str, str]], now: datetime
) -> int:
    """One message per row of ``recipients`` (address, name), in one INSERT ... SELECT."""
    columns = recipients.selected_columns
    rows = recipients.with_only_columns(
        literal(content_id),
        literal(batch_id),
        columns[0],
        columns[1],
        literal(EmailStatus.PENDING.value),
        literal(0),
        literal(now, UTCDateTime()),
        literal(now, UTCDateTime()),
    )
    names = ["content_id", "batch_id", "recipient", "recipient_name", "status", "attempts", "next_attempt_at", "created_at"]
    result = await session.execute(insert(OutboxEmail).from_select(names, rows))
    return result.rowcount


def _due(now: datetime) -> Select[tuple[int, int]]:
    # A batch's messages wait until the batch is published (all of it recorded).
    published = exists().where(NotificationBatch.id == OutboxEmail.batch_id, NotificationBatch.published_at.is_not(None))
    # Inline, not a bound parameter: a generic PostgreSQL plan could not match the partial index.
    pending = literal(EmailStatus.PENDING.value, literal_execute=True)
    return select(OutboxEmail.id, OutboxEmail.attempts).where(
        OutboxEmail.status == pending,
        OutboxEmail.next_attempt_at <= now,
        or_(OutboxEmail.batch_id.is_(None), published),
    )


async def has_due(session: AsyncSession, now: datetime) -> bool:
    return await session.scalar(_due(now).limit(1)) is not None


async def claim(session: AsyncSession, now: datetime, limit: int, lease: timedelta) -> list[ClaimedEmail]:
    """Take up to ``limit`` due messages for the length of ``lease``; call inside a write transaction."""
    statement = _due(now).order_by(OutboxEmail.next_attempt_at, OutboxEmail.id).limit(limit)
    rows = (await session.execute(statement.with_for_update(skip_locked=True, of=OutboxEmail))).all()
    if not rows:
        return []
    ids = [r.id for r in rows]
    await session.execute(
        update(OutboxEmail)
        .where(OutboxEmail.id.in_(ids))
        .values(attempts=OutboxEmail.attempts + 1, next_attempt_at=now + lease)
    )
    loaded = await session.execute(
        select(OutboxEmail, EmailContent)
        .join(EmailContent, EmailContent.id == OutboxEmail.content_id)
        .where(OutboxEmail.id.in_(ids))
        .order_by(OutboxEmail.id)
        .execution_options(populate_existing=True)
    )
    return [
        ClaimedEmail(e.id, e.attempts, e.deferrals, e.recipient, e.recipient_name, c.id, c.subject, c.text_body, c.html_body)
        for e, c in loaded.all()
    ]


async def record(
    session: AsyncSession,
    email: ClaimedEmail,
    status: EmailStatus,
    now: datetime,
    retry_at: datetime | None = None,
    error: str | None = None,
    deferred: bool = False,
) -> bool:
    """Store the result of a claim; False when the claim was lost (lease over, another worker took it)."""
    values: dict[str, object] = {"status": status.value, "last_error": error}
    if deferred:
        values["deferrals"] = OutboxEmail.deferrals + 1
    if status is EmailStatus.SENT:
        values["sent_at"] = now
    if retry_at is not None:
        values["next_attempt_at"] = retry_at
    result = await session.execute(
        update(OutboxEmail)
        .where(
            OutboxEmail.id == email.id,
            OutboxEmail.status == EmailStatus.PENDING.value,
            OutboxEmail.attempts == email.token,
        )
        .values(**values)
    )
    return result.rowcount == 1


async def counts_by_batch(session: AsyncSession, batch_ids: Iterable[int]) -> dict[int, dict[EmailStatus, int]]:
    rows = await session.execute(
        select(OutboxEmail.batch_id, OutboxEmail.status, func.count())
        .where(OutboxEmail.batch_id.in_(list(batch_ids)))
        .group_by(OutboxEmail.batch_id, OutboxEmail.status)
    )
    counts: dict[int, dict[EmailStatus, int]] = {}
    for batch_id, status, count in rows.all():
        counts.setdefault(batch_id, {})[EmailStatus(status)] = count
    return counts


async def delete_of_batch(session: AsyncSession, batch_id: int, limit: int) -> int:
    """Delete up to ``limit`` messages of a batch; the number deleted."""
    ids = select(OutboxEmail.id).where(OutboxEmail.batch_id == batch_id).limit(limit).scalar_subquery()
    result = await session.execute(OutboxEmail.__table__.delete().where(OutboxEmail.id.in_(ids)))
    return result.rowcount

