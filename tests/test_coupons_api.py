"""issueCoupon and myCoupons through the GraphQL endpoint."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import update

from models import Coupon
from tests.checkout_helpers import ISSUE, issue_coupon, make_client

MY_COUPONS = "{ myCoupons { id name status discountMethod discountValue currency validUntil usedAt client { externalId } } }"
FUTURE = (datetime.now(timezone.utc) + timedelta(days=30)).isoformat()


async def test_issue_and_list_coupons(api):
    await api.install_module()
    client_id, token = await make_client(api, "C-1")
    fixed = await issue_coupon(api, client_id, "FIXED_AMOUNT", "10", currency="usd", validUntil=FUTURE, name=" Welcome ")
    assert fixed["name"] == "Welcome" and fixed["discountValue"] == "10.00" and fixed["currency"] == "USD"
    assert fixed["status"] == "AVAILABLE" and fixed["usedAt"] is None and fixed["client"] == {"externalId": "C-1"}
    percent = await issue_coupon(api, client_id, "PERCENTAGE", "12.5")
    mine = (await api.data(MY_COUPONS, token=token))["myCoupons"]
    assert [c["id"] for c in mine] == [percent["id"], fixed["id"]]  # newest first
    assert mine[0]["discountValue"] == "12.50" and mine[0]["currency"] is None and mine[0]["discountMethod"] == "PERCENTAGE"


async def test_a_client_sees_only_its_own_coupons(api):
    await api.install_module()
    first_id, first_token = await make_client(api, "C-1")
    _, second_token = await make_client(api, "C-2")
    coupon = await issue_coupon(api, first_id)
    assert (await api.data(MY_COUPONS, token=second_token))["myCoupons"] == []
    node = "query($id: ID!) { node(id: $id) { ... on Coupon { name } } }"
    assert (await api.data(node, {"id": coupon["id"]}, first_token))["node"] == {"name": "Welcome"}
    assert (await api.data(node, {"id": coupon["id"]}, second_token))["node"] is None
    assert (await api.data(node, {"id": coupon["id"]}))["node"] is None  # staff: not through node


async def test_a_coupon_past_its_valid_until_reads_expired(api, db):
    await api.install_module()
    client_id, token = await make_client(api)
    await issue_coupon(api, client_id, validUntil=FUTURE)
    async with db.write_engine.begin() as conn:
        await conn.execute(update(Coupon).values(valid_until=datetime.now(timezone.utc) - timedelta(seconds=1)))
    assert [c["status"] for c in (await api.data(MY_COUPONS, token=token))["myCoupons"]] == ["EXPIRED"]


async def test_issue_coupon_reports_every_input_problem(api):
    await api.install_module()
    bad = {
        "clientId": "Q2xpZW50Ojk5OQ==",  # Client:999
        "name": "  ",
        "discountMethod": "PERCENTAGE",
        "discountValue": "100.5",
        "currency": "USD",
        "validUntil": "2020-01-01T00:00:00Z",
    }
    payload = (await api.data(ISSUE, {"i": bad}))["issueCoupon"]
    assert payload["coupon"] is None
    assert sorted((e["field"], e["code"]) for e in payload["errors"]) == [
        ("clientId", "NOT_FOUND"),
        ("currency", "INVALID"),
        ("discountValue", "INVALID"),
        ("name", "REQUIRED"),
        ("validUntil", "INVALID"),
    ]


async def test_fixed_coupon_needs_a_currency_with_fitting_decimals(api):
    await api.install_module()
    client_id, _ = await make_client(api)
    base = {"clientId": client_id, "name": "X", "discountMethod": "FIXED_AMOUNT"}
    no_currency = (await api.data(ISSUE, {"i": base | {"discountValue": "5"}}))["issueCoupon"]
    assert [(e["field"], e["code"]) for e in no_currency["errors"]] == [("currency", "REQUIRED")]
    yen = (await api.data(ISSUE, {"i": base | {"discountValue": "5.5", "currency": "JPY"}}))["issueCoupon"]
    assert [(e["field"], e["code"]) for e in yen["errors"]] == [("discountValue", "INVALID")]


async def test_coupon_permissions_and_module_gate(api):
    client_id, token = await make_client(api)
    fields = {"clientId": client_id, "name": "X", "discountMethod": "PERCENTAGE", "discountValue": "5"}
    gated = (await api.data(ISSUE, {"i": fields}))["issueCoupon"]
    assert [e["code"] for e in gated["errors"]] == ["MODULE_NOT_INSTALLED"]
    assert await api.error_code(MY_COUPONS, token=token) == "MODULE_NOT_INSTALLED"
    await api.install_module()
    reader = api.staff_token("READ_PROMO_CODES")
    assert await api.error_code(ISSUE, {"i": fields}, reader) == "FORBIDDEN"
    assert await api.error_code(ISSUE, {"i": fields}, token) == "FORBIDDEN"
    assert await api.error_code(ISSUE, {"i": fields}, None) == "UNAUTHENTICATED"
    assert await api.error_code(MY_COUPONS) == "FORBIDDEN"
    assert await api.error_code(MY_COUPONS, token=api.client_token("nobody")) == "UNAUTHENTICATED"
