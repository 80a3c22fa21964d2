"""The client portal through the GraphQL endpoint: myNotifications, myPopups, markNotificationsRead, node."""
from schema.node import pk_of
from tests.notifying import (
    MARK_READ,
    MY_NOTIFICATIONS,
    MY_POPUPS,
    create_client,
    create_code,
    lifecycle,
    mark_read,
    my_notifications,
    my_popups,
    notify,
)


async def _setup(api, *external_ids: str) -> tuple[str, dict[str, str]]:
    code_id = await create_code(api)
    return code_id, {x: await create_client(api, x) for x in external_ids}


def _ids(page) -> list[str]:
    return [e["node"]["id"] for e in page["edges"]]


async def test_a_client_sees_only_its_own_notifications(api):
    code_id, clients = await _setup(api, "a", "b")
    await notify(api, code_id, clientIds=[clients["a"]])
    await notify(api, code_id, clientIds=[clients["a"]], channels=["POPUP"])
    await notify(api, code_id, clientIds=[clients["b"]])
    page_a, page_b = await my_notifications(api, "a"), await my_notifications(api, "b")
    assert page_a["totalCount"] == 2 and page_b["totalCount"] == 1
    assert not set(_ids(page_a)) & set(_ids(page_b))
    assert len(await my_popups(api, "a")) == 2 and len(await my_popups(api, "b")) == 1


async def test_every_channel_reaches_the_page_but_only_popup_pops_up(api):
    code_id, clients = await _setup(api, "a")
    await notify(api, code_id, clientIds=[clients["a"]], channels=["EMAIL"])
    await notify(api, code_id, clientIds=[clients["a"]], channels=["POPUP"])
    page = await my_notifications(api, "a")
    assert [e["node"]["channels"] for e in page["edges"]] == [["POPUP"], ["EMAIL"]]  # newest first
    popups = await my_popups(api, "a")
    assert [p["channels"] for p in popups] == [["POPUP"]]
    assert popups[0]["id"] == page["edges"][0]["node"]["id"]


async def test_notification_names_the_code_discount_and_validity(api):
    code_id = await create_code(
        api, "YEN-OFF", name="Yen deal", discountMethod="FIXED_AMOUNT", discountValue="503", currency="JPY",
        validUntil="2099-01-31T00:00:00Z", combinableWithCoupons=True,
    )
    a = await create_client(api, "a")
    await notify(api, code_id, clientIds=[a], channels=["POPUP"])
    node = (await my_notifications(api, "a"))["edges"][0]["node"]
    assert "YEN-OFF" in node["title"] and "¥503 off" in node["title"]
    assert "Yen deal" in node["message"] and "31 January 2099" in node["message"]
    assert node["readAt"] is None and node["createdAt"].endswith("+00:00")
    assert node["promoCode"] == {
        "code": "YEN-OFF", "name": "Yen deal", "discountMethod": "FIXED_AMOUNT", "discountValue": "503",
        "currency": "JPY", "validUntil": "2099-01-31T00:00:00+00:00", "combinableWithCoupons": True, "active": True,
    }


async def test_offer_is_live_and_vanishes_with_a_deleted_code(api):
    code_id, clients = await _setup(api, "a")
    await notify(api, code_id, clientIds=[clients["a"]])
    await lifecycle(api, "disablePromoCode", code_id)
    node = (await my_notifications(api, "a"))["edges"][0]["node"]
    assert node["promoCode"]["active"] is False
    await lifecycle(api, "deletePromoCode", code_id)
    node = (await my_notifications(api, "a"))["edges"][0]["node"]
    assert node["promoCode"] is None and "SUMMER-10" in node["message"]


