"""applyPromoCode through the GraphQL endpoint: quotes, the check order and its error fields."""
from __future__ import annotations

import base64
from datetime import datetime, timedelta, timezone

from sqlalchemy import update

from models import Coupon, PromoCode
from tests.checkout_helpers import (
    APPLY,
    DELETE,
    DISABLE,
    apply,
    error_codes,
    issue_coupon,
    make_challenge,
    make_client,
    make_code,
    purchase,
)

SOON = lambda **delta: (datetime.now(timezone.utc) + timedelta(**delta)).isoformat()  # noqa: E731


async def test_quote_with_coupon_and_combinable_code(api):
    await api.install_module()
    client_id, token = await make_client(api)
    challenge = await make_challenge(api, "100.20")
    await make_code(api, "STACK", discountValue="12.5", combinableWithCoupons=True)
    coupon = await issue_coupon(api, client_id, "FIXED_AMOUNT", "0.20")
    payload = await apply(api, token, challenge, "  stack ")
    assert payload["errors"] == []
    quote = payload["quote"]
    assert quote["challenge"] == {"id": challenge}
    assert quote["coupon"] == {"id": coupon["id"], "name": "Welcome"}
    assert quote["promoCode"] == {"code": "STACK", "active": True}
    amounts = {k: quote[k] for k in ("listPrice", "couponDiscount", "promoDiscount", "total")}
    assert amounts == {
        "listPrice": {"amount": "100.20", "currency": "USD"},
        "couponDiscount": {"amount": "0.20", "currency": "USD"},
        "promoDiscount": {"amount": "12.50", "currency": "USD"},  # 12.5 % of 100.00
        "total": {"amount": "87.50", "currency": "USD"},
    }


async def test_quote_in_jpy_rounds_half_up_to_the_yen(api):
    await api.install_module()
    _, token = await make_client(api)
    challenge = await make_challenge(api, "105", "JPY")
    await make_code(api, "YEN10")
    quote = (await apply(api, token, challenge, "YEN10"))["quote"]
    assert (quote["promoDiscount"], quote["total"]) == ({"amount": "11", "currency": "JPY"}, {"amount": "94", "currency": "JPY"})


async def test_non_combinable_code_leaves_the_coupon_out(api):
    await api.install_module()
    client_id, token = await make_client(api)
    challenge = await make_challenge(api, "100")
    await make_code(api, "SOLO", discountMethod="FIXED_AMOUNT", discountValue="30", currency="USD")
    await issue_coupon(api, client_id, "PERCENTAGE", "50")
    quote = (await apply(api, token, challenge, "SOLO"))["quote"]
    assert quote["coupon"] is None and quote["couponDiscount"] == {"amount": "0.00", "currency": "USD"}
    assert quote["total"]["amount"] == "70.00"


async def test_apply_changes_nothing(api):
    await api.install_module()
    client_id, token = await make_client(api)
    challenge = await make_challenge(api)
    await make_code(api, "ONCE", usageLimitPerClient=1, combinableWithCoupons=True)
    await issue_coupon(api, client_id)
    for _ in range(3):
        assert (await apply(api, token, challenge, "ONCE"))["errors"] == []
    mine = await api.data("{ myCoupons { status } myPurchases { totalCount } }", token=token)
    assert mine == {"myCoupons": [{"status": "AVAILABLE"}], "myPurchases": {"totalCount": 0}}
    bought = await purchase(api, token, challenge, "k-1", "ONCE")
    assert bought["errors"] == [] and bought["purchase"]["total"]["amount"] == "81.00"


