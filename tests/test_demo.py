"""The demo data: every promo code state, reference data, and tokens that work, read through the API."""
from __future__ import annotations

from collections import Counter

import pytest

from sqlalchemy import func, select

from demo.promo_codes import CODES
from demo.reference import CHALLENGES, CLIENT_COUNT, GROUPS
from demo.steps import SeedOutcome, seed_demo
from demo.tokens import demo_tokens
from models import Client, PromoCode

CODES_QUERY = """{ promoCodes(first: 100) { totalCount edges { node {
  code status validityStatus editable deletable discountValue currency events { action actor } } } } }"""


async def test_demo_has_promo_codes_in_every_state(api, db):
    outcome, world = await seed_demo(db)
    assert outcome is SeedOutcome.SEEDED
    nodes = [e["node"] for e in (await api.data(CODES_QUERY))["promoCodes"]["edges"]]
    assert {n["status"] for n in nodes} == {"NOT_ENABLED", "ENABLED", "DISABLED"}
    assert {n["validityStatus"] for n in nodes} == {"ACTIVE", "SCHEDULED", "EXPIRED", "INACTIVE"}
    by_code = {n["code"]: n for n in nodes}
    assert by_code["SPRING20"]["validityStatus"] == "EXPIRED"
    assert by_code["BLACKFRIDAY"]["validityStatus"] == "SCHEDULED"
    assert by_code["FLASH50"]["status"] == "DISABLED" and by_code["FLASH50"]["deletable"] is True
    assert by_code["VIP15"]["editable"] is True and by_code["VIP15"]["discountValue"] == "12.50"
    assert by_code["YEN3000"]["discountValue"] == "3000" and by_code["YEN3000"]["currency"] == "JPY"
    assert [e["action"] for e in by_code["FLASH50"]["events"]] == ["CREATED", "ENABLED", "DISABLED"]
    # The deleted code is hidden from the API but kept, with its history.
    assert "OLDPROMO" not in by_code and len(nodes) == len(CODES) - 1
    assert "OLDPROMO" in world.promo_codes


async def test_demo_has_clients_groups_challenges_and_the_module(api, db):
    await seed_demo(db)
    data = await api.data("""{
      marketplaceModules { key installed }
      clients(first: 100) { totalCount edges { node { externalId email groups { name } } } }
      clientGroups { name clientCount }
      propChallenges(includeInactive: true) { name active price { amount currency } }
    }""")
    assert data["marketplaceModules"] == [{"key": "coupons-and-promo-codes", "installed": True}]
    assert data["clients"]["totalCount"] == CLIENT_COUNT
    assert len({e["node"]["email"] for e in data["clients"]["edges"]}) == CLIENT_COUNT
    assert {g["name"]: g["clientCount"] for g in data["clientGroups"]} == {n: len(m) for n, m in GROUPS.items()}
    challenges = {c["name"]: c for c in data["propChallenges"]}
    assert len(challenges) == len(CHALLENGES)
    assert challenges["Legacy 200K"]["active"] is False
    assert challenges["Tokyo 5M"]["price"] == {"amount": "32800", "currency": "JPY"}
    assert Counter(c["price"]["currency"] for c in data["propChallenges"]) == Counter(c[2] for c in CHALLENGES)


async def test_demo_tokens_work_as_their_roles(api, db):
    await seed_demo(db)
    admin, read_only, client = demo_tokens(api.secret)
    assert (await api.data("{ viewer { subject } }", token=admin.token))["viewer"]["subject"] == "admin@demo"
    listing = await api.data("{ promoCodes { totalCount } }", token=read_only.token)
    assert listing["promoCodes"]["totalCount"] == len(CODES) - 1
    create = 'mutation { createPromoCode(input: {code: "X123", name: "x", discountMethod: PERCENTAGE, discountValue: "1"}) { errors { code } } }'
    assert await api.error_code(create, token=read_only.token) == "FORBIDDEN"
    viewer = await api.data("{ viewer { kind client { externalId name } } }", token=client.token)
    assert viewer["viewer"] == {"kind": "CLIENT", "client": {"externalId": "C-1001", "name": "Ava Thompson"}}


async def test_seeding_twice_changes_nothing(db):
    assert (await seed_demo(db))[0] is SeedOutcome.SEEDED
    assert (await seed_demo(db))[0] is SeedOutcome.ALREADY_SEEDED
    async with db.read_session() as session:
        assert await session.scalar(select(func.count()).select_from(Client)) == CLIENT_COUNT
        assert await session.scalar(select(func.count()).select_from(PromoCode)) == len(CODES)


@pytest.mark.parametrize(
    "mutation",
    [
        'mutation { createPropChallenge(input: {name: "Live 10K", price: "99", currency: "USD"}) { errors { code } } }',
        'mutation { createClientGroup(input: {name: "Live"}) { errors { code } } }',
    ],
)
async def test_seeding_refuses_a_database_with_any_data_of_its_own(api, db, mutation):
    (payload,) = (await api.data(mutation)).values()
    assert payload["errors"] == []
    outcome, _ = await seed_demo(db)
    assert outcome is SeedOutcome.REFUSED
    async with db.read_session() as session:
        assert await session.scalar(select(func.count()).select_from(Client)) == 0


async def test_seeding_refuses_a_database_with_other_clients(api, db):
    await api.data('mutation { createClient(input: {externalId: "REAL-1", name: "Real", email: "r@example.com"}) { errors { code } } }')
    outcome, _ = await seed_demo(db)
    assert outcome is SeedOutcome.REFUSED
    async with db.read_session() as session:
        assert await session.scalar(select(func.count()).select_from(PromoCode)) == 0
