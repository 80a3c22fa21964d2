"""A promo code's client list: one row per client who was notified of the code or redeemed it.

The rows come from two sources kept for other reasons: ``promo_code_usages``
(redemptions per client, kept by the purchase trigger) and the published
notifications. A page is read by client id: the first N of each source (each an
index range that stops early), merged, and joined to the rows' use counts, limits
and clients in the same statement; the rows' notifications take one more.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any, NamedTuple

from sqlalchemy import Integer, Select, and_, cast, exists, func, literal, select, union, union_all
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from models import Client, Notification, NotificationBatch, PromoCode, PromoCodeUsage


class ClientStatus(Enum):
    NOT_USED = "NOT_USED"  # notified, never redeemed
    USED = "USED"  # redeemed, uses remain (or unlimited)
    LIMIT_REACHED = "LIMIT_REACHED"  # used up its per-client count


def status_of(times_redeemed: int, limit: int | None) -> ClientStatus:
    if times_redeemed == 0:
        return ClientStatus.NOT_USED
    if limit is not None and times_redeemed >= limit:
        return ClientStatus.LIMIT_REACHED
    return ClientStatus.USED


def remaining_uses(times_redeemed: int, limit: int | None) -> int | None:
    return None if limit is None else max(0, limit - times_redeemed)


class ClientColumns(NamedTuple):
    """What a row shows of its client (the columns ``schema.reference.Client`` reads)."""

    id: int
    external_id: str
    name: str
    email: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class ClientRow:
    promo_code_id: int
    client_id: int
    notified_at: datetime | None
    via_email: bool
    via_popup: bool
    times_redeemed: int
    usage_limit: int | None
    client: ClientColumns

    @property
    def status(self) -> ClientStatus:
        return status_of(self.times_redeemed, self.usage_limit)

    @property
    def remaining_uses(self) -> int | None:
        return remaining_uses(self.times_redeemed, self.usage_limit)


def _published_batches(code_id: Any) -> Select[Any]:
    return select(NotificationBatch.id).where(
        NotificationBatch.promo_code_id == code_id, NotificationBatch.published_at.is_not(None)
    )


def _notified_ids(code_id: Any) -> Select[Any]:
    return (
        select(Notification.client_id)
        .where(Notification.promo_code_id == code_id, Notification.batch_id.in_(_published_batches(code_id)))
        .distinct()
    )


def _usage_ids(code_id: Any, status: ClientStatus | None) -> Select[Any]:
    statement = select(PromoCodeUsage.client_id).where(PromoCodeUsage.promo_code_id == code_id)
    if status is None:
        return statement
    limit = select(PromoCode.usage_limit_per_client).where(PromoCode.id == code_id).scalar_subquery()
    reached = and_(limit.is_not(None), PromoCodeUsage.times_redeemed >= limit)
    return statement.where(reached if status is ClientStatus.LIMIT_REACHED else ~reached)


def _ids(code_id: Any, status: ClientStatus | None) -> list[Select[Any]]:
    """The sources of a code's rows with ``status`` (all rows for None), as SELECTs of client_id."""
    if status is ClientStatus.NOT_USED:
        redeemed = exists().where(PromoCodeUsage.promo_code_id == code_id, PromoCodeUsage.client_id == Notification.client_id)
        return [_notified_ids(code_id).where(~redeemed)]
    if status is not None:
        return [_usage_ids(code_id, status)]
    return [_usage_ids(code_id, None), _notified_ids(code_id)]


def page_keys(code_ids: Sequence[int], status: ClientStatus | None, size: int, after_client: int | None) -> Any:
    """One statement: (promo_code_id, client_id) of the first ``size`` rows of each code, by client id."""
    parts = []
    for code_id in code_ids:
        sources = []
        for source in _ids(code_id, status):
            client = source.selected_columns[0]
            if after_client is not None:
                source = source.where(client > after_client)
            sources.append(select(source.order_by(client).limit(size).subquery()))
        merged = (union(*sources) if len(sources) > 1 else sources[0]).subquery()
        parts.append(
            select(merged.c.client_id.label("client_id"), literal(code_id, Integer).label("promo_code_id"))
            .order_by(merged.c.client_id)
            .limit(size)
            .subquery()
        )
    return union_all(*(select(p.c.promo_code_id, p.c.client_id) for p in parts))


