"""A promo code's statistics and client list, pinned against hand-computed data."""
import pytest
from sqlalchemy import func, select, update

from models import NotificationBatch

from tests.checkout_helpers import issue_coupon, make_challenge, make_client, make_code, purchase
from tests.notifying import lifecycle, notify

STATISTICS = """query($id: ID!) { promoCode(id: $id) { statistics {
  totalRedeemed uniqueClients notifiedClients totalDiscount { amount currency } lastRedeemedAt } } }"""
CLIENTS = """query($id: ID!, $status: PromoCodeClientStatus, $first: Int, $after: String) { promoCode(id: $id) {
  clients(status: $status, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { client { externalId } notifiedAt channels timesRedeemed remainingUses status
                   redemptions { discount { amount currency } challenge { name } purchase { id } } } } } } }"""


@pytest.fixture
async def world(api):
    """ANN: notified by e-mail, then bought twice (limit 2). BOB: notified twice, never bought.
    CAT: bought once without being notified, with a coupon. DAN: nothing."""
    await api.install_module()
    ann, ann_token = await make_client(api, "ANN")
    bob, _ = await make_client(api, "BOB")
    cat, cat_token = await make_client(api, "CAT")
    await make_client(api, "DAN")
    usd = await make_challenge(api, "100.00", "USD", name="Starter USD")
    eur = await make_challenge(api, "250.00", "EUR", name="Pro EUR")
    code = await make_code(api, "SAVE10", usageLimitPerClient=2, combinableWithCoupons=True)
    assert (await notify(api, code, clientIds=[ann], channels=["EMAIL"]))["errors"] == []
    assert (await notify(api, code, clientIds=[bob], channels=["POPUP"]))["errors"] == []
    assert (await notify(api, code, clientIds=[bob, ann], channels=["EMAIL"]))["errors"] == []
    await issue_coupon(api, cat, "FIXED_AMOUNT", "20")
    purchases = [
        await purchase(api, ann_token, usd, "a1", "save10"),
        await purchase(api, ann_token, eur, "a2", "SAVE10"),
        await purchase(api, cat_token, usd, "c1", "SAVE10"),
    ]
    assert all(p["errors"] == [] for p in purchases), purchases
    return {"code": code, "purchases": [p["purchase"] for p in purchases]}


async def test_figures(api, world):
    stats = (await api.data(STATISTICS, {"id": world["code"]}))["promoCode"]["statistics"]
    assert stats["totalRedeemed"] == 3
    assert stats["uniqueClients"] == 2
    assert stats["notifiedClients"] == 2
    # ANN: 10 % of 100 USD and of 250 EUR; CAT: 10 % of what the 20 USD coupon leaves (coupons not counted)
    assert stats["totalDiscount"] == [{"amount": "25.00", "currency": "EUR"}, {"amount": "18.00", "currency": "USD"}]
    assert stats["lastRedeemedAt"] == world["purchases"][-1]["createdAt"]


async def test_client_rows(api, world):
    page = (await api.data(CLIENTS, {"id": world["code"]}))["promoCode"]["clients"]
    assert page["totalCount"] == 3
    rows = {e["node"]["client"]["externalId"]: e["node"] for e in page["edges"]}
    assert list(rows) == ["ANN", "BOB", "CAT"]
    ann, bob, cat = rows["ANN"], rows["BOB"], rows["CAT"]
    assert (ann["status"], ann["timesRedeemed"], ann["remainingUses"], ann["channels"]) == ("LIMIT_REACHED", 2, 0, ["EMAIL"])
    assert [(r["challenge"]["name"], r["discount"]["amount"]) for r in ann["redemptions"]] == [("Starter USD", "10.00"), ("Pro EUR", "25.00")]
    assert [r["purchase"]["id"] for r in ann["redemptions"]] == [p["id"] for p in world["purchases"][:2]]
    assert (bob["status"], bob["timesRedeemed"], bob["remainingUses"], bob["channels"]) == ("NOT_USED", 0, 2, ["EMAIL", "POPUP"])
    assert bob["redemptions"] == []
    assert ann["notifiedAt"] is not None and bob["notifiedAt"] > ann["notifiedAt"]  # first notification counts
    assert (cat["status"], cat["timesRedeemed"], cat["remainingUses"], cat["notifiedAt"], cat["channels"]) == ("USED", 1, 1, None, [])


