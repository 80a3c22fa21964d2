"""Checkout pricing from the contract: best coupon first, then the promo code on the remainder.

Every amount is an integer count of the challenge currency's minor units, so
rounding half-up to the minor unit is rounding half-up to an integer (JPY,
with no minor unit, is counted in yen).
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Generic, TypeVar

from domain.discounts import Discount, DiscountMethod
from domain.money import round_half_up

CouponT = TypeVar("CouponT")


def discount_minor(discount: Discount, base_minor: int) -> int:
    """What ``discount`` takes off ``base_minor``: never more than the base itself.

    A fixed discount must be in the base's currency (see ``fits``).
    """
    if discount.method is DiscountMethod.FIXED_AMOUNT:
        return min(base_minor, discount.value_minor)
    off = round_half_up(Decimal(base_minor) * discount.value / 100, 0)
    return min(base_minor, int(off))


def fits(discount: Discount, currency: str) -> bool:
    """A percentage fits any currency; a fixed amount only its own."""
    return discount.currency is None or discount.currency == currency


@dataclass(frozen=True, slots=True)
class CouponCandidate(Generic[CouponT]):
    """A coupon the client could use now (AVAILABLE and unexpired), with what identifies it."""

    coupon: CouponT
    discount: Discount
    issued_at: datetime
    id: int


def best_coupon(
    candidates: Iterable[CouponCandidate[CouponT]], price_minor: int, currency: str
) -> CouponCandidate[CouponT] | None:
    """The largest discount on this price among coupons that fit the currency; the oldest on a tie."""
    fitting = [c for c in candidates if fits(c.discount, currency)]
    if not fitting:
        return None
    return min(fitting, key=lambda c: (-discount_minor(c.discount, price_minor), c.issued_at, c.id))


@dataclass(frozen=True, slots=True)
class Quote(Generic[CouponT]):
    currency: str
    list_price_minor: int
    coupon: CouponT | None
    coupon_discount_minor: int
    promo_discount_minor: int

    @property
    def total_minor(self) -> int:
        return max(0, self.list_price_minor - self.coupon_discount_minor - self.promo_discount_minor)


def price(
    list_price_minor: int,
    currency: str,
    coupons: Iterable[CouponCandidate[CouponT]],
    promo: Discount | None = None,
    combinable: bool = True,
) -> Quote[CouponT]:
    """The quote for a challenge: a non-combinable code replaces the coupon (which stays unused)."""
    chosen = best_coupon(coupons, list_price_minor, currency) if promo is None or combinable else None
    coupon_off = 0 if chosen is None else discount_minor(chosen.discount, list_price_minor)
    promo_off = 0 if promo is None else discount_minor(promo, list_price_minor - coupon_off)
    return Quote(
        currency=currency,
        list_price_minor=list_price_minor,
        coupon=None if chosen is None else chosen.coupon,
        coupon_discount_minor=coupon_off,
        promo_discount_minor=promo_off,
    )
