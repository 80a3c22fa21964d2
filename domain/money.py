"""Exact amounts: currencies' minor units (from CLDR via Babel), scaling and half-up rounding."""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from babel.numbers import get_currency_precision, list_currencies

PERCENT_DECIMALS = 2
_ISO_CURRENCIES = frozenset(list_currencies())


def is_currency(code: str) -> bool:
    return code in _ISO_CURRENCIES


@lru_cache(maxsize=None)
def currency_decimals(code: str) -> int:
    """Digits after the decimal point for a currency: USD 2, JPY 0, BHD 3."""
    return get_currency_precision(code)


def decimals_of(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def to_minor(value: Decimal, decimals: int) -> int:
    """Scale an amount to an integer count of minor units; it must already fit exactly."""
    scaled = value.scaleb(decimals)
    if scaled != scaled.to_integral_value():
        raise ValueError(f"{value} has more than {decimals} decimals")
    return int(scaled)


def from_minor(minor: int, decimals: int) -> Decimal:
    """An amount with exactly ``decimals`` places: 9000, 2 -> Decimal("90.00")."""
    return Decimal(minor).scaleb(-decimals).quantize(Decimal(1).scaleb(-decimals))


def round_half_up(value: Decimal, decimals: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
