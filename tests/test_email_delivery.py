"""E-mail through a real SMTP relay (aiosmtpd on loopback), driven through the GraphQL endpoint."""
import asyncio
import logging
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import timedelta

import httpx
import pytest
from asgi_lifespan import LifespanManager
from sqlalchemy import select

from domain import email_outbox as outbox
from mail.render import EmailBody
from mail.smtp import Relay
from mail.worker import OutboxWorker
from models import OutboxEmail, utcnow
from server import create_app
from tests.api import Api
from tests.conftest import SECRET
from tests.notifying import batches, create_client, create_code, notify
from tests.smtp_relay import FAST, Inbox, RelayServer, eventually, relay  # noqa: F401 - ``relay`` is a fixture

SENDER = "promo@broker.test"
MANAGER = "manager@broker.test"


@pytest.fixture
async def mail_api(settings, db, relay: RelayServer) -> AsyncIterator[Api]:
    """The app with PROMO_SMTP_URL pointing at ``relay`` (started or not) and a fast outbox worker."""
    config = settings.model_copy(update={"smtp_url": relay.url, "email_from": SENDER, "account_manager_email": MANAGER})
    app = create_app(config, mail_options=FAST)
    async with LifespanManager(app) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield Api(client, SECRET, app.state.services)


async def _outbox(db) -> dict[str, OutboxEmail]:
    async with db.read_session() as session:
        return {e.recipient: e for e in (await session.scalars(select(OutboxEmail))).all()}


async def _batch(api, code_id) -> dict:
    return (await batches(api, code_id))[-1]


async def _batch_sent(api, code_id, index: int, sent: int) -> bool:
    batch = (await batches(api, code_id))[index]
    return batch["emailsSent"] == sent and batch["emailsPending"] == 0


async def test_one_email_per_recipient_naming_the_offer(mail_api, relay):
    relay.start()
    code_id = await create_code(mail_api, validUntil="2099-01-31T00:00:00Z")
    ids = [
        await create_client(mail_api, "a", "ann@example.test", "Ann <b>Lee</b>"),
        await create_client(mail_api, "b", "zoe@example.test", "Zoë Brontë"),
        await create_client(mail_api, "c", "cy@example.test"),
    ]
    await notify(mail_api, code_id, clientIds=ids, channels=["EMAIL"])
    await notify(mail_api, code_id, clientIds=ids, channels=["POPUP"])
    await eventually(lambda: len(relay.inbox.delivered) >= 3)
    await eventually(lambda: _batch_sent(mail_api, code_id, index=0, sent=3))
    await asyncio.sleep(10 * FAST.poll_interval_s)  # nothing more goes out: no resend, no mail for POPUP
    assert sorted(d.rcpt_tos[0] for d in relay.inbox.delivered) == ["ann@example.test", "cy@example.test", "zoe@example.test"]

    for delivered in relay.inbox.delivered:
        assert len(delivered.rcpt_tos) == 1 and delivered.mail_from == SENDER
        assert delivered.message["To"].addresses[0].addr_spec == delivered.rcpt_tos[0]
        assert len(delivered.message["To"].addresses) == 1 and delivered.message["Cc"] is None
        assert delivered.message["Subject"] == "Promo code SUMMER-10: 12.5% off"
        for part in (delivered.part("plain"), delivered.part("html")):
            assert "SUMMER-10" in part and "Summer sale" in part and "12.5% off" in part
            assert "Valid until 31 January 2099, 00:00 UTC" in part and "Apply" in part
    zoe = relay.inbox.to("zoe@example.test")[0]
    assert zoe.message["To"].addresses[0].display_name == "Zoë Brontë"
    assert (await _batch(mail_api, code_id))["emailsPending"] == 0  # the POPUP batch has no e-mail


