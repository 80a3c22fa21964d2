"""Lifecycle rules hold when many requests arrive at once."""
import asyncio

from tests.api import CREATE_PROMO_CODE, create_promo_code, percentage_code, transition


async def test_one_of_many_concurrent_creates_of_a_code_wins(api):
    await api.install_module()
    payloads = await asyncio.gather(
        *(api.data(CREATE_PROMO_CODE, {"input": percentage_code(code=f"race{' ' * (i % 3)}")}) for i in range(12))
    )
    outcomes = sorted("ok" if not p["createPromoCode"]["errors"] else p["createPromoCode"]["errors"][0]["code"] for p in payloads)
    assert outcomes == ["DUPLICATE"] * 11 + ["ok"]
    assert (await api.data("{ promoCodes { totalCount } }"))["promoCodes"]["totalCount"] == 1


async def test_one_of_many_concurrent_enables_wins_and_writes_one_event(api):
    await api.install_module()
    code = await create_promo_code(api)
    payloads = await asyncio.gather(*(transition(api, "enablePromoCode", code["id"]) for _ in range(10)))
    assert sorted(p["errors"][0]["code"] if p["errors"] else "ok" for p in payloads) == ["INVALID_TRANSITION"] * 9 + ["ok"]
    events = (await api.data("query($id: ID!) { promoCode(id: $id) { events { action } } }", {"id": code["id"]}))["promoCode"]["events"]
    assert [e["action"] for e in events] == ["CREATED", "ENABLED"]
