from __future__ import annotations

from decimal import Decimal

import strawberry

from domain.money import currency_decimals, from_minor


@strawberry.type
class Money:
    amount: Decimal
    currency: str

    @classmethod
    def of_minor(cls, minor: int, currency: str) -> "Money":
        """``Money.of_minor(9000, "USD")`` is ``90.00 USD``: always the currency's decimals."""
        return cls(amount=from_minor(minor, currency_decimals(currency)), currency=currency)