async def test_pages_newest_first_with_cursors_and_unread_filter(api):
    code_id, clients = await _setup(api, "a")
    for _ in range(5):
        await notify(api, code_id, clientIds=[clients["a"]], channels=["POPUP"])
    everything = _ids(await my_notifications(api, "a", first=10))
    first = await my_notifications(api, "a", first=2)
    assert first["totalCount"] == 5 and first["pageInfo"]["hasNextPage"] is True
    second = await my_notifications(api, "a", first=2, after=first["pageInfo"]["endCursor"])
    third = await my_notifications(api, "a", first=2, after=second["pageInfo"]["endCursor"])
    assert _ids(first) + _ids(second) + _ids(third) == everything
    assert third["pageInfo"]["hasNextPage"] is False
    pks = [pk_of(i, "Notification") for i in everything]
    assert len(set(pks)) == 5 and pks == sorted(pks, reverse=True)  # newest first

    await mark_read(api, "a", everything[:2])
    unread = await my_notifications(api, "a", unreadOnly=True)
    assert unread["totalCount"] == 3 and _ids(unread) == everything[2:]
    body = await api.post(MY_NOTIFICATIONS, {"first": 101}, token=api.client_token("a"))
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_marking_read_removes_pop_ups_and_keeps_the_first_read_time(api):
    code_id, clients = await _setup(api, "a")
    await notify(api, code_id, clientIds=[clients["a"]], channels=["POPUP"])
    await notify(api, code_id, clientIds=[clients["a"]], channels=["POPUP"])
    newest, older = [p["id"] for p in await my_popups(api, "a")]
    payload = await mark_read(api, "a", [older])
    assert payload["errors"] == [] and payload["notifications"][0]["id"] == older
    read_at = payload["notifications"][0]["readAt"]
    assert read_at is not None
    assert [p["id"] for p in await my_popups(api, "a")] == [newest]
    again = await mark_read(api, "a", [older, newest])
    assert [n["id"] for n in again["notifications"]] == [older, newest]
    assert again["notifications"][0]["readAt"] == read_at
    assert await my_popups(api, "a") == []


async def test_marking_an_id_that_is_not_yours_marks_nothing(api):
    code_id, clients = await _setup(api, "a", "b")
    await notify(api, code_id, clientIds=[clients["a"], clients["b"]], channels=["POPUP"])
    mine = (await my_popups(api, "a"))[0]["id"]
    theirs = (await my_popups(api, "b"))[0]["id"]
    for ids in ([mine, theirs], [mine, "garbage"], [mine, clients["a"]]):
        payload = await mark_read(api, "a", ids)
        assert payload["notifications"] == []
        assert [(e["code"], e["field"]) for e in payload["errors"]] == [("NOT_FOUND", "ids")]
    assert len(await my_popups(api, "a")) == 1 and len(await my_popups(api, "b")) == 1


async def test_portal_fields_are_for_client_tokens_only(api):
    code_id, clients = await _setup(api, "a")
    await notify(api, code_id, clientIds=[clients["a"]])
    for query, variables in ((MY_NOTIFICATIONS, {}), (MY_POPUPS, {}), (MARK_READ, {"ids": []})):
        assert await api.error_code(query, variables) == "FORBIDDEN"
        assert await api.error_code(query, variables, token=api.client_token("nobody")) == "UNAUTHENTICATED"
        assert await api.error_code(query, variables, token=None) == "UNAUTHENTICATED"


async def test_node_gives_a_notification_to_its_client_only(api):
    code_id, clients = await _setup(api, "a", "b")
    await notify(api, code_id, clientIds=[clients["a"]])
    mine = _ids(await my_notifications(api, "a"))[0]
    query = "query($id: ID!) { node(id: $id) { id ... on Notification { title } } }"
    assert (await api.data(query, {"id": mine}, token=api.client_token("a")))["node"]["id"] == mine
    assert (await api.data(query, {"id": mine}, token=api.client_token("b")))["node"] is None
    assert (await api.data(query, {"id": mine}))["node"] is None


async def test_the_portal_needs_no_module(api):
    await create_client(api, "a")  # the module is not installed on a fresh database
    assert (await my_notifications(api, "a"))["totalCount"] == 0
    assert await my_popups(api, "a") == []
    assert (await mark_read(api, "a", []))["errors"] == []
