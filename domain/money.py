"""Exact amounts: currencies' minor units (ISO 4217, from the iso4217 package), scaling and half-up rounding."""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from babel.numbers import get_currency_precision
from iso4217 import Currency

PERCENT_DECIMALS = 2
# ISO 4217's current list. Codes without a minor unit (gold XAU, test XTS, "no currency"
# XXX, ...) are not money anyone pays with; withdrawn codes (DEM) are not on the list.
_MINOR_UNITS = {c.code: c.exponent for c in Currency if c.exponent is not None}


def is_currency(code: str) -> bool:
    return code in _MINOR_UNITS


def currency_decimals(code: str) -> int:
    """Digits after the decimal point for a currency, per ISO 4217: USD 2, JPY 0, BHD 3, HUF 2.

    A code ISO has since withdrawn (BGN, HRK, ...) is refused as input, but amounts stored in
    it earlier still read with the digits CLDR keeps for it.
    """
    decimals = _MINOR_UNITS.get(code)
    return get_currency_precision(code) if decimals is None else decimals


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
