"""notifyPromoCode through the GraphQL endpoint: the contract's Notifying rules, admin side."""
from datetime import timedelta

from sqlalchemy import func, select, update

from models import Notification, NotificationBatch, OutboxEmail, PromoCode, utcnow
from schema.node import pk_of, to_global_id
from tests.notifying import NOTIFY, batches, create_client, create_code, create_group, events, lifecycle, my_notifications, notify


async def _count(db, model) -> int:
    async with db.read_engine.connect() as conn:
        return await conn.scalar(select(func.count()).select_from(model))


async def test_notify_needs_update_permission(api):
    code_id = await create_code(api)
    client_id = await create_client(api, "c1")
    variables = {"id": code_id, "input": {"clientIds": [client_id], "channels": ["POPUP"]}}
    assert await api.error_code(NOTIFY, variables, token=api.staff_token("READ_PROMO_CODES")) == "FORBIDDEN"
    assert await api.error_code(NOTIFY, variables, token=api.client_token("c1")) == "FORBIDDEN"
    assert await api.error_code(NOTIFY, variables, token=None) == "UNAUTHENTICATED"
    assert await batches(api, code_id) == []


async def test_module_gate_comes_before_input_checks(api):
    payload = await notify(api, to_global_id("PromoCode", 1), channels=[])
    assert [e["code"] for e in payload["errors"]] == ["MODULE_NOT_INSTALLED"]


async def test_only_an_enabled_code_can_be_notified(api, db):
    client_id = await create_client(api, "c1")
    draft = await create_code(api, "DRAFT", enable=False)
    payload = await notify(api, draft, clientIds=[client_id])
    assert payload["batch"] is None
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [("INVALID_TRANSITION", None)]

    disabled = await create_code(api, "GONE")
    await lifecycle(api, "disablePromoCode", disabled)
    payload = await notify(api, disabled, clientIds=[client_id])
    assert [e["code"] for e in payload["errors"]] == ["INVALID_TRANSITION"]
    assert [e["action"] for e in await events(api, disabled)] == ["CREATED", "ENABLED", "DISABLED"]
    assert await _count(db, Notification) == 0


async def test_an_expired_code_cannot_be_notified(api, db):
    client_id = await create_client(api, "c1")
    code_id = await create_code(api, validUntil=(utcnow() + timedelta(days=1)).isoformat())
    async with db.write_engine.begin() as conn:
        past = utcnow() - timedelta(seconds=1)
        await conn.execute(update(PromoCode).where(PromoCode.id == pk_of(code_id, "PromoCode")).values(valid_until=past))
    payload = await notify(api, code_id, clientIds=[client_id])
    assert [e["code"] for e in payload["errors"]] == ["CODE_EXPIRED"]
    assert await _count(db, NotificationBatch) == 0


async def test_unknown_or_deleted_code_is_not_found(api):
    client_id = await create_client(api, "c1")
    await create_code(api)
    for bad in (to_global_id("PromoCode", 999), "not-an-id", client_id):
        payload = await notify(api, bad, clientIds=[client_id])
        assert [(e["code"], e["field"]) for e in payload["errors"]] == [("NOT_FOUND", "id")]
    deleted = await create_code(api, "DELETED", enable=False)
    await lifecycle(api, "deletePromoCode", deleted)
    payload = await notify(api, deleted, clientIds=[client_id])
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [("NOT_FOUND", "id")]


async def test_a_target_and_a_channel_are_required(api, db):
    code_id = await create_code(api)
    await create_client(api, "c1")
    payload = await notify(api, code_id, channels=["EMAIL"])
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [("REQUIRED", "clientIds")]
    payload = await notify(api, code_id, allClients=True, channels=[])
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [("REQUIRED", "channels")]
    payload = await notify(api, code_id, clientIds=[], clientGroupIds=[], allClients=False, channels=[])
    assert {(e["code"], e["field"]) for e in payload["errors"]} == {("REQUIRED", "clientIds"), ("REQUIRED", "channels")}
    assert await _count(db, NotificationBatch) == 0


async def test_unknown_ids_are_not_found_and_nothing_is_sent(api, db):
    code_id = await create_code(api)
    known = await create_client(api, "c1")
    group = await create_group(api, "VIP", [known])
    cases = [
        ({"clientIds": [known, to_global_id("Client", 999)]}, "clientIds"),
        ({"clientIds": [known, "garbage"]}, "clientIds"),
        ({"clientGroupIds": [group, to_global_id("ClientGroup", 999)]}, "clientGroupIds"),
        ({"clientGroupIds": [known]}, "clientGroupIds"),  # a client's id is no group's id
        ({"allClients": True, "clientGroupIds": [to_global_id("ClientGroup", 999)]}, "clientGroupIds"),
    ]
    for targets, field in cases:
        payload = await notify(api, code_id, **targets)
        assert payload["batch"] is None
        assert [(e["code"], e["field"]) for e in payload["errors"]] == [("NOT_FOUND", field)], targets
    assert (await my_notifications(api, "c1"))["totalCount"] == 0
    assert await _count(db, NotificationBatch) == 0 and await _count(db, OutboxEmail) == 0
    assert [e["action"] for e in await events(api, code_id)] == ["CREATED", "ENABLED"]


