"""Talking to the mail relay (aiosmtplib): one connection per round, every reply sorted into an ``Outcome``."""
from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formataddr, formatdate
from functools import lru_cache
from urllib.parse import unquote, urlsplit

import aiosmtplib

from domain.email_delivery import Outcome, classify_reply
from domain.email_outbox import ClaimedEmail

# Errors that say nothing about the message, only that the relay cannot be talked to.
_RELAY_ERRORS = (aiosmtplib.SMTPConnectError, aiosmtplib.SMTPServerDisconnected, aiosmtplib.SMTPTimeoutError, OSError)


class RelayUnavailable(Exception):
    """The relay could not be reached or dropped the connection."""


@dataclass(frozen=True, slots=True)
class Relay:
    host: str
    port: int
    username: str | None = None
    password: str | None = None

    @classmethod
    def from_url(cls, url: str) -> "Relay":
        """``smtp://[user:password@]host[:port]`` (port 25 when absent)."""
        parts = urlsplit(url)
        try:
            port = parts.port  # ValueError unless a number in 0-65535
        except ValueError:
            port = 0
        if parts.scheme != "smtp" or not parts.hostname or port == 0:
            raise ValueError(f"not an smtp://host:port URL: {url!r}")
        user = unquote(parts.username) if parts.username else None
        password = unquote(parts.password) if parts.password else None
        return cls(parts.hostname, port or 25, user, password)


def build_message(email: ClaimedEmail, sender: str) -> bytes:
    """A multipart/alternative message (plain text and HTML) to the one recipient, ready for SMTP.

    The body is serialized once per content (a mailing has one for all its
    recipients): the ``email`` package is the costliest step of a send.
    """
    headers = EmailMessage()
    headers["To"] = formataddr((email.recipient_name or "", email.recipient))
    # The same id on every retry lets a receiver drop a copy sent again after a crash.
    headers["Message-ID"] = f"<outbox-{email.id}@{sender.rpartition('@')[2] or 'localhost'}>"
    headers["Date"] = formatdate(usegmt=True)
    recipient_part = headers.as_bytes(policy=SMTP).removesuffix(b"\r\n")  # the headers, without the blank line
    return recipient_part + _content_bytes(email.content_id, sender, email.subject, email.text, email.html)


@lru_cache(maxsize=64)
def _content_bytes(content_id: int, sender: str, subject: str, text: str, html: str) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["Subject"] = subject
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    return message.as_bytes(policy=SMTP)


class RelayConnection:
    def __init__(self, smtp: aiosmtplib.SMTP, sender: str) -> None:
        self._smtp = smtp
        self._sender = sender

    async def send(self, email: ClaimedEmail) -> tuple[Outcome, str | None]:
        """Hand one message to the relay; the outcome and, unless sent, the reason."""
        try:
            message = build_message(email, self._sender)
        except (ValueError, TypeError) as exc:  # e.g. a line break in a header: it never will go out
            return Outcome.REJECTED, f"cannot build the message: {exc}"
        try:
            await self._smtp.sendmail(self._sender, [email.recipient], message)
        except aiosmtplib.SMTPRecipientsRefused as exc:
            refused = exc.recipients[0]
            return classify_reply(refused.code), f"{refused.code} {refused.message}"
        except _RELAY_ERRORS as exc:
            return Outcome.RELAY_DOWN, f"relay unavailable: {exc}"
        except aiosmtplib.SMTPResponseException as exc:
            return classify_reply(exc.code), f"{exc.code} {exc.message}"
        return Outcome.SENT, None


@asynccontextmanager
async def connect(relay: Relay, sender: str, timeout_s: float) -> AsyncIterator[RelayConnection]:
    smtp = aiosmtplib.SMTP(hostname=relay.host, port=relay.port, timeout=timeout_s)
    try:
        await smtp.connect()
        if relay.username:
            await smtp.login(relay.username, relay.password or "")
    except (*_RELAY_ERRORS, aiosmtplib.SMTPException) as exc:
        raise RelayUnavailable(str(exc) or type(exc).__name__) from None
    try:
        yield RelayConnection(smtp, sender)
    finally:
        if smtp.is_connected:
            try:
                await smtp.quit()
            except aiosmtplib.SMTPException:
                smtp.close()
