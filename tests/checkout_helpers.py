"""Building blocks for checkout tests: clients, challenges, codes and coupons made through the API."""
from __future__ import annotations

from typing import Any

from tests.api import Api

CREATE_CLIENT = "mutation($i: ClientCreateInput!) { createClient(input: $i) { client { id } errors { code } } }"
CREATE_CHALLENGE = (
    "mutation($i: PropChallengeCreateInput!) { createPropChallenge(input: $i) { challenge { id } errors { code } } }"
)
CREATE_CODE = "mutation($i: PromoCodeCreateInput!) { createPromoCode(input: $i) { promoCode { id } errors { code message } } }"
ENABLE = "mutation($id: ID!) { enablePromoCode(id: $id) { errors { code } } }"
DISABLE = "mutation($id: ID!) { disablePromoCode(id: $id) { errors { code } } }"
DELETE = "mutation($id: ID!) { deletePromoCode(id: $id) { errors { code } } }"
ISSUE = """mutation($i: CouponIssueInput!) {
  issueCoupon(input: $i) {
    coupon { id name status discountValue currency validUntil usedAt client { externalId } }
    errors { field code message }
  }
}"""

MONEY = "{ amount currency }"
PURCHASE_FIELDS = f"""id createdAt listPrice {MONEY} couponDiscount {MONEY} promoDiscount {MONEY} total {MONEY}
  client {{ externalId }} challenge {{ id name }} coupon {{ id status usedAt }}
  promoCode {{ code name discountMethod discountValue currency validUntil combinableWithCoupons active }}"""
APPLY = f"""mutation($i: ApplyPromoCodeInput!) {{
  applyPromoCode(input: $i) {{
    quote {{ challenge {{ id }} listPrice {MONEY} coupon {{ id name }} couponDiscount {MONEY}
      promoCode {{ code active }} promoDiscount {MONEY} total {MONEY} }}
    errors {{ field code message }}
  }}
}}"""
PURCHASE = f"""mutation($i: PurchaseChallengeInput!) {{
  purchaseChallenge(input: $i) {{ purchase {{ {PURCHASE_FIELDS} }} errors {{ field code message }} }}
}}"""


async def make_client(api: Api, external_id: str = "C-1") -> tuple[str, str]:
    """A client; returns its global id and a client token for it."""
    data = await api.data(
        CREATE_CLIENT, {"i": {"externalId": external_id, "name": f"Client {external_id}", "email": f"{external_id}@example.com"}}
    )
    assert data["createClient"]["errors"] == []
    return data["createClient"]["client"]["id"], api.client_token(external_id)


async def make_challenge(api: Api, price: str = "100.00", currency: str = "USD", name: str = "Challenge") -> str:
    data = await api.data(CREATE_CHALLENGE, {"i": {"name": name, "price": price, "currency": currency}})
    assert data["createPropChallenge"]["errors"] == []
    return data["createPropChallenge"]["challenge"]["id"]


async def make_code(api: Api, code: str = "SAVE10", enable: bool = True, **settings: Any) -> str:
    """A promo code (10 % off unless ``settings`` say otherwise), enabled unless told not to."""
    fields = {"code": code, "name": f"Code {code}", "discountMethod": "PERCENTAGE", "discountValue": "10"} | settings
    data = await api.data(CREATE_CODE, {"i": fields})
    assert data["createPromoCode"]["errors"] == [], data
    code_id = data["createPromoCode"]["promoCode"]["id"]
    if enable:
        assert (await api.data(ENABLE, {"id": code_id}))["enablePromoCode"]["errors"] == []
    return code_id


async def issue_coupon(api: Api, client_id: str, method: str = "FIXED_AMOUNT", value: str = "10", **extra: Any) -> dict[str, Any]:
    fields = {"clientId": client_id, "name": "Welcome", "discountMethod": method, "discountValue": value} | extra
    if method == "FIXED_AMOUNT":
        fields.setdefault("currency", "USD")
    payload = (await api.data(ISSUE, {"i": fields}))["issueCoupon"]
    assert payload["errors"] == [], payload
    return payload["coupon"]


async def apply(api: Api, token: str, challenge_id: str, code: str) -> dict[str, Any]:
    return (await api.data(APPLY, {"i": {"challengeId": challenge_id, "code": code}}, token))["applyPromoCode"]


async def purchase(api: Api, token: str, challenge_id: str, key: str, code: str | None = None) -> dict[str, Any]:
    fields: dict[str, Any] = {"challengeId": challenge_id, "idempotencyKey": key}
    if code is not None:
        fields["promoCode"] = code
    return (await api.data(PURCHASE, {"i": fields}, token))["purchaseChallenge"]


def error_codes(payload: dict[str, Any]) -> list[tuple[str | None, str]]:
    return [(e["field"], e["code"]) for e in payload["errors"]]
