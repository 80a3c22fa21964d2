"""Minor units come from ISO 4217, which the contract names, not from CLDR's display digits."""
from __future__ import annotations

from decimal import Decimal

import pytest

from domain.discounts import Discount, DiscountMethod
from domain.money import currency_decimals, is_currency
from domain.notifications import discount_text


@pytest.mark.parametrize(
    "code, decimals",
    [("USD", 2), ("EUR", 2), ("JPY", 0), ("BHD", 3), ("IQD", 3), ("HUF", 2), ("IDR", 2), ("COP", 2), ("CLF", 4)],
)
def test_minor_units_are_iso_4217s(code, decimals):
    # CLDR (Babel) says 0 for HUF, IDR and COP and 0 for IQD: amounts in cents would be refused.
    assert is_currency(code) and currency_decimals(code) == decimals


@pytest.mark.parametrize("code", ["DEM", "XAU", "XXX", "XTS", "usd", "US", ""])
def test_withdrawn_codes_metals_and_non_currencies_are_not_money(code):
    assert not is_currency(code)


@pytest.mark.parametrize(
    "value, currency, text",
    [("90.00", "USD", "$90.00 off"), ("503", "JPY", "¥503 off"), ("1.500", "BHD", "BHD1.500 off"), ("12.50", "HUF", "HUF12.50 off")],
)
def test_e_mails_show_the_currencys_decimals(value, currency, text):
    assert discount_text(Discount(DiscountMethod.FIXED_AMOUNT, Decimal(value), currency)) == text
