"""Delivery rules for the outbox, free of SMTP and SQL: statuses, retry delays, what counts as final."""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta
from enum import Enum


class EmailStatus(Enum):
    PENDING = "PENDING"  # waiting, or held by a worker until its lease ends
    SENT = "SENT"
    FAILED = "FAILED"


class Outcome(Enum):
    SENT = "SENT"
    REJECTED = "REJECTED"  # the relay refused this message for good (5xx)
    DEFERRED = "DEFERRED"  # the relay refused it for now (4xx)
    RELAY_DOWN = "RELAY_DOWN"  # no relay to talk to: nothing is wrong with the message


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How often a pending message is tried again.

    A relay that is down never fails a message: it waits, however long the
    outage lasts. Only a message the relay itself keeps deferring gives up,
    at its ``max_deferrals``-th deferral.
    """

    base_delay_s: float = 5.0
    max_delay_s: float = 600.0
    max_deferrals: int = 12
    jitter: float = 0.2  # +-20 %, so that several workers do not retry in step

    def delay(self, attempts: int, rand: random.Random | None = None) -> timedelta:
        """Wait before the next try, after ``attempts`` claims: base, 2 x base, 4 x base ... up to the cap."""
        exponent = min(max(attempts - 1, 0), 30)
        seconds = min(self.max_delay_s, self.base_delay_s * 2**exponent)
        spread = (rand or random).uniform(1 - self.jitter, 1 + self.jitter)
        return timedelta(seconds=seconds * spread)

    def next_status(self, outcome: Outcome, earlier_deferrals: int) -> EmailStatus:
        """After this ``outcome``, given how often the relay deferred the message before."""
        if outcome is Outcome.SENT:
            return EmailStatus.SENT
        if outcome is Outcome.REJECTED:
            return EmailStatus.FAILED
        if outcome is Outcome.DEFERRED and earlier_deferrals + 1 >= self.max_deferrals:
            return EmailStatus.FAILED
        return EmailStatus.PENDING


def classify_reply(code: int) -> Outcome:
    """An SMTP reply code that refused a message: 5xx is final, anything else may pass later."""
    return Outcome.REJECTED if 500 <= code <= 599 else Outcome.DEFERRED
