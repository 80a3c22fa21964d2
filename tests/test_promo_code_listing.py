"""``promoCodes``: filters, sorting, keyset pages in both directions, totalCount and the page cap."""
import base64
from datetime import datetime, timedelta, timezone

import pytest

from domain.paging import SortKey, encode_cursor
from models import PromoCode
from tests.api import create_promo_code, transition

pytestmark = pytest.mark.usefixtures("installed")

LIST = """
query($first: Int, $after: String, $last: Int, $before: String, $filter: PromoCodeFilter,
      $sortBy: PromoCodeSortField, $sortDirection: SortDirection) {
  promoCodes(first: $first, after: $after, last: $last, before: $before, filter: $filter,
             sortBy: $sortBy, sortDirection: $sortDirection) {
    totalCount
    edges { cursor node { code name status validityStatus } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}"""


@pytest.fixture
async def installed(api):
    await api.install_module()


async def listing(api, **variables):
    return (await api.data(LIST, variables))["promoCodes"]


def codes(page):
    return [e["node"]["code"] for e in page["edges"]]


async def test_default_page_is_20_newest_first(api):
    for i in range(23):
        await create_promo_code(api, code=f"CODE{i:02d}")
    page = await listing(api)
    assert codes(page) == [f"CODE{i:02d}" for i in range(22, 2, -1)]
    assert page["totalCount"] == 23
    assert page["pageInfo"]["hasNextPage"] is True
    assert page["pageInfo"]["hasPreviousPage"] is False
    rest = await listing(api, after=page["pageInfo"]["endCursor"])
    assert codes(rest) == ["CODE02", "CODE01", "CODE00"]
    assert rest["pageInfo"]["hasNextPage"] is False
    assert rest["pageInfo"]["hasPreviousPage"] is True


async def test_pages_walk_forwards_and_backwards_in_every_sort(api):
    names = {"ALPHA": "zeta", "BRAVO": "Echo", "CHARLIE": "alpha", "DELTA": "delta", "ECHO": "beta"}
    for code, name in names.items():
        await create_promo_code(api, code=code, name=name)
    for sort_by in ("CREATED_AT", "CODE", "NAME"):
        for direction in ("ASC", "DESC"):
            everything = codes(await listing(api, first=100, sortBy=sort_by, sortDirection=direction))
            assert sorted(everything) == sorted(names)
            seen, after = [], None
            while True:
                page = await listing(api, first=2, after=after, sortBy=sort_by, sortDirection=direction)
                seen += codes(page)
                if not page["pageInfo"]["hasNextPage"]:
                    break
                after = page["pageInfo"]["endCursor"]
            assert seen == everything, (sort_by, direction)
            backwards, before = [], None
            while True:
                page = await listing(api, last=2, before=before, sortBy=sort_by, sortDirection=direction)
                backwards = codes(page) + backwards
                if not page["pageInfo"]["hasPreviousPage"]:
                    break
                before = page["pageInfo"]["startCursor"]
            assert backwards == everything, (sort_by, direction)
    by_code = codes(await listing(api, sortBy="CODE", sortDirection="ASC"))
    assert by_code == sorted(names)


async def test_page_size_is_capped_at_100(api):
    for arguments in ({"first": 101}, {"last": 101}, {"first": -1}):
        body = await api.post(LIST, arguments)
        assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
        assert "100" in body["errors"][0]["message"] or "0" in body["errors"][0]["message"]
    assert (await listing(api, first=100))["totalCount"] == 0


async def test_a_forged_cursor_is_bad_input(api):
    await create_promo_code(api)
    for cursor in ("garbage", "W10=", "WyJhIiwxLDJd"):
        assert await api.error_code(LIST, {"after": cursor}) == "BAD_USER_INPUT"


