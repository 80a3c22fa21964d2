"""The checkout's checks, in the contract's order; plain functions of what was read and ``now``."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from domain.discounts import Discount
from domain.errors import DomainError, ErrorCode, FieldError
from domain.pricing import fits
from domain.promo_codes import PromoCodeStatus

MAX_IDEMPOTENCY_KEY = 200

# Failures that count towards the throttle: the ones that tell a guesser something.
THROTTLED_FAILURES = frozenset(
    {ErrorCode.CODE_INVALID, ErrorCode.CODE_INACTIVE, ErrorCode.CODE_NOT_STARTED, ErrorCode.CODE_EXPIRED}
)

_MESSAGES = {
    ErrorCode.RATE_LIMITED: "Too many invalid promo codes were tried; try again later.",
    ErrorCode.CODE_INVALID: "This promo code does not exist.",
    ErrorCode.CODE_INACTIVE: "This promo code has been disabled.",
    ErrorCode.CODE_NOT_STARTED: "This promo code is not valid yet.",
    ErrorCode.CODE_EXPIRED: "This promo code has expired.",
    ErrorCode.CHALLENGE_UNAVAILABLE: "This challenge cannot be bought.",
    ErrorCode.CURRENCY_MISMATCH: "This promo code is for another currency than the challenge.",
    ErrorCode.USAGE_LIMIT_REACHED: "You have used this promo code as often as it allows.",
}


@dataclass(frozen=True, slots=True)
class Throttle:
    limit: int
    window: timedelta

    def since(self, now: datetime) -> datetime:
        """Failures after this moment count."""
        return now - self.window

    def blocks(self, recent_failures: int) -> bool:
        return recent_failures >= self.limit


@dataclass(frozen=True, slots=True)
class CodeState:
    """A live (not deleted) promo code as checkout sees it."""

    status: PromoCodeStatus
    valid_from: datetime | None
    valid_until: datetime | None
    discount: Discount
    usage_limit_per_client: int | None
    times_redeemed: int  # by the calling client


@dataclass(frozen=True, slots=True)
class ChallengeState:
    active: bool
    currency: str


class CheckoutRejected(DomainError):
    """The first failed check; ``code`` says which."""

    def __init__(self, code: ErrorCode, field: str) -> None:
        super().__init__(FieldError(code, field, _MESSAGES[code]))
        self.code = code

    @property
    def counts_as_failed_attempt(self) -> bool:
        return self.code in THROTTLED_FAILURES


def code_failure(code: CodeState | None, now: datetime) -> ErrorCode | None:
    """Why a typed code cannot be used right now, as far as the code alone tells."""
    if code is None or code.status is PromoCodeStatus.NOT_ENABLED:
        return ErrorCode.CODE_INVALID
    if code.status is PromoCodeStatus.DISABLED:
        return ErrorCode.CODE_INACTIVE
    if code.valid_from is not None and now < code.valid_from:
        return ErrorCode.CODE_NOT_STARTED
    if code.valid_until is not None and now >= code.valid_until:
        return ErrorCode.CODE_EXPIRED
    return None


def check_checkout(
    *,
    code_typed: bool,
    code: CodeState | None,
    challenge: ChallengeState | None,
    recent_failures: int,
    throttle: Throttle,
    now: datetime,
    code_field: str,
) -> None:
    """Raise ``CheckoutRejected`` for the first failure in the contract's order."""
    if code_typed:
        if throttle.blocks(recent_failures):
            raise CheckoutRejected(ErrorCode.RATE_LIMITED, code_field)
        failure = code_failure(code, now)
        if failure is not None:
            raise CheckoutRejected(failure, code_field)
    if challenge is None or not challenge.active:
        raise CheckoutRejected(ErrorCode.CHALLENGE_UNAVAILABLE, "challengeId")
    if code is not None:
        if not fits(code.discount, challenge.currency):
            raise CheckoutRejected(ErrorCode.CURRENCY_MISMATCH, code_field)
        limit = code.usage_limit_per_client
        if limit is not None and code.times_redeemed >= limit:
            raise CheckoutRejected(ErrorCode.USAGE_LIMIT_REACHED, code_field)


def check_idempotency_key(key: str) -> None:
    if not key.strip():
        raise DomainError.one(ErrorCode.REQUIRED, "idempotencyKey", "An idempotency key is required.")
    if len(key) > MAX_IDEMPOTENCY_KEY:
        raise DomainError.one(
            ErrorCode.INVALID, "idempotencyKey", f"An idempotency key is at most {MAX_IDEMPOTENCY_KEY} characters."
        )


def is_same_request(stored_challenge_id: int, stored_code: str | None, challenge_id: int | None, code: str | None) -> bool:
    """Whether a repeated idempotency key asks for what the original purchase bought."""
    return stored_challenge_id == challenge_id and stored_code == code


def idempotency_conflict() -> DomainError:
    return DomainError.one(
        ErrorCode.IDEMPOTENCY_CONFLICT,
        "idempotencyKey",
        "This idempotency key was already used for another challenge or promo code.",
    )