async def test_check_order_and_fields(api, db):
    await api.install_module()
    _, token = await make_client(api)
    usd = await make_challenge(api, "100")
    inactive = await make_challenge(api, "100", name="Retired")
    await api.data("mutation($id: ID!) { setPropChallengeActive(id: $id, active: false) { errors { code } } }", {"id": inactive})
    await make_code(api, "DRAFT", enable=False)
    disabled = await make_code(api, "OFF")
    await api.data(DISABLE, {"id": disabled})
    deleted = await make_code(api, "GONE")
    await api.data(DISABLE, {"id": deleted})
    await api.data(DELETE, {"id": deleted})
    await make_code(api, "LATER", validFrom=SOON(days=1))
    await make_code(api, "OLD", validUntil=SOON(days=1))
    async with db.write_engine.begin() as conn:
        await conn.execute(update(PromoCode).where(PromoCode.code == "OLD").values(valid_until=datetime.now(timezone.utc)))
    await make_code(api, "EURO", discountMethod="FIXED_AMOUNT", discountValue="5", currency="EUR")
    await make_code(api, "ONE", usageLimitPerClient=1)
    assert (await purchase(api, token, usd, "k-1", "ONE"))["errors"] == []

    cases = [
        ("NOPE", usd, ("code", "CODE_INVALID")),
        ("DRAFT", usd, ("code", "CODE_INVALID")),
        ("GONE", usd, ("code", "CODE_INVALID")),
        ("OFF", usd, ("code", "CODE_INACTIVE")),
        ("LATER", usd, ("code", "CODE_NOT_STARTED")),
        ("OLD", inactive, ("code", "CODE_EXPIRED")),
        ("ONE", inactive, ("challengeId", "CHALLENGE_UNAVAILABLE")),
        ("ONE", "not-an-id", ("challengeId", "CHALLENGE_UNAVAILABLE")),
        ("ONE", base64.b64encode("PropChallenge:\u00b2".encode()).decode(), ("challengeId", "CHALLENGE_UNAVAILABLE")),  # '²'.isdigit()
        ("EURO", usd, ("code", "CURRENCY_MISMATCH")),
        ("ONE", usd, ("code", "USAGE_LIMIT_REACHED")),
    ]
    for code, challenge, expected in cases:
        payload = await apply(api, token, challenge, code)
        assert payload["quote"] is None and error_codes(payload) == [expected], (code, payload)
    blank = await apply(api, token, usd, "   ")
    assert error_codes(blank) == [("code", "REQUIRED")]


async def test_apply_guards(api):
    _, token = await make_client(api)
    challenge = await make_challenge(api)
    variables = {"i": {"challengeId": challenge, "code": "X"}}
    gated = (await api.data(APPLY, variables, token))["applyPromoCode"]
    assert error_codes(gated) == [(None, "MODULE_NOT_INSTALLED")]
    assert await api.error_code(APPLY, variables) == "FORBIDDEN"
    assert await api.error_code(APPLY, variables, api.client_token("unknown")) == "UNAUTHENTICATED"
    assert await api.error_code(APPLY, variables, None) == "UNAUTHENTICATED"


async def test_the_best_fitting_coupon_is_chosen_among_several(api, db):
    await api.install_module()
    client_id, token = await make_client(api)
    challenge = await make_challenge(api, "100")
    await make_code(api, "STACK", combinableWithCoupons=True)
    await issue_coupon(api, client_id, "FIXED_AMOUNT", "10")
    best = await issue_coupon(api, client_id, "PERCENTAGE", "15")
    await issue_coupon(api, client_id, "FIXED_AMOUNT", "50", currency="EUR")  # does not fit USD
    quote = (await apply(api, token, challenge, "STACK"))["quote"]
    assert quote["coupon"]["id"] == best["id"]
    assert [quote[k]["amount"] for k in ("couponDiscount", "promoDiscount", "total")] == ["15.00", "8.50", "76.50"]


async def test_expired_and_used_coupons_are_left_out(api, db):
    await api.install_module()
    client_id, token = await make_client(api)
    challenge = await make_challenge(api, "100")
    await make_code(api, "STACK", combinableWithCoupons=True)
    await issue_coupon(api, client_id, "FIXED_AMOUNT", "10", validUntil=SOON(days=1))
    async with db.write_engine.begin() as conn:
        await conn.execute(update(Coupon).values(valid_until=datetime.now(timezone.utc) - timedelta(seconds=1)))
    quote = (await apply(api, token, challenge, "STACK"))["quote"]
    assert quote["coupon"] is None and quote["couponDiscount"]["amount"] == "0.00"
    await issue_coupon(api, client_id, "FIXED_AMOUNT", "5")
    assert (await purchase(api, token, challenge, "k-1"))["purchase"]["coupon"] is not None
    second = await purchase(api, token, challenge, "k-2")
    assert second["errors"] == [] and second["purchase"]["coupon"] is None


async def test_minor_units_follow_iso_4217(api):
    await api.install_module()
    _, token = await make_client(api)
    forint = await make_challenge(api, "503.00", "HUF")  # CLDR would allow no decimals at all
    await make_code(api, "P10")
    quote = (await apply(api, token, forint, "P10"))["quote"]
    amounts = [quote[k]["amount"] for k in ("listPrice", "promoDiscount", "total")]
    assert amounts == ["503.00", "50.30", "452.70"]
