"""A promo code's running totals, kept by the purchase trigger (migrations/versions/0004_statistics.py).

They make ``PromoCode.statistics`` one indexed read whatever the number of
redemptions; the trigger updates them in the purchase's own transaction, so they
always equal the redemption rows.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime


class PromoCodeStatistics(Base):
    __tablename__ = "promo_code_statistics"

    promo_code_id: Mapped[int] = mapped_column(ForeignKey("promo_codes.id"), primary_key=True)
    total_redeemed: Mapped[int] = mapped_column(Integer)
    unique_clients: Mapped[int] = mapped_column(Integer)
    last_redeemed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class PromoCodeDiscountTotal(Base):
    """Promo-code discount granted in one currency (coupons not included)."""

    __tablename__ = "promo_code_discount_totals"

    promo_code_id: Mapped[int] = mapped_column(ForeignKey("promo_codes.id"), primary_key=True)
    currency: Mapped[str] = mapped_column(String(3), primary_key=True)
    discount_minor: Mapped[int] = mapped_column(BigInteger)