async def test_a_relay_that_is_down_loses_nothing(mail_api, relay, db):
    code_id = await create_code(mail_api)
    ids = [await create_client(mail_api, x) for x in ("a", "b")]
    await notify(mail_api, code_id, clientIds=ids, channels=["EMAIL"])

    async def retried() -> bool:
        return all(e.attempts >= 2 and e.status == "PENDING" for e in (await _outbox(db)).values())

    await eventually(retried)
    batch = await _batch(mail_api, code_id)
    assert (batch["emailsPending"], batch["emailsSent"], batch["emailsFailed"]) == (2, 0, 0)
    assert all("relay unavailable" in e.last_error for e in (await _outbox(db)).values())

    relay.start()
    await eventually(lambda: _batch_sent(mail_api, code_id, index=0, sent=2))
    await asyncio.sleep(10 * FAST.poll_interval_s)
    assert sorted(d.rcpt_tos[0] for d in relay.inbox.delivered) == ["a@example.test", "b@example.test"]


async def test_claims_during_an_outage_do_not_use_up_the_retries_of_a_later_refusal(mail_api, relay, db):
    relay.inbox.replies["late@example.test"] = ["451 4.7.1 Greylisted"]  # once, when the relay is back
    code_id = await create_code(mail_api)
    await notify(mail_api, code_id, clientIds=[await create_client(mail_api, "late")], channels=["EMAIL"])

    async def outage_outlasted_the_deferral_budget() -> bool:
        return (await _outbox(db))["late@example.test"].attempts >= FAST.retry.max_deferrals

    await eventually(outage_outlasted_the_deferral_budget)
    relay.start()
    await eventually(lambda: _batch_sent(mail_api, code_id, index=0, sent=1))
    late = (await _outbox(db))["late@example.test"]
    assert (late.status, late.deferrals) == ("SENT", 1)
    assert len(relay.inbox.to("late@example.test")) == 1


async def test_a_permanent_refusal_fails_the_message_with_the_reason(mail_api, relay, db):
    relay.inbox.always["bad@example.test"] = "550 5.1.1 No such user here"
    relay.start()
    code_id = await create_code(mail_api)
    ids = [await create_client(mail_api, "good"), await create_client(mail_api, "bad")]
    await notify(mail_api, code_id, clientIds=ids, channels=["EMAIL"])

    async def settled() -> bool:
        batch = await _batch(mail_api, code_id)
        return (batch["emailsSent"], batch["emailsFailed"], batch["emailsPending"]) == (1, 1, 0)

    await eventually(settled)
    bad = (await _outbox(db))["bad@example.test"]
    assert bad.status == "FAILED" and bad.attempts == 1
    assert "550" in bad.last_error and "No such user here" in bad.last_error
    assert [d.rcpt_tos for d in relay.inbox.delivered] == [["good@example.test"]]


async def test_a_temporary_refusal_is_retried_until_it_passes_or_gives_up(mail_api, relay, db):
    relay.inbox.replies["later@example.test"] = ["451 4.3.0 Try again later"] * 2
    relay.inbox.always["never@example.test"] = "452 4.2.2 Mailbox full"
    relay.start()
    code_id = await create_code(mail_api)
    ids = [await create_client(mail_api, "later"), await create_client(mail_api, "never")]
    await notify(mail_api, code_id, clientIds=ids, channels=["EMAIL"])

    async def settled() -> bool:
        return all(e.status != "PENDING" for e in (await _outbox(db)).values())

    await eventually(settled)
    outbox = await _outbox(db)
    assert (outbox["later@example.test"].status, outbox["later@example.test"].attempts) == ("SENT", 3)
    never = outbox["never@example.test"]
    assert (never.status, never.attempts, never.deferrals) == ("FAILED", FAST.retry.max_deferrals, FAST.retry.max_deferrals)
    assert "452" in never.last_error and "Mailbox full" in never.last_error
    assert len(relay.inbox.to("later@example.test")) == 1 and relay.inbox.to("never@example.test") == []


