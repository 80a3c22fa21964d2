"""Promo code lifecycle through the GraphQL endpoint: validation, transitions, editing, deleting, audit."""
import base64
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import update

from models import PromoCode
from tests.api import (
    CREATE_PROMO_CODE,
    DELETE_PROMO_CODE,
    UPDATE_PROMO_CODE,
    create_promo_code,
    percentage_code,
    transition,
)

pytestmark = pytest.mark.usefixtures("installed")


@pytest.fixture
async def installed(api):
    await api.install_module()


def in_days(days: float) -> str:
    return (datetime.now(timezone.utc) + timedelta(days=days)).isoformat()


async def create_errors(api, **fields):
    payload = (await api.data(CREATE_PROMO_CODE, {"input": percentage_code(**fields)}))["createPromoCode"]
    assert payload["promoCode"] is None
    return [(e["field"], e["code"]) for e in payload["errors"]]


async def test_created_code_is_normalized_not_enabled_and_audited(api):
    code = await create_promo_code(api, code="  summer-10 ", name="  Summer sale  ")
    assert code["code"] == "SUMMER-10"
    assert code["name"] == "Summer sale"
    assert code["status"] == "NOT_ENABLED"
    assert code["validityStatus"] == "INACTIVE"
    assert (code["editable"], code["deletable"]) == (True, True)
    assert code["useCase"] == "PROP_TRADING"
    assert code["distributionMethod"] == "NOTIFICATION"
    assert code["combinableWithCoupons"] is False
    assert code["usageLimitPerClient"] is None
    assert [(e["action"], e["actor"]) for e in code["events"]] == [("CREATED", "admin@broker")]


async def test_discount_values_are_shown_with_their_decimals(api):
    jpy = await create_promo_code(api, code="YEN", discountMethod="FIXED_AMOUNT", discountValue="503", currency="jpy")
    usd = await create_promo_code(api, code="USD", discountMethod="FIXED_AMOUNT", discountValue="90", currency="USD")
    pct = await create_promo_code(api, code="PCT", discountValue="12.5")
    assert (jpy["discountValue"], jpy["currency"]) == ("503", "JPY")
    assert (usd["discountValue"], usd["currency"]) == ("90.00", "USD")
    assert (pct["discountValue"], pct["currency"]) == ("12.50", None)


async def test_a_decimal_sent_as_a_json_fraction_is_refused(api):
    # 99.999999999999999 arrives as the float 100.0: the caller's digits are already gone.
    body = await api.post(
        "mutation($i: PromoCodeCreateInput!) { createPromoCode(input: $i) { errors { code } } }",
        {"i": {"code": "FLOAT", "name": "Float", "discountMethod": "PERCENTAGE", "discountValue": 99.999999999999999}},
    )
    assert body.get("data") is None and "Decimal must be a string" in str(body["errors"])


async def test_invalid_input_is_reported_per_field(api):
    assert await create_errors(api, code="a b") == [("code", "INVALID")]
    assert await create_errors(api, name=" ") == [("name", "REQUIRED")]
    assert await create_errors(api, discountValue="101") == [("discountValue", "INVALID")]
    assert await create_errors(api, currency="USD") == [("currency", "INVALID")]
    assert await create_errors(api, discountMethod="FIXED_AMOUNT", discountValue="5") == [("currency", "REQUIRED")]
    assert await create_errors(api, usageLimitPerClient=0) == [("usageLimitPerClient", "INVALID")]
    assert await create_errors(api, validUntil=in_days(-1)) == [("validUntil", "INVALID")]
    assert await create_errors(api, validFrom=in_days(2), validUntil=in_days(1)) == [("validUntil", "INVALID")]


async def test_bad_scalars_are_refused_without_a_server_error(api):
    for value in ("NaN", "Infinity", "ten", True):
        body = await api.post(CREATE_PROMO_CODE, {"input": percentage_code(discountValue=value)})
        assert body["errors"] and body.get("data") is None
        assert "Internal" not in body["errors"][0]["message"]
    naive = await api.post(CREATE_PROMO_CODE, {"input": percentage_code(validUntil="2030-01-01T00:00:00")})
    assert "UTC offset" in naive["errors"][0]["message"]


async def test_codes_are_unique_whatever_their_case(api):
    await create_promo_code(api, code="SUMMER")
    assert await create_errors(api, code=" summer ") == [("code", "DUPLICATE")]


