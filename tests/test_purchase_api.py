"""purchaseChallenge and myPurchases through the GraphQL endpoint."""
from __future__ import annotations

import base64

from sqlalchemy import func, select

from models import ChallengePurchase, Redemption
from schema.node import to_global_id
from tests.checkout_helpers import (
    DELETE,
    DISABLE,
    PURCHASE,
    error_codes,
    issue_coupon,
    make_challenge,
    make_client,
    make_code,
    purchase,
)

MINE = "{ myPurchases { totalCount edges { node { id total { amount } promoCode { code } } } } myCoupons { status usedAt } }"
REDEMPTION = """query($id: ID!) { node(id: $id) { ... on Redemption {
  promoCode { code } client { externalId } challenge { name } purchase { id } discount { amount currency } redeemedAt } } }"""


async def _count(db, model) -> int:
    async with db.write_engine.connect() as conn:
        return await conn.scalar(select(func.count()).select_from(model))


async def test_purchase_with_coupon_and_code_is_one_unit(api, db):
    await api.install_module()
    client_id, token = await make_client(api, "C-1")
    challenge = await make_challenge(api, "100.00", name="Phase 1")
    await make_code(api, "STACK", discountValue="10", combinableWithCoupons=True)
    coupon = await issue_coupon(api, client_id, "FIXED_AMOUNT", "10")
    payload = await purchase(api, token, challenge, "order-1", " stack ")
    assert payload["errors"] == []
    bought = payload["purchase"]
    assert bought["client"] == {"externalId": "C-1"} and bought["challenge"] == {"id": challenge, "name": "Phase 1"}
    assert [bought[k]["amount"] for k in ("listPrice", "couponDiscount", "promoDiscount", "total")] == [
        "100.00", "10.00", "9.00", "81.00"
    ]
    assert bought["coupon"]["id"] == coupon["id"] and bought["coupon"]["status"] == "USED"
    assert bought["coupon"]["usedAt"] == bought["createdAt"]
    assert bought["promoCode"] == {
        "code": "STACK", "name": "Code STACK", "discountMethod": "PERCENTAGE", "discountValue": "10.00",
        "currency": None, "validUntil": None, "combinableWithCoupons": True, "active": True,
    }
    mine = await api.data(MINE, token=token)
    assert mine["myPurchases"]["totalCount"] == 1
    assert mine["myPurchases"]["edges"][0]["node"] == {"id": bought["id"], "total": {"amount": "81.00"}, "promoCode": {"code": "STACK"}}
    assert mine["myCoupons"] == [{"status": "USED", "usedAt": bought["createdAt"]}]
    async with db.write_engine.connect() as conn:
        redemption_id = await conn.scalar(select(Redemption.id))
    node = (await api.data(REDEMPTION, {"id": to_global_id("Redemption", redemption_id)}))["node"]
    assert node == {
        "promoCode": {"code": "STACK"}, "client": {"externalId": "C-1"}, "challenge": {"name": "Phase 1"},
        "purchase": {"id": bought["id"]}, "discount": {"amount": "9.00", "currency": "USD"},
        "redeemedAt": bought["createdAt"],
    }
    assert (await api.data(REDEMPTION, {"id": to_global_id("Redemption", redemption_id)}, token))["node"] is None


async def test_non_combinable_code_keeps_the_coupon(api):
    await api.install_module()
    client_id, token = await make_client(api)
    challenge = await make_challenge(api, "100")
    await make_code(api, "SOLO")
    await issue_coupon(api, client_id, "PERCENTAGE", "50")
    bought = (await purchase(api, token, challenge, "k", "SOLO"))["purchase"]
    assert bought["coupon"] is None and bought["total"]["amount"] == "90.00"
    assert (await api.data(MINE, token=token))["myCoupons"][0]["status"] == "AVAILABLE"
    # The next purchase without a code uses it.
    second = (await purchase(api, token, challenge, "k2"))["purchase"]
    assert second["coupon"]["status"] == "USED" and second["total"]["amount"] == "50.00"


async def test_purchase_without_code_needs_no_module(api, db):
    _, token = await make_client(api)
    challenge = await make_challenge(api, "49.99")
    payload = await purchase(api, token, challenge, "k")
    assert payload["errors"] == [] and payload["purchase"]["total"]["amount"] == "49.99"
    assert payload["purchase"]["promoCode"] is None and payload["purchase"]["coupon"] is None
    assert (await api.data(MINE.replace(" myCoupons { status usedAt }", ""), token=token))["myPurchases"]["totalCount"] == 1
    gated = await purchase(api, token, challenge, "k2", "ANY")
    assert error_codes(gated) == [(None, "MODULE_NOT_INSTALLED")]
    assert await _count(db, Redemption) == 0


