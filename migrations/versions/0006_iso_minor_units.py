"""iso minor units: amounts in currencies whose ISO 4217 minor unit differs from CLDR's digits

Money is stored as integer minor units. Until this revision the unit came from CLDR's display
digits (Babel), which give 0 where ISO 4217 gives 2 (HUF, IDR, COP, ...) or 3 (IQD). Stored
amounts in those currencies are rescaled to ISO's units: 10000 HUF was 10000 units of 1, it
becomes 1000000 units of 0.01. Every change adds digits, so the rescaling is exact.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04
"""
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# Digits ISO 4217 adds to CLDR's for the currency (CLDR 0 in every case).
ADDED_DIGITS = {
    "AFN": 2, "ALL": 2, "COP": 2, "HUF": 2, "IDR": 2, "IRR": 2, "IQD": 3, "KPW": 2,
    "LAK": 2, "LBP": 2, "MGA": 2, "MMK": 2, "SOS": 2, "SYP": 2, "YER": 2,
}

# (table, currency column, amount columns in that currency)
AMOUNTS = [
    ("prop_challenges", "currency", ["price_minor", "account_size_minor"]),
    ("promo_codes", "currency", ["discount_value_minor"]),
    ("coupons", "currency", ["discount_value_minor"]),
    ("challenge_purchases", "currency", ["list_price_minor", "coupon_discount_minor", "promo_discount_minor", "total_minor"]),
    ("challenge_purchases", "promo_currency", ["promo_discount_value_minor"]),
    ("redemptions", "currency", ["discount_minor"]),
    ("promo_code_discount_totals", "currency", ["discount_minor"]),
]


def _rescale(operator: str) -> None:
    """Multiply (``*``) or divide (``/``) each amount by 10 ** the digits its currency gains."""
    for code, digits in ADDED_DIGITS.items():
        for table, currency, columns in AMOUNTS:
            sets = ", ".join(f"{c} = {c} {operator} {10 ** digits}" for c in columns)
            op.execute(f"UPDATE {table} SET {sets} WHERE {currency} = '{code}'")


def upgrade() -> None:
    _rescale("*")


def downgrade() -> None:
    _rescale("/")  # back to CLDR's units (a fraction of the old unit is truncated)
