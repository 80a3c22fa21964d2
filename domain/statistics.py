"""A promo code's figures: redemptions, unique clients, notified clients, discount per currency."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Notification, NotificationBatch, PromoCodeDiscountTotal, PromoCodeStatistics


@dataclass(slots=True)
class CodeStatistics:
    total_redeemed: int = 0
    unique_clients: int = 0
    notified_clients: int = 0
    last_redeemed_at: datetime | None = None
    discount_minor_by_currency: dict[str, int] = field(default_factory=dict)


async def statistics_of(session: AsyncSession, code_ids: Sequence[int]) -> dict[int, CodeStatistics]:
    """Figures for many codes in three indexed reads (the running totals and the notified clients)."""
    figures = {code_id: CodeStatistics() for code_id in code_ids}
    totals = await session.scalars(select(PromoCodeStatistics).where(PromoCodeStatistics.promo_code_id.in_(code_ids)))
    for row in totals:
        stats = figures[row.promo_code_id]
        stats.total_redeemed, stats.unique_clients, stats.last_redeemed_at = (
            row.total_redeemed, row.unique_clients, row.last_redeemed_at
        )
    discounts = await session.scalars(
        select(PromoCodeDiscountTotal)
        .where(PromoCodeDiscountTotal.promo_code_id.in_(code_ids))
        .order_by(PromoCodeDiscountTotal.currency)
    )
    for row in discounts:
        figures[row.promo_code_id].discount_minor_by_currency[row.currency] = row.discount_minor
    published = select(NotificationBatch.id).where(
        NotificationBatch.promo_code_id.in_(code_ids), NotificationBatch.published_at.is_not(None)
    )
    notified = await session.execute(
        select(Notification.promo_code_id, func.count(func.distinct(Notification.client_id)))
        .where(Notification.promo_code_id.in_(code_ids), Notification.batch_id.in_(published))
        .group_by(Notification.promo_code_id)
    )
    for code_id, count in notified:
        figures[code_id].notified_clients = count
    return figures