async def test_limit_reached_rolls_everything_back(api, db):
    await api.install_module()
    client_id, token = await make_client(api, "C-1")
    _, other = await make_client(api, "C-2")
    challenge = await make_challenge(api)
    await make_code(api, "ONCE", usageLimitPerClient=1, combinableWithCoupons=True)
    await issue_coupon(api, client_id)
    assert (await purchase(api, token, challenge, "k1", "ONCE"))["errors"] == []
    await issue_coupon(api, client_id)
    refused = await purchase(api, token, challenge, "k2", "once")
    assert refused["purchase"] is None and error_codes(refused) == [("promoCode", "USAGE_LIMIT_REACHED")]
    statuses = sorted(c["status"] for c in (await api.data(MINE, token=token))["myCoupons"])
    assert statuses == ["AVAILABLE", "USED"]
    assert (await _count(db, ChallengePurchase), await _count(db, Redemption)) == (1, 1)
    assert (await purchase(api, other, challenge, "k1", "ONCE"))["errors"] == []  # limits are per client


async def test_idempotency_keys(api, db):
    await api.install_module()
    client_id, token = await make_client(api, "C-1")
    _, other = await make_client(api, "C-2")
    challenge = await make_challenge(api)
    second_challenge = await make_challenge(api, name="Other")
    code_id = await make_code(api, "SAVE", combinableWithCoupons=True)
    await make_code(api, "MORE")
    await issue_coupon(api, client_id)
    first = (await purchase(api, token, challenge, "same-key", "SAVE"))["purchase"]
    await api.data(DISABLE, {"id": code_id})
    # The repeat comes back before any code check (the code is disabled now).
    again = await purchase(api, token, challenge, "same-key", "save")
    assert again["errors"] == [] and again["purchase"]["id"] == first["id"]
    assert again["purchase"]["promoCode"]["active"] is False
    for variant in ((second_challenge, "SAVE"), (challenge, "MORE"), (challenge, None)):
        conflict = await purchase(api, token, variant[0], "same-key", variant[1])
        assert error_codes(conflict) == [("idempotencyKey", "IDEMPOTENCY_CONFLICT")], variant
    unrelated = await purchase(api, other, challenge, "same-key")
    assert unrelated["errors"] == [] and unrelated["purchase"]["id"] != first["id"]
    assert await _count(db, ChallengePurchase) == 2
    blank = await purchase(api, token, challenge, " ")
    assert error_codes(blank) == [("idempotencyKey", "REQUIRED")]


async def test_a_purchase_keeps_the_code_as_it_was(api):
    await api.install_module()
    _, token = await make_client(api)
    challenge = await make_challenge(api)
    code_id = await make_code(api, "GONE", discountMethod="FIXED_AMOUNT", discountValue="15", currency="USD")
    await purchase(api, token, challenge, "k", "GONE")
    await api.data(DISABLE, {"id": code_id})
    await api.data(DELETE, {"id": code_id})
    await make_code(api, "GONE", discountValue="50")  # the string is free again
    node = (await api.data(MINE, token=token))["myPurchases"]["edges"][0]["node"]
    assert node["promoCode"] == {"code": "GONE"}
    offer = "{ myPurchases { edges { node { promoCode { discountMethod discountValue currency active } } } } }"
    shown = (await api.data(offer, token=token))["myPurchases"]["edges"][0]["node"]["promoCode"]
    assert shown == {"discountMethod": "FIXED_AMOUNT", "discountValue": "15.00", "currency": "USD", "active": False}


async def test_purchases_are_private_and_paged(api):
    await api.install_module()
    _, token = await make_client(api, "C-1")
    _, other = await make_client(api, "C-2")
    challenge = await make_challenge(api)
    ids = [(await purchase(api, token, challenge, f"k{i}"))["purchase"]["id"] for i in range(3)]
    page = "query($after: String) { myPurchases(first: 2, after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } } }"
    first = (await api.data(page, token=token))["myPurchases"]
    assert [e["node"]["id"] for e in first["edges"]] == ids[:0:-1] and first["pageInfo"]["hasNextPage"]
    rest = (await api.data(page, {"after": first["pageInfo"]["endCursor"]}, token))["myPurchases"]
    assert [e["node"]["id"] for e in rest["edges"]] == ids[:1] and not rest["pageInfo"]["hasNextPage"]
    node = "query($id: ID!) { node(id: $id) { ... on ChallengePurchase { id } } }"
    assert (await api.data(node, {"id": ids[0]}, token))["node"] == {"id": ids[0]}
    assert (await api.data(node, {"id": ids[0]}, other))["node"] is None
    assert (await api.data("{ myPurchases { totalCount } }", token=other))["myPurchases"]["totalCount"] == 0
    assert await api.error_code("{ myPurchases { totalCount } }") == "FORBIDDEN"
    assert await api.error_code(PURCHASE, {"i": {"challengeId": challenge, "idempotencyKey": "x"}}) == "FORBIDDEN"


