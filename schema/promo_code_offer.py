"""What a client may see of a promo code (portal, notifications, checkout)."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import strawberry

import models
from domain import promo_codes as rules
from domain.discounts import Discount
from schema.promo_code import DiscountMethod


@strawberry.type(description="What a client may see of a promo code (portal, notifications, checkout).")
class PromoCodeOffer:
    code: str
    name: str
    discount_method: DiscountMethod
    discount_value: Decimal
    currency: str | None
    valid_until: datetime | None
    combinable_with_coupons: bool
    active: bool = strawberry.field(description="Redeemable right now: ENABLED and inside its validity window.")

    @classmethod
    def from_row(cls, row: models.PromoCode, now: datetime) -> "PromoCodeOffer":
        discount = Discount.from_storage(row.discount_method, row.discount_value_minor, row.currency)
        validity = rules.validity_status(rules.PromoCodeStatus(row.status), row.valid_from, row.valid_until, now)
        return cls(
            code=row.code,
            name=row.name,
            discount_method=discount.method,
            discount_value=discount.value,
            currency=row.currency,
            valid_until=row.valid_until,
            combinable_with_coupons=row.combinable_with_coupons,
            active=row.deleted_at is None and validity is rules.ValidityStatus.ACTIVE,
        )

    @classmethod
    def from_purchase(cls, purchase: models.ChallengePurchase, now: datetime) -> "PromoCodeOffer | None":
        """The code as it was when bought; only ``active`` follows the live code (deleted ones included)."""
        if purchase.promo_code is None:
            return None
        assert purchase.promo_discount_method is not None and purchase.promo_discount_value_minor is not None
        discount = Discount.from_storage(
            purchase.promo_discount_method, purchase.promo_discount_value_minor, purchase.promo_currency
        )
        live = purchase.live_promo_code
        return cls(
            code=purchase.promo_code,
            name=purchase.promo_name or "",
            discount_method=discount.method,
            discount_value=discount.value,
            currency=purchase.promo_currency,
            valid_until=purchase.promo_valid_until,
            combinable_with_coupons=bool(purchase.promo_combinable),
            active=live is not None and cls.from_row(live, now).active,
        )
