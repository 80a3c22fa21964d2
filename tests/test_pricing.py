"""Every pricing rule of the contract, pinned by amounts (minor units) that tell half-up from banker's rounding."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

from domain.discounts import Discount, DiscountMethod
from domain.pricing import CouponCandidate, best_coupon, discount_minor, fits, price

T0 = datetime(2026, 1, 1, tzinfo=timezone.utc)


def pct(value: str) -> Discount:
    return Discount(DiscountMethod.PERCENTAGE, Decimal(value), None)


def fixed(value: str, currency: str = "USD") -> Discount:
    return Discount(DiscountMethod.FIXED_AMOUNT, Decimal(value), currency)


def coupon(name: str, discount: Discount, age_days: int = 0, id: int = 1) -> CouponCandidate[str]:
    """A coupon candidate called ``name``, issued ``age_days`` before T0."""
    return CouponCandidate(name, discount, T0 - timedelta(days=age_days), id)


@pytest.mark.parametrize(
    "discount, base, expected",
    [
        (pct("10"), 25, 3),  # 2.5 -> 3 (banker's: 2)
        (pct("50"), 105, 53),  # 52.5 -> 53 (banker's: 52)
        (pct("12.5"), 10_020, 1_253),  # 1252.5 -> 1253
        (pct("10"), 35, 4),  # 3.5 -> 4 (both agree: odd neighbour)
        (pct("33.33"), 100, 33),  # 33.33 -> 33: below the half
        (pct("100"), 9_999, 9_999),
        (fixed("10.00"), 10_000, 1_000),
        (fixed("150.00"), 10_000, 10_000),  # capped at the base
        (fixed("503", "JPY"), 10_503, 503),
        (pct("10"), 105, 11),  # JPY 105 at 10 % -> 10.5 -> 11 yen (banker's: 10)
        (pct("10"), 0, 0),
    ],
)
def test_discount_minor(discount, base, expected):
    assert discount_minor(discount, base) == expected


def test_a_percentage_fits_every_currency_a_fixed_amount_only_its_own():
    assert fits(pct("5"), "JPY") and fits(pct("5"), "USD")
    assert fits(fixed("5", "USD"), "USD") and not fits(fixed("5", "EUR"), "USD")


@pytest.mark.parametrize(
    "label, list_price, currency, coupons, promo, combinable, expected",
    [
        # expected: (coupon chosen, coupon discount, promo discount, total), all in minor units
        ("no coupon, no code", 10_000, "USD", [], None, True, (None, 0, 0, 10_000)),
        ("fixed coupon alone", 10_000, "USD", [coupon("c", fixed("10"))], None, True, ("c", 1_000, 0, 9_000)),
        ("percentage coupon alone, half-up", 105, "USD", [coupon("c", pct("50"))], None, True, ("c", 53, 0, 52)),
        ("percentage code alone, half-up", 25, "USD", [], pct("10"), True, (None, 0, 3, 22)),
        ("fixed code alone", 10_000, "USD", [], fixed("20"), False, (None, 0, 2_000, 8_000)),
        (
            "combinable: code on what the coupon leaves",
            10_000, "USD", [coupon("c", fixed("10"))], pct("10"), True, ("c", 1_000, 900, 8_100),
        ),
        (
            "combinable, both rounded half-up",
            105, "USD", [coupon("c", pct("50"))], pct("25"), True, ("c", 53, 13, 39),
        ),
        (
            "combinable, code capped at the remainder",
            10_000, "USD", [coupon("c", pct("50"))], fixed("60"), True, ("c", 5_000, 5_000, 0),
        ),
        (
            "not combinable: code replaces the coupon and applies to the list price",
            10_000, "USD", [coupon("c", fixed("10"))], pct("10"), False, (None, 0, 1_000, 9_000),
        ),
        ("coupon capped at the price", 10_000, "USD", [coupon("c", fixed("150"))], None, True, ("c", 10_000, 0, 0)),
        (
            "fixed coupon in another currency does not fit",
            10_000, "USD", [coupon("eur", fixed("10", "EUR"))], None, True, (None, 0, 0, 10_000),
        ),
        (
            "the fitting coupon is taken over a larger one in another currency",
            10_000, "USD", [coupon("eur", fixed("50", "EUR")), coupon("usd", fixed("5"), id=2)], None, True,
            ("usd", 500, 0, 9_500),
        ),
        (
            "largest discount wins: 15 % of 100 beats 10 off",
            10_000, "USD", [coupon("fixed", fixed("10")), coupon("pct", pct("15"), id=2)], None, True,
            ("pct", 1_500, 0, 8_500),
        ),
        (
            "largest discount wins: 10 off beats 15 % of 50",
            5_000, "USD", [coupon("fixed", fixed("10")), coupon("pct", pct("15"), id=2)], None, True,
            ("fixed", 1_000, 0, 4_000),
        ),
        (
            "tie: the oldest coupon",
            10_000, "USD", [coupon("new", fixed("10"), age_days=1, id=1), coupon("old", fixed("10"), age_days=5, id=2)],
            None, True, ("old", 1_000, 0, 9_000),
        ),
        (
            "tie issued at the same moment: the first issued (lowest id)",
            10_000, "USD", [coupon("second", fixed("10"), id=8), coupon("first", fixed("10"), id=7)], None, True,
            ("first", 1_000, 0, 9_000),
        ),
        ("JPY: no minor unit, half-up to the yen", 105, "JPY", [], pct("10"), True, (None, 0, 11, 94)),
        (
            "JPY coupon and code",
            10_503, "JPY", [coupon("c", fixed("500", "JPY"))], pct("10"), True, ("c", 500, 1_000, 9_003),
        ),
        ("100 % code: free", 9_999, "USD", [], pct("100"), True, (None, 0, 9_999, 0)),
    ],
)
def test_price(label, list_price, currency, coupons, promo, combinable, expected):
    quote = price(list_price, currency, coupons, promo, combinable)
    got = (quote.coupon, quote.coupon_discount_minor, quote.promo_discount_minor, quote.total_minor)
    assert got == expected, label
    assert quote.currency == currency and quote.list_price_minor == list_price


def test_best_coupon_of_none_is_none():
    assert best_coupon([], 10_000, "USD") is None