async def test_update_changes_only_the_fields_sent_and_null_clears(api):
    code = await create_promo_code(api, usageLimitPerClient=3, validUntil=in_days(5))
    payload = (await api.data(UPDATE_PROMO_CODE, {"id": code["id"], "input": {"name": "Renamed", "usageLimitPerClient": None}}))["updatePromoCode"]
    assert payload["errors"] == []
    updated = payload["promoCode"]
    assert updated["name"] == "Renamed"
    assert updated["usageLimitPerClient"] is None
    assert updated["code"] == code["code"] and updated["validUntil"] == code["validUntil"]
    assert updated["discountValue"] == code["discountValue"]
    assert [e["action"] for e in updated["events"]] == ["CREATED", "UPDATED"]


async def test_update_validates_the_result_and_changes_nothing_when_refused(api):
    code = await create_promo_code(api)
    other = await create_promo_code(api, code="OTHER")
    cases = [
        ({"name": None}, [("name", "REQUIRED")]),
        ({"code": "other"}, [("code", "DUPLICATE")]),
        ({"discountMethod": "FIXED_AMOUNT"}, [("currency", "REQUIRED")]),
        ({"validUntil": in_days(-1)}, [("validUntil", "INVALID")]),
    ]
    for changes, expected in cases:
        payload = (await api.data(UPDATE_PROMO_CODE, {"id": code["id"], "input": changes}))["updatePromoCode"]
        assert [(e["field"], e["code"]) for e in payload["errors"]] == expected
    query = "query($id: ID!) { promoCode(id: $id) { name code discountMethod events { action } } }"
    unchanged = (await api.data(query, {"id": code["id"]}))["promoCode"]
    assert unchanged == {"name": code["name"], "code": code["code"], "discountMethod": "PERCENTAGE", "events": [{"action": "CREATED"}]}
    assert other["code"] == "OTHER"


async def test_update_may_keep_its_own_code_and_switch_to_fixed(api):
    code = await create_promo_code(api)
    changes = {"code": code["code"].lower(), "discountMethod": "FIXED_AMOUNT", "discountValue": "15", "currency": "EUR"}
    payload = (await api.data(UPDATE_PROMO_CODE, {"id": code["id"], "input": changes}))["updatePromoCode"]
    assert payload["errors"] == []
    assert (payload["promoCode"]["discountValue"], payload["promoCode"]["currency"]) == ("15.00", "EUR")


async def test_enable_freezes_settings_and_disable_is_final(api):
    code = await create_promo_code(api)
    enabled = await transition(api, "enablePromoCode", code["id"])
    assert enabled["errors"] == []
    assert enabled["promoCode"]["status"] == "ENABLED"
    assert enabled["promoCode"]["validityStatus"] == "ACTIVE"
    assert enabled["promoCode"]["enabledAt"] is not None
    assert (enabled["promoCode"]["editable"], enabled["promoCode"]["deletable"]) == (False, False)

    edit = (await api.data(UPDATE_PROMO_CODE, {"id": code["id"], "input": {"name": "x"}}))["updatePromoCode"]
    assert [e["code"] for e in edit["errors"]] == ["NOT_EDITABLE"]
    assert [e["code"] for e in (await api.data(DELETE_PROMO_CODE, {"id": code["id"]}))["deletePromoCode"]["errors"]] == ["NOT_DELETABLE"]
    assert [e["code"] for e in (await transition(api, "enablePromoCode", code["id"]))["errors"]] == ["INVALID_TRANSITION"]

    disabled = await transition(api, "disablePromoCode", code["id"])
    assert disabled["promoCode"]["status"] == "DISABLED"
    assert disabled["promoCode"]["validityStatus"] == "INACTIVE"
    assert (disabled["promoCode"]["editable"], disabled["promoCode"]["deletable"]) == (False, True)
    for name in ("enablePromoCode", "disablePromoCode"):
        assert [e["code"] for e in (await transition(api, name, code["id"]))["errors"]] == ["INVALID_TRANSITION"]
    edit = (await api.data(UPDATE_PROMO_CODE, {"id": code["id"], "input": {"name": "x"}}))["updatePromoCode"]
    assert [e["code"] for e in edit["errors"]] == ["NOT_EDITABLE"]


async def test_disable_refused_before_enable(api):
    code = await create_promo_code(api)
    assert [e["code"] for e in (await transition(api, "disablePromoCode", code["id"]))["errors"]] == ["INVALID_TRANSITION"]


async def test_enable_refused_once_expired(api, db):
    code = await create_promo_code(api, validUntil=in_days(1))
    async with db.write_session() as session, session.begin():
        await session.execute(update(PromoCode).values(valid_until=datetime.now(timezone.utc) - timedelta(seconds=1)))
    payload = await transition(api, "enablePromoCode", code["id"])
    assert [e["code"] for e in payload["errors"]] == ["CODE_EXPIRED"]


