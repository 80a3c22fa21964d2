"""A purchase that crashes between its steps leaves nothing half-written: no purchase, no
redemption, no use counted, statistics and discount totals unchanged, the coupon still AVAILABLE;
and the same idempotency key then buys normally. Crashes are injected after the purchase INSERT
(whose trigger has already counted and redeemed) and after the coupon UPDATE, just before commit."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from database import Database
from domain import checkout, checkout_store
from models import ChallengePurchase, Coupon, PromoCodeDiscountTotal, PromoCodeStatistics, PromoCodeUsage, Redemption
from tests.checkout_helpers import issue_coupon, make_challenge, make_client, make_code, purchase

MY_COUPONS = "{ myCoupons { id status } }"


class InjectedCrash(Exception):
    """Stands for anything that kills a purchase half-way (a bug, a dropped connection)."""


async def crash(*_args, **_kwargs):
    raise InjectedCrash("injected between purchase steps")


def crash_before_commit(*_args, **_kwargs):
    raise InjectedCrash("injected after the last write, before commit")


async def written(db: Database) -> dict[str, object]:
    """What a purchase writes, counted."""
    async with db.write_engine.connect() as conn:
        counts = {
            model.__tablename__: await conn.scalar(select(func.count()).select_from(model))
            for model in (ChallengePurchase, Redemption, PromoCodeUsage)
        }
        counts["redeemed"] = await conn.scalar(select(func.coalesce(func.sum(PromoCodeStatistics.total_redeemed), 0)))
        counts["discount_rows"] = await conn.scalar(select(func.count()).select_from(PromoCodeDiscountTotal))
        counts["coupons_used"] = await conn.scalar(select(func.count()).select_from(Coupon).where(Coupon.used_at.is_not(None)))
    return counts


NOTHING = {"challenge_purchases": 0, "redemptions": 0, "promo_code_usages": 0, "redeemed": 0, "discount_rows": 0, "coupons_used": 0}


@pytest.mark.parametrize(
    ("module", "name", "replacement"),
    [(checkout_store, "use_coupon", crash), (checkout, "_built", crash_before_commit)],
    ids=["after the purchase insert", "after the coupon update"],
)
async def test_a_crash_between_purchase_steps_leaves_no_half_written_purchase(api, db, monkeypatch, module, name, replacement):
    await api.install_module()
    client_id, token = await make_client(api, "CRASH-1")
    challenge = await make_challenge(api)
    await make_code(api, "CRASH10", combinableWithCoupons=True)
    await issue_coupon(api, client_id)

    with monkeypatch.context() as patch:
        patch.setattr(module, name, replacement)
        body = await api.post(PURCHASE_MUTATION, {"i": {"challengeId": challenge, "idempotencyKey": "k1", "promoCode": "CRASH10"}}, token)
    assert body["errors"][0]["message"] == "Internal server error."  # masked: no internals leak
    assert await written(db) == NOTHING
    assert [c["status"] for c in (await api.data(MY_COUPONS, token=token))["myCoupons"]] == ["AVAILABLE"]

    retried = await purchase(api, token, challenge, "k1", "CRASH10")
    assert retried["errors"] == []
    assert retried["purchase"]["couponDiscount"]["amount"] == "10.00"
    assert await written(db) == {**NOTHING, "challenge_purchases": 1, "redemptions": 1, "promo_code_usages": 1, "redeemed": 1, "discount_rows": 1, "coupons_used": 1}


PURCHASE_MUTATION = """mutation($i: PurchaseChallengeInput!) {
  purchaseChallenge(input: $i) { purchase { id } errors { field code } }
}"""
