"""Coupons: issuing one to a client (the promo-code discount rules) and its status."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import Enum

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.discounts import DiscountMethod, check_discount
from domain.errors import ErrorCode, ErrorCollector
from domain.promo_codes import check_validity_window
from domain.text import clean_text
from models import Client, Coupon


class CouponStatus(Enum):
    AVAILABLE = "AVAILABLE"
    USED = "USED"
    EXPIRED = "EXPIRED"


def coupon_status(used_at: datetime | None, valid_until: datetime | None, now: datetime) -> CouponStatus:
    """USED once a purchase used it; otherwise EXPIRED from ``validUntil`` on (exclusive bound)."""
    if used_at is not None:
        return CouponStatus.USED
    if valid_until is not None and now >= valid_until:
        return CouponStatus.EXPIRED
    return CouponStatus.AVAILABLE


@dataclass(frozen=True, slots=True)
class CouponDraft:
    client_id: int | None  # None: an id that is not a Client's
    name: str
    discount_method: DiscountMethod
    discount_value: Decimal
    currency: str | None
    valid_until: datetime | None


async def issue(session: AsyncSession, draft: CouponDraft, actor: str, now: datetime) -> tuple[Coupon, Client]:
    """Validate every field at once, then store the coupon for its client."""
    errors = ErrorCollector()
    client = None
    if draft.client_id is not None:
        client = await session.scalar(select(Client).where(Client.id == draft.client_id))
    if client is None:
        errors.add(ErrorCode.NOT_FOUND, "clientId", "No such client.")
    name = clean_text(draft.name, "name", errors, max_length=100, label="Name")
    discount = check_discount(draft.discount_method, draft.discount_value, draft.currency, errors)
    check_validity_window(None, draft.valid_until, now, errors)
    errors.raise_if_any()
    assert client is not None and name is not None and discount is not None
    coupon = Coupon(
        client_id=client.id,
        name=name,
        discount_method=discount.method.value,
        discount_value_minor=discount.value_minor,
        currency=discount.currency,
        valid_until=draft.valid_until,
        issued_at=now,
        issued_by=actor,
    )
    session.add(coupon)
    await session.flush()
    return coupon, client
