"""What checkout writes: purchases, redemptions, per-client use counts and failed code attempts."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, UTCDateTime, utcnow
from models.coupon import Coupon
from models.promo_code import PromoCode
from models.reference import Client, PropChallenge


class ChallengePurchase(Base):
    __tablename__ = "challenge_purchases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"))
    challenge_id: Mapped[int] = mapped_column(ForeignKey("prop_challenges.id"))
    idempotency_key: Mapped[str] = mapped_column(String(200))
    currency: Mapped[str] = mapped_column(String(3))
    list_price_minor: Mapped[int] = mapped_column(BigInteger)
    coupon_discount_minor: Mapped[int] = mapped_column(BigInteger)
    promo_discount_minor: Mapped[int] = mapped_column(BigInteger)
    total_minor: Mapped[int] = mapped_column(BigInteger)
    coupon_id: Mapped[int | None] = mapped_column(ForeignKey("coupons.id"))
    # The promo code as it was at purchase; promo_code_id reaches the live row.
    promo_code_id: Mapped[int | None] = mapped_column(ForeignKey("promo_codes.id"))
    promo_code: Mapped[str | None] = mapped_column(String(32))
    promo_name: Mapped[str | None] = mapped_column(String(100))
    promo_discount_method: Mapped[str | None] = mapped_column(String(16))
    promo_discount_value_minor: Mapped[int | None] = mapped_column(BigInteger)
    promo_currency: Mapped[str | None] = mapped_column(String(3))
    promo_valid_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    promo_combinable: Mapped[bool | None] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    client: Mapped[Client] = relationship(lazy="raise")
    challenge: Mapped[PropChallenge] = relationship(lazy="raise")
    coupon: Mapped[Coupon | None] = relationship(lazy="raise")
    live_promo_code: Mapped[PromoCode | None] = relationship(lazy="raise")

    __table_args__ = (
        UniqueConstraint("client_id", "idempotency_key", name="uq_challenge_purchases_client_key"),
        Index("ix_challenge_purchases_client_created", "client_id", "created_at", "id"),
    )


class Redemption(Base):
    """One use of a promo code: exactly one per purchase that used a code."""

    __tablename__ = "redemptions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    promo_code_id: Mapped[int] = mapped_column(ForeignKey("promo_codes.id"))
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"))
    challenge_id: Mapped[int] = mapped_column(ForeignKey("prop_challenges.id"))
    purchase_id: Mapped[int] = mapped_column(ForeignKey("challenge_purchases.id"), unique=True)
    discount_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    redeemed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    promo_code: Mapped[PromoCode] = relationship(lazy="raise")
    client: Mapped[Client] = relationship(lazy="raise")
    challenge: Mapped[PropChallenge] = relationship(lazy="raise")
    purchase: Mapped[ChallengePurchase] = relationship(lazy="raise")

    __table_args__ = (
        Index("ix_redemptions_code_redeemed", "promo_code_id", "redeemed_at", "id"),
        Index("ix_redemptions_code_client", "promo_code_id", "client_id"),
    )


class PromoCodeUsage(Base):
    """How often one client redeemed one code, kept in the purchase's transaction.

    The conditional upsert on this row is what makes the per-client limit hold
    under any interleaving, on both engines; it also makes a code's statistics
    (total, unique clients, last use) cheap to read.
    """

    __tablename__ = "promo_code_usages"

    promo_code_id: Mapped[int] = mapped_column(ForeignKey("promo_codes.id"), primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), primary_key=True, index=True)
    times_redeemed: Mapped[int] = mapped_column(Integer)
    first_redeemed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_redeemed_at: Mapped[datetime] = mapped_column(UTCDateTime)


class CodeAttemptFailure(Base):
    """A code attempt that failed as unknown, inactive, not started or expired (for the throttle)."""

    __tablename__ = "code_attempt_failures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"))
    attempted_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (Index("ix_code_attempt_failures_client_at", "client_id", "attempted_at"),)