async def test_staff_read_a_codes_redemptions_newest_first(api):
    await api.install_module()
    _, first_token = await make_client(api, "C-1")
    _, second_token = await make_client(api, "C-2")
    challenge = await make_challenge(api, "80.00", name="Phase 1")
    code_id = await make_code(api, "TWICE", discountValue="25")
    await make_code(api, "OTHER")
    bought = [(await purchase(api, token, challenge, "k", "TWICE"))["purchase"] for token in (first_token, second_token)]
    await purchase(api, first_token, challenge, "k2", "OTHER")
    query = """query($id: ID!) { promoCode(id: $id) { redemptions(first: 1) {
      totalCount pageInfo { hasNextPage }
      edges { node { client { externalId } challenge { name } purchase { id } discount { amount currency } promoCode { code } } } } } }"""
    page = (await api.data(query, {"id": code_id}, api.staff_token("READ_PROMO_CODES")))["promoCode"]["redemptions"]
    assert page["totalCount"] == 2 and page["pageInfo"]["hasNextPage"]
    assert page["edges"][0]["node"] == {
        "client": {"externalId": "C-2"}, "challenge": {"name": "Phase 1"}, "purchase": {"id": bought[1]["id"]},
        "discount": {"amount": "20.00", "currency": "USD"}, "promoCode": {"code": "TWICE"},
    }


async def test_ids_with_non_ascii_digits_are_simply_unknown(api):
    await api.install_module()
    client_id, token = await make_client(api)
    odd = lambda type_name: base64.b64encode(f"{type_name}:\u00b2".encode()).decode()  # noqa: E731 - '²'.isdigit()
    payload = await purchase(api, token, odd("PropChallenge"), "k-1")
    assert error_codes(payload) == [("challengeId", "CHALLENGE_UNAVAILABLE")]
    issued = await api.data(
        "mutation($i: CouponIssueInput!) { issueCoupon(input: $i) { errors { field code } } }",
        {"i": {"clientId": odd("Client"), "name": "x", "discountMethod": "PERCENTAGE", "discountValue": "5"}},
    )
    assert issued["issueCoupon"]["errors"] == [{"field": "clientId", "code": "NOT_FOUND"}]
    assert (await api.data("query($id: ID!) { node(id: $id) { id } }", {"id": odd("Client")}))["node"] is None


async def test_node_gives_staff_what_a_codes_redemptions_reach_while_the_code_lives(api):
    await api.install_module()
    client_id, token = await make_client(api)
    challenge = await make_challenge(api)
    code_id = await make_code(api, "REACH", combinableWithCoupons=True)
    await issue_coupon(api, client_id, "FIXED_AMOUNT", "5")
    with_code = (await purchase(api, token, challenge, "k-1", "REACH"))["purchase"]
    without_code = (await purchase(api, token, challenge, "k-2"))["purchase"]
    listed = "query($id: ID!) { node(id: $id) { ... on PromoCode { redemptions { edges { node { id } } } } } }"
    redemption = (await api.data(listed, {"id": code_id}))["node"]["redemptions"]["edges"][0]["node"]["id"]
    reader = api.staff_token("READ_PROMO_CODES")
    seen = "query($id: ID!) { node(id: $id) { id } }"

    async def staff_sees(node_id: str) -> bool:
        return (await api.data(seen, {"id": node_id}, reader))["node"] is not None

    assert [await staff_sees(i) for i in (redemption, with_code["id"], with_code["coupon"]["id"])] == [True] * 3
    assert not await staff_sees(without_code["id"])  # no redemption leads to it
    assert (await api.data(DISABLE, {"id": code_id}))["disablePromoCode"]["errors"] == []
    assert (await api.data(DELETE, {"id": code_id}))["deletePromoCode"]["errors"] == []
    assert [await staff_sees(i) for i in (redemption, with_code["id"], with_code["coupon"]["id"])] == [False] * 3
    assert (await api.data(seen, {"id": with_code["id"]}, token))["node"] == {"id": with_code["id"]}  # the client's own