async def test_each_client_is_notified_once_however_targeted(api, db):
    code_id = await create_code(api)
    a, b, c, d = [await create_client(api, x) for x in ("a", "b", "c", "d")]
    await create_client(api, "e")
    g1 = await create_group(api, "G1", [a, b])
    g2 = await create_group(api, "G2", [b, c])
    payload = await notify(api, code_id, clientIds=[a, d, a], clientGroupIds=[g1, g2, g1])
    assert payload["errors"] == []
    assert payload["batch"]["recipientCount"] == 4
    for external_id in "abcd":
        assert (await my_notifications(api, external_id))["totalCount"] == 1
    assert (await my_notifications(api, "e"))["totalCount"] == 0
    assert await _count(db, OutboxEmail) == 4

    payload = await notify(api, code_id, allClients=True, clientIds=[a], clientGroupIds=[g1], channels=["POPUP"])
    assert payload["batch"]["recipientCount"] == 5
    assert (await my_notifications(api, "a"))["totalCount"] == 2
    assert await _count(db, OutboxEmail) == 4  # POPUP only: no e-mail


async def test_recipients_are_deduplicated_across_chunks(api, db, monkeypatch):
    monkeypatch.setattr("domain.notification_store.CHUNK_SIZE", 2)
    code_id = await create_code(api)
    ids = [await create_client(api, f"c{i}") for i in range(7)]
    group = await create_group(api, "Odd", ids[1::2])  # c1 c3 c5
    payload = await notify(api, code_id, clientIds=ids[:5], clientGroupIds=[group])  # c0..c4 and c5
    assert payload["batch"]["recipientCount"] == 6
    assert payload["batch"]["emailsPending"] == 6
    assert await _count(db, Notification) == 6
    for i in range(6):
        assert (await my_notifications(api, f"c{i}"))["totalCount"] == 1
    assert (await my_notifications(api, "c6"))["totalCount"] == 0


async def test_batch_records_who_how_and_how_many(api):
    code_id = await create_code(api)
    await create_client(api, "a")
    await create_client(api, "b")
    marketer = api.staff_token("UPDATE_PROMO_CODES", subject="marketer@broker")
    payload = await notify(api, code_id, token=marketer, allClients=True, channels=["POPUP", "EMAIL", "POPUP"])
    batch = payload["batch"]
    assert batch["createdBy"] == "marketer@broker"
    assert batch["channels"] == ["EMAIL", "POPUP"]
    assert (batch["recipientCount"], batch["emailsPending"], batch["emailsSent"], batch["emailsFailed"]) == (2, 2, 0, 0)
    popup = (await notify(api, code_id, allClients=True, channels=["POPUP"]))["batch"]
    assert (popup["channels"], popup["emailsPending"]) == (["POPUP"], 0)

    listed = await batches(api, code_id)
    assert [b["id"] for b in listed] == [batch["id"], popup["id"]]
    assert listed[0]["createdBy"] == "marketer@broker"
    assert await events(api, code_id) == [
        {"action": "CREATED", "actor": "admin@broker"},
        {"action": "ENABLED", "actor": "admin@broker"},
        {"action": "NOTIFIED", "actor": "marketer@broker"},
        {"action": "NOTIFIED", "actor": "admin@broker"},
    ]


async def test_a_code_may_be_notified_again_to_anyone(api):
    code_id = await create_code(api)
    a = await create_client(api, "a")
    for _ in range(3):
        assert (await notify(api, code_id, clientIds=[a]))["errors"] == []
    assert (await my_notifications(api, "a"))["totalCount"] == 3
    assert len(await batches(api, code_id)) == 3


async def test_batch_node_is_for_promo_code_readers_only(api):
    code_id = await create_code(api)
    await create_client(api, "a")
    batch_id = (await notify(api, code_id, allClients=True))["batch"]["id"]
    query = "query($id: ID!) { node(id: $id) { id ... on NotificationBatch { recipientCount } } }"
    reader = api.staff_token("READ_PROMO_CODES")
    assert (await api.data(query, {"id": batch_id}, token=reader))["node"] == {"id": batch_id, "recipientCount": 1}
    assert (await api.data(query, {"id": batch_id}, token=api.staff_token("MANAGE_CLIENTS")))["node"] is None
    assert (await api.data(query, {"id": batch_id}, token=api.client_token("a")))["node"] is None
    await lifecycle(api, "disablePromoCode", code_id)
    await lifecycle(api, "deletePromoCode", code_id)
    assert (await api.data(query, {"id": batch_id}, token=reader))["node"] is None
