"""Subscriptions: a code's figures after every change, and a client's new notifications.

The context of a WebSocket lives as long as its connection: each event reads
through fresh sessions and DataLoaders (``Context.forget_loaded``), so nothing
sent is stale and nothing is held between events.
"""
from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator

import strawberry

from auth import Permission
from domain.notification_queries import of_client
from domain.promo_code_queries import live_codes
from domain.statistics import statistics_of
from models import Notification as NotificationRow
from models import PromoCode as PromoCodeRow
from resolvers.context import Context, Info
from resolvers.guards import require_client, require_module, require_staff
from schema.errors import ApiError
from schema.node import pk_of
from schema.notification import Notification
from schema.statistics import PromoCodeStatistics

STATISTICS = "promo_code_statistics"
NOTIFICATION_BATCHES = "notification_batches"


def _drain(queue: asyncio.Queue[str]) -> list[str]:
    """Every event already waiting: one fresh read answers them all."""
    keys = []
    while not queue.empty():
        keys.append(queue.get_nowait())
    return keys


async def _figures(context: Context, code_pk: int) -> PromoCodeStatistics:
    async with context.services.db.read_session() as session:
        figures = await statistics_of(session, [code_pk])
    return PromoCodeStatistics.from_figures(figures[code_pk])


# Each subscription checks its caller and arguments in a plain coroutine, then returns the
# stream: an error raised there refuses the subscription with an `error` message, while one
# raised inside a generator would arrive as a `next` message carrying errors.


async def promo_code_statistics(info: Info, id: strawberry.ID) -> AsyncGenerator[PromoCodeStatistics, None]:
    """The code's figures at once, then again after every redemption or notification of it."""
    context = info.context
    await require_staff(context, Permission.READ_PROMO_CODES)
    await require_module(context)
    code_pk = pk_of(id, "PromoCode")
    async with context.services.db.read_session() as session:
        found = code_pk is not None and await session.scalar(live_codes().where(PromoCodeRow.id == code_pk))
    if not found or code_pk is None:
        raise ApiError("NOT_FOUND", "No such promo code.")
    return _statistics_stream(context, code_pk)


async def _statistics_stream(context: Context, code_pk: int) -> AsyncGenerator[PromoCodeStatistics, None]:
    async with context.services.broadcast.subscribe(STATISTICS, code_pk) as changes:
        yield await _figures(context, code_pk)
        while True:
            await changes.get()
            _drain(changes)
            yield await _figures(context, code_pk)


async def my_notification_received(info: Info) -> AsyncGenerator[Notification, None]:
    """Each new notification for the calling client, as its batch goes out."""
    context = info.context
    client_id = await require_client(context)
    return _notification_stream(context, client_id)


async def _notification_stream(context: Context, client_id: int) -> AsyncGenerator[Notification, None]:
    async with context.services.broadcast.subscribe(NOTIFICATION_BATCHES) as batches:
        while True:
            batch_ids = [int(await batches.get()), *map(int, _drain(batches))]
            async with context.services.db.read_session() as session:
                rows = await session.scalars(
                    of_client(client_id).where(NotificationRow.batch_id.in_(batch_ids)).order_by(NotificationRow.id)
                )
                found = list(rows)
            for row in found:
                context.forget_loaded()
                yield Notification.from_row(row)


async def publish_redemption(context: Context, code_pk: int) -> None:
    """After a purchase with a code commits. On PostgreSQL the purchase trigger has sent the NOTIFY already."""
    if context.services.db.is_sqlite:
        await context.services.broadcast.publish(STATISTICS, code_pk)


async def publish_batch(context: Context, code_pk: int, batch_id: int) -> None:
    await context.services.broadcast.publish(NOTIFICATION_BATCHES, batch_id)
    await context.services.broadcast.publish(STATISTICS, code_pk)
