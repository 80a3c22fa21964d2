"""The checkout's check order and the small rules around it, tested without a database."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

from domain.checkout_rules import (
    ChallengeState,
    CheckoutRejected,
    CodeState,
    Throttle,
    check_checkout,
    check_idempotency_key,
    is_same_request,
)
from domain.coupons import CouponStatus, coupon_status
from domain.discounts import Discount, DiscountMethod
from domain.errors import DomainError, ErrorCode
from domain.promo_codes import PromoCodeStatus

NOW = datetime(2026, 6, 1, 12, tzinfo=timezone.utc)
HOUR = timedelta(hours=1)
THROTTLE = Throttle(limit=10, window=timedelta(minutes=10))
USD = ChallengeState(active=True, currency="USD")


def code(status=PromoCodeStatus.ENABLED, valid_from=None, valid_until=None, currency=None, limit=None, used=0):
    discount = (
        Discount(DiscountMethod.FIXED_AMOUNT, Decimal(5), currency)
        if currency
        else Discount(DiscountMethod.PERCENTAGE, Decimal(10), None)
    )
    return CodeState(status, valid_from, valid_until, discount, limit, used)


def failure(code_state, challenge=USD, failures=0, typed=True):
    try:
        check_checkout(
            code_typed=typed, code=code_state, challenge=challenge, recent_failures=failures,
            throttle=THROTTLE, now=NOW, code_field="code",
        )
    except CheckoutRejected as rejected:
        return rejected.code, rejected.errors[0].field
    return None


@pytest.mark.parametrize(
    "label, kwargs, expected",
    [
        ("usable code", dict(code_state=code()), None),
        ("10 failures: rate limited before anything else", dict(code_state=None, challenge=None, failures=10), (ErrorCode.RATE_LIMITED, "code")),
        ("9 failures: still checked", dict(code_state=None, failures=9), (ErrorCode.CODE_INVALID, "code")),
        ("unknown or deleted code", dict(code_state=None), (ErrorCode.CODE_INVALID, "code")),
        ("never enabled", dict(code_state=code(PromoCodeStatus.NOT_ENABLED)), (ErrorCode.CODE_INVALID, "code")),
        ("disabled", dict(code_state=code(PromoCodeStatus.DISABLED, valid_until=NOW - HOUR)), (ErrorCode.CODE_INACTIVE, "code")),
        ("before validFrom", dict(code_state=code(valid_from=NOW + HOUR)), (ErrorCode.CODE_NOT_STARTED, "code")),
        ("at validFrom", dict(code_state=code(valid_from=NOW)), None),
        ("at validUntil (exclusive)", dict(code_state=code(valid_until=NOW)), (ErrorCode.CODE_EXPIRED, "code")),
        ("just before validUntil", dict(code_state=code(valid_until=NOW + timedelta(microseconds=1))), None),
        ("code errors come before challenge errors", dict(code_state=code(valid_until=NOW), challenge=None), (ErrorCode.CODE_EXPIRED, "code")),
        ("unknown challenge", dict(code_state=code(), challenge=None), (ErrorCode.CHALLENGE_UNAVAILABLE, "challengeId")),
        (
            "inactive challenge before currency",
            dict(code_state=code(currency="EUR"), challenge=ChallengeState(False, "USD")),
            (ErrorCode.CHALLENGE_UNAVAILABLE, "challengeId"),
        ),
        ("fixed code in another currency", dict(code_state=code(currency="EUR", limit=1, used=1)), (ErrorCode.CURRENCY_MISMATCH, "code")),
        ("fixed code in the same currency", dict(code_state=code(currency="USD")), None),
        ("limit used up", dict(code_state=code(limit=3, used=3)), (ErrorCode.USAGE_LIMIT_REACHED, "code")),
        ("one use left", dict(code_state=code(limit=3, used=2)), None),
        ("no code typed: only the challenge counts, even when throttled", dict(code_state=None, failures=50, typed=False), None),
        ("no code typed, unknown challenge", dict(code_state=None, challenge=None, typed=False), (ErrorCode.CHALLENGE_UNAVAILABLE, "challengeId")),
    ],
)
def test_check_order(label, kwargs, expected):
    assert failure(**kwargs) == expected, label


@pytest.mark.parametrize(
    "code_, counts",
    [(c, True) for c in (ErrorCode.CODE_INVALID, ErrorCode.CODE_INACTIVE, ErrorCode.CODE_NOT_STARTED, ErrorCode.CODE_EXPIRED)]
    + [(c, False) for c in (ErrorCode.RATE_LIMITED, ErrorCode.USAGE_LIMIT_REACHED, ErrorCode.CURRENCY_MISMATCH, ErrorCode.CHALLENGE_UNAVAILABLE)],
)
def test_which_failures_count_towards_the_throttle(code_, counts):
    assert CheckoutRejected(code_, "code").counts_as_failed_attempt is counts


def test_throttle_window():
    assert THROTTLE.since(NOW) == NOW - timedelta(minutes=10)
    assert not THROTTLE.blocks(9) and THROTTLE.blocks(10)


@pytest.mark.parametrize("key, error", [("", ErrorCode.REQUIRED), ("   ", ErrorCode.REQUIRED), ("k" * 201, ErrorCode.INVALID)])
def test_bad_idempotency_keys(key, error):
    with pytest.raises(DomainError) as raised:
        check_idempotency_key(key)
    assert [(e.code, e.field) for e in raised.value.errors] == [(error, "idempotencyKey")]


def test_good_idempotency_key():
    check_idempotency_key("k" * 200)


def test_same_request():
    assert is_same_request(1, "SAVE", 1, "SAVE") and is_same_request(1, None, 1, None)
    assert not is_same_request(1, "SAVE", 2, "SAVE")
    assert not is_same_request(1, "SAVE", 1, None)
    assert not is_same_request(1, None, None, None)


@pytest.mark.parametrize(
    "used_at, valid_until, expected",
    [
        (None, None, CouponStatus.AVAILABLE),
        (None, NOW + HOUR, CouponStatus.AVAILABLE),
        (None, NOW, CouponStatus.EXPIRED),
        (NOW - HOUR, NOW - timedelta(minutes=1), CouponStatus.USED),
    ],
)
def test_coupon_status(used_at, valid_until, expected):
    assert coupon_status(used_at, valid_until, NOW) is expected
