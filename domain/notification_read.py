"""A client marking its notifications read."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from domain.errors import DomainError, ErrorCode
from domain.notification_queries import of_client_by_ids
from models import Notification

MAX_IDS = 100


async def mark_read(
    session: AsyncSession, client_id: int, ids: Sequence[int | None], now: datetime
) -> list[Notification]:
    """Mark the caller's notifications read, in the order given; any id not its own marks nothing.

    Marking an already read notification keeps the time it was first read.
    """
    wanted = list(dict.fromkeys(ids))
    if len(wanted) > MAX_IDS:
        raise DomainError.one(ErrorCode.INVALID, "ids", f"Mark at most {MAX_IDS} notifications at a time.")
    known = [i for i in wanted if i is not None]
    rows = {r.id: r for r in (await session.scalars(of_client_by_ids(client_id, known))).all()} if known else {}
    if len(rows) != len(wanted):
        raise DomainError.one(ErrorCode.NOT_FOUND, "ids", "Some ids are not notifications of yours.")
    for row in rows.values():
        if row.read_at is None:
            row.read_at = now
    await session.flush()
    return [rows[i] for i in known]