async def count_rows(session: AsyncSession, code_ids: Sequence[int], status: ClientStatus | None) -> dict[int, int]:
    """How many rows each code has (with ``status``), in one statement."""
    parts = []
    for code_id in code_ids:
        sources = _ids(code_id, status)
        merged = (union(*sources) if len(sources) > 1 else sources[0]).subquery()
        parts.append(select(literal(code_id, Integer).label("code"), select(func.count()).select_from(merged).scalar_subquery().label("n")))
    rows = await session.execute(union_all(*parts))
    return {code: n for code, n in rows}


_CLIENT_COLUMNS = [getattr(Client, name) for name in ClientColumns._fields]


def page_rows(code_ids: Sequence[int], status: ClientStatus | None, size: int, after_client: int | None) -> Any:
    """The rows of ``page_keys`` with their use counts, their code's limit and their client, by code then client."""
    keys = page_keys(code_ids, status, size, after_client).subquery()
    return (
        select(
            keys.c.promo_code_id,
            keys.c.client_id,
            func.coalesce(PromoCodeUsage.times_redeemed, 0),
            PromoCode.usage_limit_per_client,
            *_CLIENT_COLUMNS,
        )
        .select_from(keys)
        .join(PromoCode, PromoCode.id == keys.c.promo_code_id)
        .join(Client, Client.id == keys.c.client_id)
        .outerjoin(
            PromoCodeUsage,
            and_(PromoCodeUsage.promo_code_id == keys.c.promo_code_id, PromoCodeUsage.client_id == keys.c.client_id),
        )
        .order_by(keys.c.promo_code_id, keys.c.client_id)
    )


async def load_rows(
    session: AsyncSession, code_ids: Sequence[int], status: ClientStatus | None, size: int, after_client: int | None
) -> list[ClientRow]:
    """The first ``size`` rows of each code (with ``status``) after ``after_client``: two statements."""
    # Plain columns: read through the session's Core connection, without the ORM's row loading.
    conn = await session.connection()
    found = (await conn.execute(page_rows(code_ids, status, size, after_client))).all()
    notifications = await _notifications(conn, [(row[0], row[1]) for row in found])
    rows = []
    for code, client_id, times_redeemed, limit, *client in found:
        notified_at, via_email, via_popup = notifications.get((code, client_id), (None, False, False))
        rows.append(
            ClientRow(code, client_id, notified_at, via_email, via_popup, times_redeemed, limit, ClientColumns(*client))
        )
    return rows


async def _notifications(
    conn: AsyncConnection, pairs: Sequence[tuple[int, int]]
) -> dict[tuple[int, int], tuple[datetime, bool, bool]]:
    """(code, client) -> first published notification and whether any went by e-mail, by pop-up."""
    if not pairs:
        return {}
    notified = await conn.execute(
        select(
            Notification.promo_code_id,
            Notification.client_id,
            func.min(Notification.created_at),
            func.max(cast(Notification.via_email, Integer)),
            func.max(cast(Notification.via_popup, Integer)),
        )
        .join(NotificationBatch, NotificationBatch.id == Notification.batch_id)
        .where(
            Notification.promo_code_id.in_(sorted({code for code, _ in pairs})),
            Notification.client_id.in_(sorted({client for _, client in pairs})),
            NotificationBatch.published_at.is_not(None),
        )
        .group_by(Notification.promo_code_id, Notification.client_id)
    )
    return {(code, client): (at, bool(email), bool(popup)) for code, client, at, email, popup in notified}
