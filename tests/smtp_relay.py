"""A real SMTP relay for the e-mail tests: aiosmtpd on 127.0.0.1, stoppable, with scripted refusals."""
from __future__ import annotations

import asyncio
import email
import socket
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from email.message import EmailMessage
from email.policy import default

import pytest
from aiosmtpd.controller import Controller

from domain.email_delivery import RetryPolicy
from mail.worker import WorkerOptions

# Quick rounds and retries, so that the tests take fractions of a second.
FAST = WorkerOptions(
    poll_interval_s=0.02,
    claim_size=5,
    smtp_timeout_s=2.0,
    lease=timedelta(seconds=30),
    retry=RetryPolicy(base_delay_s=0.05, max_delay_s=0.2, max_deferrals=3, jitter=0),
)


@dataclass
class Delivered:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage

    def part(self, subtype: str) -> str:
        body = self.message.get_body(preferencelist=(subtype,))
        assert body is not None, f"no text/{subtype} part"
        return body.get_content()


@dataclass
class Inbox:
    """The aiosmtpd handler: keeps what it accepts; refuses what ``replies`` says, address by address."""

    delivered: list[Delivered] = field(default_factory=list)
    replies: dict[str, list[str]] = field(default_factory=dict)  # address -> replies to give, in turn
    always: dict[str, str] = field(default_factory=dict)  # address -> reply given every time

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802 - aiosmtpd's name
        if address in self.always:
            return self.always[address]
        if self.replies.get(address):
            return self.replies[address].pop(0)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        message = email.message_from_bytes(envelope.content, policy=default)
        self.delivered.append(Delivered(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[Delivered]:
        return [d for d in self.delivered if address in d.rcpt_tos]


class RelayServer:
    def __init__(self) -> None:
        self.inbox = Inbox()
        self.port = _free_port()
        self._controller: Controller | None = None

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def start(self) -> None:
        self._controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def relay() -> Iterator[RelayServer]:
    """A relay that is not started yet: call ``start()`` (tests of a relay that is down start it late)."""
    server = RelayServer()
    yield server
    server.stop()


async def eventually(check: Callable[[], object], timeout_s: float = 10.0) -> None:
    """Wait until ``check()`` is true (it may be a coroutine function); fail after ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    while True:
        result = check()
        if asyncio.iscoroutine(result):
            result = await result
        if result:
            return
        assert time.monotonic() < deadline, "condition not met in time"
        await asyncio.sleep(0.02)
