"""Coupons as the API shows them, with the input and payload of ``issueCoupon``."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import strawberry

import models
from domain.coupons import CouponStatus as CouponStatusEnum
from domain.coupons import coupon_status
from domain.discounts import Discount
from schema.errors import UserError
from schema.node import Node, to_global_id
from schema.promo_code import DiscountMethod
from schema.reference import Client

CouponStatus = strawberry.enum(CouponStatusEnum, name="CouponStatus")


@strawberry.type
class Coupon(Node):
    client: Client
    name: str
    discount_method: DiscountMethod
    discount_value: Decimal
    currency: str | None
    valid_until: datetime | None
    status: CouponStatus
    used_at: datetime | None

    @classmethod
    def from_row(cls, row: models.Coupon, client: models.Client, now: datetime) -> "Coupon":
        discount = Discount.from_storage(row.discount_method, row.discount_value_minor, row.currency)
        return cls(
            id=to_global_id("Coupon", row.id),
            client=Client.from_row(client),
            name=row.name,
            discount_method=discount.method,
            discount_value=discount.value,
            currency=row.currency,
            valid_until=row.valid_until,
            status=coupon_status(row.used_at, row.valid_until, now),
            used_at=row.used_at,
        )


@strawberry.input
class CouponIssueInput:
    client_id: strawberry.ID
    name: str
    discount_method: DiscountMethod
    discount_value: Decimal
    currency: str | None = None
    valid_until: datetime | None = None


@strawberry.type
class CouponPayload:
    coupon: Coupon | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)
