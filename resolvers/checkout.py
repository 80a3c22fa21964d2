"""Root fields for the client portal's checkout: apply a code, buy a challenge, list purchases."""
from __future__ import annotations

from datetime import timedelta

from domain import checkout
from domain.checkout_rules import CheckoutRejected, Throttle, check_idempotency_key
from domain.checkout_store import purchases_with_details
from domain.errors import DomainError, ErrorCode
from domain.paging import SortKey
from domain.promo_codes import normalize_code
from models import ChallengePurchase as PurchaseRow
from models import utcnow
from ops.metrics import REDEMPTIONS
from resolvers.context import Context, Info
from resolvers.guards import check_module, require_client
from resolvers.paging import load_connection
from resolvers.subscriptions import publish_redemption
from schema.checkout import (
    ApplyPromoCodeInput,
    ChallengePurchase,
    CheckoutQuote,
    CheckoutQuotePayload,
    PurchaseChallengeInput,
    PurchaseChallengePayload,
)
from schema.errors import user_errors
from schema.node import pk_of
from schema.pagination import Connection, page_request

NEWEST_FIRST = SortKey((PurchaseRow.created_at, PurchaseRow.id), descending=True)


def _request(context: Context, client_id: int, challenge_id: str, code: str | None, code_field: str) -> checkout.CheckoutRequest:
    settings = context.settings
    return checkout.CheckoutRequest(
        client_id=client_id,
        challenge_id=pk_of(challenge_id, "PropChallenge"),
        code=code,
        throttle=Throttle(settings.code_attempt_limit, timedelta(seconds=settings.code_attempt_window_s)),
        now=utcnow(),
        code_field=code_field,
    )


async def _module_gate(context: Context) -> None:
    """MODULE_NOT_INSTALLED as a DomainError (checked before the transaction: a module is never uninstalled)."""
    async with context.reading() as session:
        await check_module(context, session)


async def apply_promo_code(info: Info, input: ApplyPromoCodeInput) -> CheckoutQuotePayload:
    context = info.context
    client_id = await require_client(context)
    code = normalize_code(input.code)
    request = _request(context, client_id, input.challenge_id, code, "code")
    try:
        await _module_gate(context)
        if not code:
            raise DomainError.one(ErrorCode.REQUIRED, "code", "Type a promo code.")
        async with context.writing_core() as conn:
            result = await checkout.quote(conn, request)
    except DomainError as exc:
        return CheckoutQuotePayload(errors=user_errors(exc))
    if isinstance(result, CheckoutRejected):
        return CheckoutQuotePayload(errors=user_errors(result))
    lookup = result.lookup
    assert lookup.challenge is not None
    quote = CheckoutQuote.build(result.quote, lookup.client, lookup.challenge, lookup.code, request.now)
    return CheckoutQuotePayload(quote=quote)


async def purchase_challenge(info: Info, input: PurchaseChallengeInput) -> PurchaseChallengePayload:
    context = info.context
    client_id = await require_client(context)
    # A blank code field at checkout means no code.
    code = normalize_code(input.promo_code or "") or None
    request = _request(context, client_id, input.challenge_id, code, "promoCode")
    try:
        if code is not None:
            await _module_gate(context)
        check_idempotency_key(input.idempotency_key)
        async with context.writing_core() as conn:
            result = await checkout.purchase(conn, request, input.idempotency_key)
    except DomainError as exc:
        return PurchaseChallengePayload(errors=user_errors(exc))
    if isinstance(result, CheckoutRejected):
        return PurchaseChallengePayload(errors=user_errors(result))
    if result.promo_code_id is not None and result.created_at == request.now:  # redeemed by this request, not a replay
        REDEMPTIONS.inc()
        await publish_redemption(context, result.promo_code_id)
    return PurchaseChallengePayload(purchase=ChallengePurchase.from_row(result, request.now))


async def my_purchases(info: Info, first: int | None = 20, after: str | None = None) -> Connection[ChallengePurchase]:
    """The caller's purchases, newest first (they need no module: purchases without a code exist without it)."""
    client_id = await require_client(info.context)
    request = page_request(first, after)
    statement = purchases_with_details().where(PurchaseRow.client_id == client_id)
    now = utcnow()
    return await load_connection(
        info.context,
        statement,
        NEWEST_FIRST,
        request,
        lambda p: (p.created_at, p.id),
        lambda p: ChallengePurchase.from_row(p, now),
    )