async def test_scheduled_code_reads_scheduled(api):
    code = await create_promo_code(api, validFrom=in_days(1), validUntil=in_days(2))
    enabled = await transition(api, "enablePromoCode", code["id"])
    assert enabled["promoCode"]["validityStatus"] == "SCHEDULED"


async def test_deleted_code_vanishes_and_frees_its_code(api):
    code = await create_promo_code(api, code="GONE")
    payload = (await api.data(DELETE_PROMO_CODE, {"id": code["id"]}))["deletePromoCode"]
    assert payload == {"deletedId": code["id"], "errors": []}
    assert (await api.data("query($id: ID!) { promoCode(id: $id) { id } }", {"id": code["id"]}))["promoCode"] is None
    assert (await api.data('{ promoCode(code: "gone") { id } }'))["promoCode"] is None
    assert (await api.data("query($id: ID!) { node(id: $id) { id } }", {"id": code["id"]}))["node"] is None
    assert (await api.data("{ promoCodes { totalCount } }"))["promoCodes"]["totalCount"] == 0
    again = await create_promo_code(api, code="gone")
    assert again["id"] != code["id"]
    assert [e["code"] for e in (await api.data(DELETE_PROMO_CODE, {"id": code["id"]}))["deletePromoCode"]["errors"]] == ["NOT_FOUND"]


async def test_disabled_code_can_be_deleted_and_its_events_are_kept(api, db):
    code = await create_promo_code(api)
    await transition(api, "enablePromoCode", code["id"])
    await transition(api, "disablePromoCode", code["id"])
    assert (await api.data(DELETE_PROMO_CODE, {"id": code["id"]}))["deletePromoCode"]["errors"] == []
    from sqlalchemy import select

    from models import PromoCodeEvent

    async with db.read_session() as session:
        actions = (await session.scalars(select(PromoCodeEvent.action).order_by(PromoCodeEvent.id))).all()
    assert actions == ["CREATED", "ENABLED", "DISABLED", "DELETED"]


async def test_events_name_each_actor_and_refusals_write_none(api):
    writer = api.staff_token("UPDATE_PROMO_CODES", subject="alice")
    code = await create_promo_code(api)
    await transition(api, "enablePromoCode", code["id"], token=writer)
    await transition(api, "enablePromoCode", code["id"], token=writer)  # refused
    await api.data(UPDATE_PROMO_CODE, {"id": code["id"], "input": {"name": "x"}})  # refused
    events = (await api.data("query($id: ID!) { promoCode(id: $id) { events { action actor occurredAt } } }", {"id": code["id"]}))["promoCode"]["events"]
    assert [(e["action"], e["actor"]) for e in events] == [("CREATED", "admin@broker"), ("ENABLED", "alice")]
    assert events[0]["occurredAt"] <= events[1]["occurredAt"]
    assert events[0]["occurredAt"].endswith("+00:00")


async def test_unknown_or_foreign_ids_are_not_found(api):
    client_id = "Q2xpZW50OjE="  # Client:1
    for name in ("enablePromoCode", "disablePromoCode"):
        for bad in ("nonsense", client_id, "UHJvbW9Db2RlOjk5OTk="):
            assert [(e["field"], e["code"]) for e in (await transition(api, name, bad))["errors"]] == [("id", "NOT_FOUND")]


async def test_promo_code_by_code_is_case_insensitive_and_needs_an_argument(api):
    code = await create_promo_code(api, code="WINTER")
    assert (await api.data('{ promoCode(code: " winter ") { id } }'))["promoCode"] == {"id": code["id"]}
    assert await api.error_code("{ promoCode { id } }") == "BAD_USER_INPUT"


async def test_ids_and_dates_no_column_can_hold_are_client_errors(api):
    huge = base64.b64encode(b"PromoCode:99999999999").decode()  # above INTEGER (int4 on PostgreSQL)
    assert (await api.data("query($id: ID!) { node(id: $id) { id } }", {"id": huge}))["node"] is None
    assert (await api.data("query($id: ID!) { promoCode(id: $id) { id } }", {"id": huge}))["promoCode"] is None
    inline = 'mutation { createPromoCode(input: {code: "LATE", name: "Late", discountMethod: PERCENTAGE, discountValue: "5", validUntil: "9999-12-31T23:59:59-23:59"}) { errors { code } } }'
    body = await api.post(inline)
    assert "out of range" in str(body["errors"]) and "Internal server error" not in str(body)