async def test_cursors_with_values_no_column_can_hold_are_bad_input(api):
    await create_promo_code(api)
    by_created = SortKey((PromoCode.created_at, PromoCode.id), descending=True)  # the default: newest first
    by_code = SortKey((PromoCode.code, PromoCode.id), descending=True)
    year_one = datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=5)))  # before year 1 in UTC
    forged = [
        (encode_cursor([datetime.now(timezone.utc), 10**30], by_created), {}),
        (encode_cursor([datetime.now(timezone.utc), 2**31], by_created), {}),
        (encode_cursor([year_one, 1], by_created), {}),
        (encode_cursor(["A\x00", 1], by_code), {"sortBy": "CODE"}),
        (encode_cursor(["\ud800", 1], by_code), {"sortBy": "CODE"}),
        (base64.urlsafe_b64encode(b"[" * 100_000 + b"]" * 100_000).decode(), {}),
        (encode_cursor(["AAA", 1], by_code), {"sortBy": "NAME"}),  # another sort of the same types
        (encode_cursor(["AAA", 1], by_code), {"sortBy": "CODE", "sortDirection": "ASC"}),  # the other direction
    ]
    for cursor, sort in forged:
        assert await api.error_code(LIST, {"after": cursor, **sort}) == "BAD_USER_INPUT", cursor[:40]


async def test_filters_and_total_count(api):
    active = await create_promo_code(api, code="ACTIVE1")
    await transition(api, "enablePromoCode", active["id"])
    scheduled = await create_promo_code(api, code="LATER", validFrom="2099-01-01T00:00:00Z")
    await transition(api, "enablePromoCode", scheduled["id"])
    disabled = await create_promo_code(api, code="OFF")
    await transition(api, "enablePromoCode", disabled["id"])
    await transition(api, "disablePromoCode", disabled["id"])
    await create_promo_code(api, code="DRAFT", name="Summer draft")

    async def selected(**filter_):
        page = await listing(api, filter=filter_)
        assert page["totalCount"] == len(page["edges"])
        return sorted(codes(page))

    assert await selected(status=["ENABLED"]) == ["ACTIVE1", "LATER"]
    assert await selected(status=["NOT_ENABLED", "DISABLED"]) == ["DRAFT", "OFF"]
    assert await selected(validityStatus=["ACTIVE"]) == ["ACTIVE1"]
    assert await selected(validityStatus=["SCHEDULED"]) == ["LATER"]
    assert await selected(validityStatus=["INACTIVE"]) == ["DRAFT", "OFF"]
    assert await selected(validityStatus=["EXPIRED"]) == []
    assert await selected(validityStatus=[]) == []
    assert await selected(status=["ENABLED"], validityStatus=["SCHEDULED"]) == ["LATER"]
    assert await selected(search="summer") == ["DRAFT"]
    assert await selected(search="aTe") == ["LATER"]


async def test_search_treats_wildcards_literally(api):
    await create_promo_code(api, code="A_B", name="half % off")
    await create_promo_code(api, code="AXB", name="half off")
    assert codes(await listing(api, filter={"search": "a_b"})) == ["A_B"]
    assert codes(await listing(api, filter={"search": "%"})) == ["A_B"]
    assert sorted(codes(await listing(api, filter={"search": "HALF"}))) == ["AXB", "A_B"]


async def test_search_ignores_case_beyond_ascii(api):
    await create_promo_code(api, code="ETE1", name="ÉTÉ spécial")
    await create_promo_code(api, code="ETE2", name="été spécial")
    for needle in ("été", "ÉTÉ", "Spécial"):
        assert sorted(codes(await listing(api, filter={"search": needle}))) == ["ETE1", "ETE2"], needle


async def test_a_cursor_of_the_wrong_sort_is_bad_input(api):
    await create_promo_code(api, code="ONE")
    await create_promo_code(api, code="TWO")
    by_code = await listing(api, first=1, sortBy="CODE")
    assert await api.error_code(LIST, {"after": by_code["pageInfo"]["endCursor"], "sortBy": "CREATED_AT"}) == "BAD_USER_INPUT"
    by_date = await listing(api, first=1)
    assert await api.error_code(LIST, {"after": by_date["pageInfo"]["endCursor"], "sortBy": "NAME"}) == "BAD_USER_INPUT"
