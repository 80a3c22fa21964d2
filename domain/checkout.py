"""Apply and purchase: the contract's checkout, one transaction each.

Both run inside a write transaction that holds the client's checkout lock (see
``checkout_store.look_up``), so a failed attempt is recorded before the next
attempt of the same client can read the throttle. Failed checks are therefore
returned, not raised: the transaction must commit the recorded attempt.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.orm.attributes import set_committed_value

from domain import checkout_store as store
from domain.checkout_rules import (
    ChallengeState,
    CheckoutRejected,
    CodeState,
    Throttle,
    check_checkout,
    idempotency_conflict,
    is_same_request,
)
from domain.discounts import Discount
from domain.errors import ErrorCode
from domain.pricing import Quote, price
from domain.promo_codes import PromoCodeStatus
from models import ChallengePurchase, Coupon

__all__ = ["CheckoutRequest", "QuoteResult", "CheckoutRejected", "quote", "purchase"]


@dataclass(frozen=True, slots=True)
class CheckoutRequest:
    client_id: int
    challenge_id: int | None  # None: an id that is not a PropChallenge's
    code: str | None  # normalized; None: no code typed
    throttle: Throttle
    now: datetime
    code_field: str = "code"


@dataclass(slots=True)
class QuoteResult:
    lookup: store.CheckoutLookup
    quote: Quote[Coupon]
    promo_discount: Discount | None


def _code_state(lookup: store.CheckoutLookup) -> CodeState | None:
    row = lookup.code
    if row is None:
        return None
    return CodeState(
        status=PromoCodeStatus(row.status),
        valid_from=row.valid_from,
        valid_until=row.valid_until,
        discount=Discount.from_storage(row.discount_method, row.discount_value_minor, row.currency),
        usage_limit_per_client=row.usage_limit_per_client,
        times_redeemed=lookup.times_redeemed,
    )


async def _priced(
    conn: AsyncConnection, request: CheckoutRequest, lookup: store.CheckoutLookup
) -> QuoteResult | CheckoutRejected:
    """Check in the contract's order (recording a counted failure), then price."""
    code = _code_state(lookup)
    challenge = lookup.challenge
    try:
        check_checkout(
            code_typed=request.code is not None,
            code=code,
            challenge=None if challenge is None else ChallengeState(challenge.active, challenge.currency),
            recent_failures=lookup.recent_failures,
            throttle=request.throttle,
            now=request.now,
            code_field=request.code_field,
        )
    except CheckoutRejected as rejected:
        if rejected.counts_as_failed_attempt:
            await store.record_failed_attempt(
                conn, request.client_id, request.now, request.throttle.since(request.now)
            )
        return rejected
    assert challenge is not None
    promo = None if code is None else code.discount
    combinable = lookup.code is None or lookup.code.combinable_with_coupons
    quote = price(challenge.price_minor, challenge.currency, lookup.coupons, promo, combinable)
    return QuoteResult(lookup, quote, promo)


async def _look_up(conn: AsyncConnection, request: CheckoutRequest, idempotency_key: str | None) -> store.CheckoutLookup:
    return await store.look_up(
        conn,
        client_id=request.client_id,
        challenge_id=request.challenge_id,
        code=request.code,
        idempotency_key=idempotency_key,
        now=request.now,
        failures_since=request.throttle.since(request.now),
    )


async def quote(conn: AsyncConnection, request: CheckoutRequest) -> QuoteResult | CheckoutRejected:
    """What the client would pay; changes nothing but the failed-attempt count."""
    return await _priced(conn, request, await _look_up(conn, request, None))


def _purchase_values(request: CheckoutRequest, key: str, priced: QuoteResult) -> dict[str, object]:
    quote, code, coupon = priced.quote, priced.lookup.code, priced.quote.coupon
    assert priced.lookup.challenge is not None
    values: dict[str, object] = {
        "client_id": request.client_id,
        "challenge_id": priced.lookup.challenge.id,
        "idempotency_key": key,
        "currency": quote.currency,
        "list_price_minor": quote.list_price_minor,
        "coupon_discount_minor": quote.coupon_discount_minor,
        "promo_discount_minor": quote.promo_discount_minor,
        "total_minor": quote.total_minor,
        "coupon_id": None if coupon is None else coupon.id,
        "created_at": request.now,
        "promo_code_id": None,
        "promo_code": None,
        "promo_name": None,
        "promo_discount_method": None,
        "promo_discount_value_minor": None,
        "promo_currency": None,
        "promo_valid_until": None,
        "promo_combinable": None,
    }
    if code is not None:
        values.update(
            promo_code_id=code.id,
            promo_code=code.code,
            promo_name=code.name,
            promo_discount_method=code.discount_method,
            promo_discount_value_minor=code.discount_value_minor,
            promo_currency=code.currency,
            promo_valid_until=code.valid_until,
            promo_combinable=code.combinable_with_coupons,
        )
    return values


async def purchase(
    conn: AsyncConnection, request: CheckoutRequest, idempotency_key: str
) -> ChallengePurchase | CheckoutRejected:
    """Buy the challenge, or return the purchase made earlier under the same key.

    The purchase, the coupon turning USED, the use count and the redemption are
    written together; a limit reached at the INSERT (see ``checkout_store``)
    raises, so that all of it rolls back. A reused key with another request
    raises too.
    """
    lookup = await _look_up(conn, request, idempotency_key)
    if lookup.existing_purchase_id is not None:
        earlier = await store.load_purchase(conn, lookup.existing_purchase_id)
        if not is_same_request(earlier.challenge_id, earlier.promo_code, request.challenge_id, request.code):
            raise idempotency_conflict()
        return earlier
    priced = await _priced(conn, request, lookup)
    if isinstance(priced, CheckoutRejected):
        return priced
    values = _purchase_values(request, idempotency_key, priced)
    try:
        purchase_id = await store.insert_purchase(conn, values)
    except store.UsageLimitReached:
        raise CheckoutRejected(ErrorCode.USAGE_LIMIT_REACHED, request.code_field) from None
    coupon = priced.quote.coupon
    if coupon is not None:
        await store.use_coupon(conn, coupon.id, request.now)
        set_committed_value(coupon, "used_at", request.now)
    return _built(purchase_id, values, lookup, coupon)


def _built(purchase_id: int, values: dict[str, object], lookup: store.CheckoutLookup, coupon: Coupon | None) -> ChallengePurchase:
    """The new purchase as an unattached row, with the related rows already read."""
    row = ChallengePurchase(id=purchase_id, **values)
    related = {"client": lookup.client, "challenge": lookup.challenge, "coupon": coupon, "live_promo_code": lookup.code}
    for name, value in related.items():
        set_committed_value(row, name, value)
    return row
