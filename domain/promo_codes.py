"""Promo code rules from the contract: normalization, validation, validity and lifecycle.

Everything here is a plain function of its arguments (``now`` included), so the
rules can be tested without a database or GraphQL.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import Enum

from domain.discounts import Discount, DiscountMethod, check_discount
from domain.errors import DomainError, ErrorCode, ErrorCollector
from domain.text import clean_text

CODE_PATTERN = re.compile(r"^[A-Z0-9_-]{3,32}$")
MAX_USAGE_LIMIT = 1_000_000


class PromoCodeStatus(Enum):
    NOT_ENABLED = "NOT_ENABLED"
    ENABLED = "ENABLED"
    DISABLED = "DISABLED"


class ValidityStatus(Enum):
    ACTIVE = "ACTIVE"
    SCHEDULED = "SCHEDULED"
    EXPIRED = "EXPIRED"
    INACTIVE = "INACTIVE"


class UseCase(Enum):
    PROP_TRADING = "PROP_TRADING"


class EventAction(Enum):
    CREATED = "CREATED"
    UPDATED = "UPDATED"
    ENABLED = "ENABLED"
    DISABLED = "DISABLED"
    DELETED = "DELETED"
    NOTIFIED = "NOTIFIED"


def normalize_code(raw: str) -> str:
    """Codes are compared trimmed and upper-cased, wherever they are typed."""
    return raw.strip().upper()


@dataclass(slots=True)
class PromoCodeDraft:
    """Settings as the caller sent them (after merging an update onto the stored code)."""

    code: str
    name: str
    use_case: UseCase
    discount_method: DiscountMethod
    discount_value: Decimal
    currency: str | None
    usage_limit_per_client: int | None
    combinable_with_coupons: bool
    valid_from: datetime | None
    valid_until: datetime | None


@dataclass(frozen=True, slots=True)
class PromoCodeSettings:
    """Validated settings, ready to store."""

    code: str
    name: str
    use_case: UseCase
    discount: Discount
    usage_limit_per_client: int | None
    combinable_with_coupons: bool
    valid_from: datetime | None
    valid_until: datetime | None


def validate_settings(
    draft: PromoCodeDraft, now: datetime, *, check_until_in_future: bool = True
) -> PromoCodeSettings:
    """All problems with a draft at once, as ``DomainError``; or the clean settings."""
    errors = ErrorCollector()
    code = normalize_code(draft.code)
    if not code:
        errors.add(ErrorCode.REQUIRED, "code", "Code is required.")
    elif not CODE_PATTERN.match(code):
        errors.add(
            ErrorCode.INVALID,
            "code",
            "Code must be 3 to 32 characters of A-Z, 0-9, '_' and '-'.",
        )
    name = clean_text(draft.name, "name", errors, max_length=100, label="Name")
    discount = check_discount(draft.discount_method, draft.discount_value, draft.currency, errors)
    limit = draft.usage_limit_per_client
    if limit is not None and not 1 <= limit <= MAX_USAGE_LIMIT:
        errors.add(
            ErrorCode.INVALID,
            "usageLimitPerClient",
            f"Use count per client is 1 to {MAX_USAGE_LIMIT:,}, or null for unlimited.",
        )
    check_validity_window(draft.valid_from, draft.valid_until, now, errors, check_until_in_future)
    errors.raise_if_any()
    assert name is not None and discount is not None
    return PromoCodeSettings(
        code=code,
        name=name,
        use_case=draft.use_case,
        discount=discount,
        usage_limit_per_client=limit,
        combinable_with_coupons=draft.combinable_with_coupons,
        valid_from=draft.valid_from,
        valid_until=draft.valid_until,
    )


def check_validity_window(
    valid_from: datetime | None,
    valid_until: datetime | None,
    now: datetime,
    errors: ErrorCollector,
    check_until_in_future: bool = True,
) -> None:
    if valid_from is not None and valid_until is not None and valid_from >= valid_until:
        errors.add(ErrorCode.INVALID, "validUntil", "validUntil must be after validFrom.")
    elif check_until_in_future and valid_until is not None and valid_until <= now:
        errors.add(ErrorCode.INVALID, "validUntil", "validUntil must be in the future.")


def validity_status(
    status: PromoCodeStatus, valid_from: datetime | None, valid_until: datetime | None, now: datetime
) -> ValidityStatus:
    if status is not PromoCodeStatus.ENABLED:
        return ValidityStatus.INACTIVE
    if valid_until is not None and now >= valid_until:
        return ValidityStatus.EXPIRED
    if valid_from is not None and now < valid_from:
        return ValidityStatus.SCHEDULED
    return ValidityStatus.ACTIVE


def is_editable(status: PromoCodeStatus) -> bool:
    return status is PromoCodeStatus.NOT_ENABLED


def is_deletable(status: PromoCodeStatus) -> bool:
    return status is not PromoCodeStatus.ENABLED


def check_editable(status: PromoCodeStatus) -> None:
    if not is_editable(status):
        raise DomainError.one(
            ErrorCode.NOT_EDITABLE, None, "An enabled or disabled promo code can no longer be edited."
        )


def check_deletable(status: PromoCodeStatus) -> None:
    if not is_deletable(status):
        raise DomainError.one(
            ErrorCode.NOT_DELETABLE, None, "An enabled promo code cannot be deleted; disable it first."
        )


def check_enable(status: PromoCodeStatus, valid_until: datetime | None, now: datetime) -> None:
    if status is not PromoCodeStatus.NOT_ENABLED:
        raise DomainError.one(
            ErrorCode.INVALID_TRANSITION, None, f"Only a NOT_ENABLED code can be enabled; this one is {status.value}."
        )
    if valid_until is not None and now >= valid_until:
        raise DomainError.one(ErrorCode.CODE_EXPIRED, None, "The code's validity period is over.")


def check_disable(status: PromoCodeStatus) -> None:
    if status is not PromoCodeStatus.ENABLED:
        raise DomainError.one(
            ErrorCode.INVALID_TRANSITION, None, f"Only an ENABLED code can be disabled; this one is {status.value}."
        )
