"""The discount rules that promo codes and coupons share (method, value, currency)."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

from domain.errors import ErrorCode, ErrorCollector
from domain.money import PERCENT_DECIMALS, currency_decimals, decimals_of, from_minor, is_currency, to_minor

MAX_FIXED_AMOUNT = Decimal(1_000_000_000)


class DiscountMethod(Enum):
    FIXED_AMOUNT = "FIXED_AMOUNT"
    PERCENTAGE = "PERCENTAGE"


@dataclass(frozen=True, slots=True)
class Discount:
    method: DiscountMethod
    value: Decimal
    currency: str | None  # set for FIXED_AMOUNT only

    @property
    def decimals(self) -> int:
        return PERCENT_DECIMALS if self.currency is None else currency_decimals(self.currency)

    @property
    def value_minor(self) -> int:
        return to_minor(self.value, self.decimals)

    @classmethod
    def from_storage(cls, method: str, value_minor: int, currency: str | None) -> "Discount":
        decimals = PERCENT_DECIMALS if currency is None else currency_decimals(currency)
        return cls(DiscountMethod(method), from_minor(value_minor, decimals), currency)


def normalize_currency(raw: str | None) -> str | None:
    if raw is None:
        return None
    return raw.strip().upper() or None


def check_discount(
    method: DiscountMethod,
    value: Decimal,
    currency: str | None,
    errors: ErrorCollector,
) -> Discount | None:
    """Validate a discount; returns it normalized, or ``None`` after recording problems."""
    before = len(errors.errors)
    currency = normalize_currency(currency)
    if not value.is_finite():
        errors.add(ErrorCode.INVALID, "discountValue", "Discount value must be a number.")
        return None
    if method is DiscountMethod.PERCENTAGE:
        if currency is not None:
            errors.add(ErrorCode.INVALID, "currency", "A percentage discount takes no currency.")
        if not Decimal(0) < value <= Decimal(100):
            errors.add(ErrorCode.INVALID, "discountValue", "A percentage must be above 0 and at most 100.")
        elif decimals_of(value) > PERCENT_DECIMALS:
            errors.add(ErrorCode.INVALID, "discountValue", "A percentage has at most 2 decimals.")
    else:
        if currency is None:
            errors.add(ErrorCode.REQUIRED, "currency", "A fixed-amount discount needs an ISO 4217 currency.")
        elif not is_currency(currency):
            errors.add(ErrorCode.INVALID, "currency", f"{currency!r} is not an ISO 4217 currency code.")
        if value <= 0:
            errors.add(ErrorCode.INVALID, "discountValue", "A fixed amount must be above 0.")
        elif value > MAX_FIXED_AMOUNT:
            errors.add(ErrorCode.INVALID, "discountValue", f"A fixed amount is at most {MAX_FIXED_AMOUNT}.")
        elif currency is not None and is_currency(currency) and decimals_of(value) > currency_decimals(currency):
            errors.add(
                ErrorCode.INVALID,
                "discountValue",
                f"{currency} amounts have at most {currency_decimals(currency)} decimals.",
            )
    if len(errors.errors) > before:
        return None
    discount = Discount(method, value, currency)
    return Discount(method, from_minor(discount.value_minor, discount.decimals), currency)
