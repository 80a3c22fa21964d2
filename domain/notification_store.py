"""Notifying a promo code: a batch, one notification per recipient and its e-mails, written in bulk.

Recipients are written in chunks of ``CHUNK_SIZE`` clients, each chunk in a
short transaction of its own, so that on SQLite (one writer at a time) other
requests get the write connection between chunks instead of waiting for the
whole batch. "Nothing sent unless all is recorded" still holds: the batch is
created unpublished, its notifications are invisible to clients and its
e-mails are not claimed by the outbox workers until ``_publish`` marks it
published, in one last transaction with the audit event. A batch that fails
half-way is deleted (``domain.notification_discard``).
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, insert, literal, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from domain import email_outbox as outbox
from domain.discounts import Discount
from domain.errors import ErrorCollector
from domain.notification_discard import Transaction, discard
from domain.notifications import (
    NotificationChannel,
    Offer,
    Targets,
    check_notifiable,
    check_request,
    message_of,
    title_of,
)
from domain.promo_code_store import live_code
from domain.promo_codes import EventAction, PromoCodeStatus
from domain.reference import MAX_IDS, _check_ids_exist as check_ids_exist
from mail.render import promo_code_email
from models import (
    Client,
    ClientGroup,
    ClientGroupMember,
    Notification,
    NotificationBatch,
    PromoCode,
    PromoCodeEvent,
    UTCDateTime,
    utcnow,
)

logger = logging.getLogger("promo.notifications")

CHUNK_SIZE = 5_000

Gate = Callable[[AsyncSession], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class _Plan:
    batch_id: int
    code_id: int
    recipients: ColumnElement[bool]  # which rows of ``clients``
    via_email: bool
    via_popup: bool
    title: str
    message: str
    content_id: int | None
    now: datetime


def offer_of(row: PromoCode) -> Offer:
    discount = Discount.from_storage(row.discount_method, row.discount_value_minor, row.currency)
    return Offer(row.code, row.name, discount, row.valid_from, row.valid_until, row.combinable_with_coupons)


async def notify(
    transaction: Transaction,
    gate: Gate,
    code_id: int | None,
    targets: Targets,
    channels: Collection[NotificationChannel],
    actor: str,
    now: datetime,
) -> NotificationBatch:
    """Notify the targeted clients of a promo code; the published batch, or a ``DomainError``."""
    async with transaction() as session:
        plan = await _prepare(session, gate, code_id, targets, set(channels), actor, now)
    try:
        count = await _write_recipients(transaction, plan, CHUNK_SIZE)
        async with transaction() as session:
            return await _publish(session, plan, count, actor)
    except Exception:
        await discard(transaction, plan.batch_id)
        raise


async def _prepare(
    session: AsyncSession,
    gate: Gate,
    code_id: int | None,
    targets: Targets,
    channels: set[NotificationChannel],
    actor: str,
    now: datetime,
) -> _Plan:
    await gate(session)
    code = await live_code(session, code_id, for_update=True)
    errors = ErrorCollector()
    check_notifiable(PromoCodeStatus(code.status), code.valid_until, now, errors)
    check_request(targets, channels, errors)
    client_ids = group_ids = []
    if len(targets.client_ids) <= MAX_IDS and len(targets.group_ids) <= MAX_IDS:
        client_ids = await check_ids_exist(session, Client, targets.client_ids, "clientIds", errors)
        group_ids = await check_ids_exist(session, ClientGroup, targets.group_ids, "clientGroupIds", errors)
    errors.raise_if_any()

    via_email, via_popup = NotificationChannel.EMAIL in channels, NotificationChannel.POPUP in channels
    batch = NotificationBatch(
        promo_code_id=code.id, via_email=via_email, via_popup=via_popup, created_by=actor, created_at=now
    )
    session.add(batch)
    await session.flush()
    offer = offer_of(code)
    title = title_of(offer)
    content_id = None
    if via_email:
        content_id = await outbox.store_content(session, promo_code_email(offer, title, now), now)
    return _Plan(
        batch_id=batch.id,
        code_id=code.id,
        recipients=_recipients(targets.all_clients, client_ids, group_ids),
        via_email=via_email,
        via_popup=via_popup,
        title=title,
        message=message_of(offer, now),
        content_id=content_id,
        now=now,
    )


def _recipients(all_clients: bool, client_ids: list[int], group_ids: list[int]) -> ColumnElement[bool]:
    """Each client once, however many ways it was targeted: a condition on the ``clients`` table."""
    if all_clients:
        return true()
    conditions: list[ColumnElement[bool]] = []
    if client_ids:
        conditions.append(Client.id.in_(client_ids))
    if group_ids:
        members = select(ClientGroupMember.client_id).where(ClientGroupMember.group_id.in_(group_ids))
        conditions.append(Client.id.in_(members))
    return or_(*conditions)


async def _write_recipients(transaction: Transaction, plan: _Plan, chunk_size: int) -> int:
    count, after = 0, 0
    while after is not None:
        async with transaction() as session:
            written, after = await _write_chunk(session, plan, after, chunk_size)
        count += written
        # Let a request waiting for the (SQLite) write connection have it before the next chunk.
        await asyncio.sleep(0)
    return count


async def _write_chunk(session: AsyncSession, plan: _Plan, after: int, size: int) -> tuple[int, int | None]:
    """Write the next ``size`` recipients after client id ``after``; their number and where to go on (None: done)."""
    window = select(Client.id).where(Client.id > after, plan.recipients).order_by(Client.id).limit(size).subquery()
    last, found = (await session.execute(select(func.max(window.c.id), func.count()).select_from(window))).one()
    if not found:
        return 0, None
    chunk = and_(Client.id > after, Client.id <= last, plan.recipients)
    rows = select(
        Client.id,
        literal(plan.batch_id),
        literal(plan.code_id),
        literal(plan.via_email),
        literal(plan.via_popup),
        literal(plan.title),
        literal(plan.message),
        literal(plan.now, UTCDateTime()),
    ).where(chunk)
    names = ["client_id", "batch_id", "promo_code_id", "via_email", "via_popup", "title", "message", "created_at"]
    written = (await session.execute(insert(Notification).from_select(names, rows))).rowcount
    if plan.content_id is not None:
        addresses = select(Client.email, Client.name).where(chunk)
        await outbox.enqueue_many(session, plan.content_id, plan.batch_id, addresses, plan.now)
    return written, (last if found == size else None)


async def _publish(session: AsyncSession, plan: _Plan, count: int, actor: str) -> NotificationBatch:
    """Make the batch visible and its e-mails deliverable: the one place where notifications go out.

    (Live delivery to subscribers, issue 5, hooks in right after this commits.)
    """
    code = await live_code(session, plan.code_id, for_update=True)
    errors = ErrorCollector()  # the code may have been disabled while the batch was written
    check_notifiable(PromoCodeStatus(code.status), code.valid_until, plan.now, errors)
    errors.raise_if_any()
    batch = await session.get_one(NotificationBatch, plan.batch_id)
    batch.recipient_count = count
    batch.published_at = utcnow()
    session.add(PromoCodeEvent(promo_code_id=code.id, action=EventAction.NOTIFIED.value, actor=actor, occurred_at=plan.now))
    await session.flush()
    logger.info(
        "promo code %s: batch %d published to %d client(s), %d e-mail(s) queued",
        code.code, batch.id, count, count if plan.via_email else 0,
    )
    return batch
