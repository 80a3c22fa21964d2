"""Checkout as the API shows it: quotes, purchases, redemptions, their inputs and payloads."""
from __future__ import annotations

from datetime import datetime

import strawberry

import models
from models import utcnow
from resolvers.context import Info
from domain.pricing import Quote
from schema.coupon import Coupon
from schema.errors import UserError
from schema.money import Money
from schema.node import Node, to_global_id
from schema.promo_code_offer import PromoCodeOffer
from schema.promo_code import PromoCode
from schema.reference import Client, PropChallenge


@strawberry.type
class CheckoutQuote:
    challenge: PropChallenge
    list_price: Money
    coupon: Coupon | None = strawberry.field(description="The coupon that will be used, if any.")
    coupon_discount: Money
    promo_code: PromoCodeOffer | None = strawberry.field(description="The promo code that will be used, if any.")
    promo_discount: Money
    total: Money

    @classmethod
    def build(
        cls,
        quote: Quote[models.Coupon],
        client: models.Client,
        challenge: models.PropChallenge,
        code: models.PromoCode | None,
        now: datetime,
    ) -> "CheckoutQuote":
        currency = quote.currency
        return cls(
            challenge=PropChallenge.from_row(challenge),
            list_price=Money.of_minor(quote.list_price_minor, currency),
            coupon=None if quote.coupon is None else Coupon.from_row(quote.coupon, client, now),
            coupon_discount=Money.of_minor(quote.coupon_discount_minor, currency),
            promo_code=None if code is None else PromoCodeOffer.from_row(code, now),
            promo_discount=Money.of_minor(quote.promo_discount_minor, currency),
            total=Money.of_minor(quote.total_minor, currency),
        )


@strawberry.type
class ChallengePurchase(Node):
    client: Client
    challenge: PropChallenge
    list_price: Money
    coupon_discount: Money
    promo_discount: Money
    total: Money
    coupon: Coupon | None
    promo_code: PromoCodeOffer | None
    created_at: datetime

    @classmethod
    def from_row(cls, row: models.ChallengePurchase, now: datetime) -> "ChallengePurchase":
        """``row`` with its client, challenge, coupon and live promo code loaded."""
        currency = row.currency
        return cls(
            id=to_global_id("ChallengePurchase", row.id),
            client=Client.from_row(row.client),
            challenge=PropChallenge.from_row(row.challenge),
            list_price=Money.of_minor(row.list_price_minor, currency),
            coupon_discount=Money.of_minor(row.coupon_discount_minor, currency),
            promo_discount=Money.of_minor(row.promo_discount_minor, currency),
            total=Money.of_minor(row.total_minor, currency),
            coupon=None if row.coupon is None else Coupon.from_row(row.coupon, row.client, now),
            promo_code=PromoCodeOffer.from_purchase(row, now),
            created_at=row.created_at,
        )


@strawberry.type
class Redemption(Node):
    challenge: PropChallenge
    discount: Money
    redeemed_at: datetime
    row: strawberry.Private[models.Redemption]

    @strawberry.field
    async def promo_code(self, info: Info) -> PromoCode:
        code = await info.context.loaders.promo_code_by_id.load(self.row.promo_code_id)
        return PromoCode.from_row(code, utcnow())

    @strawberry.field
    async def client(self, info: Info) -> Client:
        return Client.from_row(await info.context.loaders.client_by_id.load(self.row.client_id))

    @strawberry.field
    async def purchase(self, info: Info) -> ChallengePurchase:
        return ChallengePurchase.from_row(await info.context.loaders.purchase_by_id.load(self.row.purchase_id), utcnow())

    @classmethod
    def from_row(cls, row: models.Redemption) -> "Redemption":
        """``row`` with its challenge loaded; the rest is loaded only when asked for."""
        return cls(
            id=to_global_id("Redemption", row.id),
            challenge=PropChallenge.from_row(row.challenge),
            discount=Money.of_minor(row.discount_minor, row.currency),
            redeemed_at=row.redeemed_at,
            row=row,
        )


@strawberry.input
class ApplyPromoCodeInput:
    challenge_id: strawberry.ID
    code: str


@strawberry.input
class PurchaseChallengeInput:
    challenge_id: strawberry.ID
    idempotency_key: str
    promo_code: str | None = None


@strawberry.type
class CheckoutQuotePayload:
    quote: CheckoutQuote | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class PurchaseChallengePayload:
    purchase: ChallengePurchase | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)