async def test_an_installation_request_emails_the_account_manager(mail_api, relay):
    relay.start()
    data = await mail_api.data(
        'mutation { requestModuleInstallation(input: {key: "coupons-and-promo-codes", contactName: "Ann Lee",'
        ' contactEmail: "ann@broker.test", message: "Please install <soon>"}) { errors { code } } }'
    )
    assert data["requestModuleInstallation"]["errors"] == []
    await eventually(lambda: relay.inbox.delivered)
    (delivered,) = relay.inbox.delivered
    assert delivered.rcpt_tos == [MANAGER]
    assert delivered.message["Subject"] == "Installation request: Coupons and Promo Codes"
    assert "Ann Lee" in delivered.part("plain") and "ann@broker.test" in delivered.part("plain")
    assert "Please install <soon>" in delivered.part("plain")
    assert "Please install &lt;soon&gt;" in delivered.part("html")


async def test_without_smtp_the_outbox_is_kept_and_logged(api, db, caplog):
    caplog.set_level(logging.INFO)
    code_id = await create_code(api)
    await create_client(api, "a")
    await notify(api, code_id, allClients=True, channels=["EMAIL"])
    await _request_installation(api)
    outbox = await _outbox(db)
    assert set(outbox) == {"a@example.test"}  # no account-manager address configured: no such mail
    assert outbox["a@example.test"].status == "PENDING" and outbox["a@example.test"].attempts == 0
    assert "1 e-mail(s) queued" in caplog.text
    assert (await _batch(api, code_id))["emailsPending"] == 1


async def _request_installation(api) -> None:
    data = await api.data(
        'mutation { requestModuleInstallation(input: {key: "coupons-and-promo-codes", contactName: "Ann",'
        ' contactEmail: "ann@broker.test"}) { errors { code } } }'
    )
    assert data["requestModuleInstallation"]["errors"] == []


class SlowInbox(Inbox):
    """A relay that takes a second over each message."""

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        await asyncio.sleep(1.0)
        return await super().handle_DATA(server, session, envelope)


async def test_a_worker_stopped_mid_message_hands_its_round_back_at_once(db, relay):
    relay.inbox = SlowInbox()
    relay.start()
    async with db.write_session() as session, session.begin():
        for i in range(4):
            await outbox.enqueue_one(session, EmailBody("Hello", "Hello", "<p>Hello</p>"), f"r{i}@example.test", utcnow())
    options = replace(FAST, connections=1, claim_size=4, lease=timedelta(minutes=10))
    worker = OutboxWorker(db, Relay.from_url(relay.url), SENDER, options)
    worker.start()
    await eventually(lambda: len(relay.inbox.delivered) == 1)  # the second is in flight now
    await worker.stop(grace_s=0.2)  # cancelled before the relay answers
    rows = list((await _outbox(db)).values())
    sent = [r.recipient for r in rows if r.status == "SENT"]
    held = [r.recipient for r in rows if r.status == "PENDING" and r.next_attempt_at > utcnow() + timedelta(minutes=1)]
    assert sent == ["r0@example.test"] and held == []  # the rest is due again at once, for any worker


async def test_a_message_that_fails_unexpectedly_waits_for_its_lease_not_a_tight_loop(db, relay):
    relay.start()
    async with db.write_session() as session, session.begin():  # stored before addresses were checked as they are now
        await outbox.enqueue_one(session, EmailBody("Hello", "Hello", "<p>Hello</p>"), "a\x7f@example.test", utcnow())
    worker = OutboxWorker(db, Relay.from_url(relay.url), SENDER, replace(FAST, lease=timedelta(minutes=1)))
    worker.start()
    await asyncio.sleep(40 * FAST.poll_interval_s)
    await worker.stop()
    (stuck,) = (await _outbox(db)).values()
    assert stuck.status == "PENDING" and stuck.attempts == 1  # held until its lease ends, then tried again