async def test_status_filter_and_pages(api, world):
    async def externals(**variables):
        page = (await api.data(CLIENTS, {"id": world["code"], **variables}))["promoCode"]["clients"]
        assert page["totalCount"] == len(page["edges"]) or "first" in variables
        return [e["node"]["client"]["externalId"] for e in page["edges"]], page

    assert (await externals(status="LIMIT_REACHED"))[0] == ["ANN"]
    assert (await externals(status="USED"))[0] == ["CAT"]
    assert (await externals(status="NOT_USED"))[0] == ["BOB"]
    first, page = await externals(first=2)
    assert first == ["ANN", "BOB"] and page["pageInfo"]["hasNextPage"] is True and page["totalCount"] == 3
    rest, page = await externals(first=2, after=page["pageInfo"]["endCursor"])
    assert rest == ["CAT"] and page["pageInfo"]["hasNextPage"] is False
    assert await api.error_code(CLIENTS, {"id": world["code"], "first": 101}) == "BAD_USER_INPUT"


async def test_unlimited_code_counts_too(api):
    await api.install_module()
    _, token = await make_client(api, "ZED")
    challenge = await make_challenge(api, "80.00", "USD")
    code = await make_code(api, "OPEN", discountMethod="FIXED_AMOUNT", discountValue="5", currency="USD")
    for key in ("k1", "k2", "k3"):
        assert (await purchase(api, token, challenge, key, "OPEN"))["errors"] == []
    stats = (await api.data(STATISTICS, {"id": code}))["promoCode"]["statistics"]
    assert (stats["totalRedeemed"], stats["uniqueClients"], stats["totalDiscount"]) == (3, 1, [{"amount": "15.00", "currency": "USD"}])
    row = (await api.data(CLIENTS, {"id": code}))["promoCode"]["clients"]["edges"][0]["node"]
    assert (row["status"], row["remainingUses"], row["timesRedeemed"]) == ("USED", None, 3)


async def test_a_new_code_starts_from_zero(api):
    await api.install_module()
    code = await make_code(api, "FRESH")
    stats = (await api.data(STATISTICS, {"id": code}))["promoCode"]["statistics"]
    assert stats == {"totalRedeemed": 0, "uniqueClients": 0, "notifiedClients": 0, "totalDiscount": [], "lastRedeemedAt": None}
    assert (await api.data(CLIENTS, {"id": code}))["promoCode"]["clients"] == {"totalCount": 0, "pageInfo": {"hasNextPage": False, "endCursor": None}, "edges": []}


async def test_a_deleted_codes_history_is_kept_apart_from_its_successor(api, world, db):
    from domain.statistics import statistics_of
    from schema.node import pk_of

    await lifecycle(api, "disablePromoCode", world["code"])
    await lifecycle(api, "deletePromoCode", world["code"])
    successor = await make_code(api, "SAVE10")
    stats = (await api.data(STATISTICS, {"id": successor}))["promoCode"]["statistics"]
    assert (stats["totalRedeemed"], stats["notifiedClients"]) == (0, 0)
    async with db.read_session() as session:
        kept = (await statistics_of(session, [pk_of(world["code"], "PromoCode")]))[pk_of(world["code"], "PromoCode")]
    assert (kept.total_redeemed, kept.unique_clients, kept.notified_clients) == (3, 2, 2)
    purchases = (await api.data("{ myPurchases { edges { node { promoCode { code active } } } } }", token=api.client_token("ANN")))["myPurchases"]
    assert [e["node"]["promoCode"] for e in purchases["edges"]] == [{"code": "SAVE10", "active": False}] * 2


async def test_a_batch_not_yet_published_is_not_counted_or_listed(api, world, db):
    dan = (await api.data('{ clients(search: "DAN") { edges { node { id } } } }'))["clients"]["edges"][0]["node"]["id"]
    assert (await notify(api, world["code"], clientIds=[dan], channels=["POPUP"]))["errors"] == []
    async with db.write_engine.begin() as conn:  # as if its chunks were still being written
        await conn.execute(
            update(NotificationBatch).where(NotificationBatch.id == select(func.max(NotificationBatch.id)).scalar_subquery()).values(published_at=None)
        )
    stats = (await api.data(STATISTICS, {"id": world["code"]}))["promoCode"]["statistics"]
    assert stats["notifiedClients"] == 2
    rows = (await api.data(CLIENTS, {"id": world["code"]}))["promoCode"]["clients"]
    assert "DAN" not in [e["node"]["client"]["externalId"] for e in rows["edges"]] and rows["totalCount"] == 3
