"""Notifying rules from the contract, as plain functions: who may be notified, through what, with which words."""
from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from babel.numbers import format_currency

from domain.discounts import Discount, DiscountMethod
from domain.errors import ErrorCode, ErrorCollector
from domain.money import currency_decimals
from domain.promo_codes import PromoCodeStatus
from domain.reference import MAX_IDS  # a longer list belongs in a client group

class NotificationChannel(Enum):
    EMAIL = "EMAIL"
    POPUP = "POPUP"


@dataclass(frozen=True, slots=True)
class Targets:
    """Whom to notify; ``None`` stands for an id that could not be decoded."""

    client_ids: Sequence[int | None] = ()
    group_ids: Sequence[int | None] = ()
    all_clients: bool = False

    @property
    def is_empty(self) -> bool:
        return not (self.client_ids or self.group_ids or self.all_clients)


@dataclass(frozen=True, slots=True)
class Offer:
    """What a notification says about a promo code."""

    code: str
    name: str
    discount: Discount
    valid_from: datetime | None
    valid_until: datetime | None
    combinable_with_coupons: bool


def check_notifiable(status: PromoCodeStatus, valid_until: datetime | None, now: datetime, errors: ErrorCollector) -> None:
    if status is not PromoCodeStatus.ENABLED:
        errors.add(ErrorCode.INVALID_TRANSITION, None, f"Only an ENABLED code can be notified; this one is {status.value}.")
    elif valid_until is not None and now >= valid_until:
        errors.add(ErrorCode.CODE_EXPIRED, None, "The code's validity period is over.")


def check_request(targets: Targets, channels: Collection[NotificationChannel], errors: ErrorCollector) -> None:
    """The parts of a notify request that need no database: at least one target and one channel."""
    if targets.is_empty:
        errors.add(ErrorCode.REQUIRED, "clientIds", "Choose clients, client groups or all clients.")
    for field, ids in (("clientIds", targets.client_ids), ("clientGroupIds", targets.group_ids)):
        if len(ids) > MAX_IDS:
            errors.add(ErrorCode.INVALID, field, f"At most {MAX_IDS:,} ids; use a client group or allClients.")
    if not channels:
        errors.add(ErrorCode.REQUIRED, "channels", "Choose at least one channel (EMAIL, POPUP).")


def channels_of(via_email: bool, via_popup: bool) -> list[NotificationChannel]:
    return [c for c, on in ((NotificationChannel.EMAIL, via_email), (NotificationChannel.POPUP, via_popup)) if on]


def discount_text(discount: Discount) -> str:
    """``12.5% off``, ``$90.00 off``, ``¥503 off``."""
    if discount.method is DiscountMethod.PERCENTAGE:
        value = discount.value.normalize()
        return f"{value:f}% off"
    assert discount.currency is not None
    # The currency's ISO 4217 decimals, not Babel's CLDR digits (which say 0 for HUF, IDR, ...).
    decimals = currency_decimals(discount.currency)
    pattern = "¤#,##0" + ("." + "0" * decimals if decimals else "")
    amount = format_currency(discount.value, discount.currency, format=pattern, locale="en_US", currency_digits=False)
    return f"{amount} off"


def _when(moment: datetime) -> str:
    return moment.strftime("%d %B %Y, %H:%M UTC")


def validity_text(valid_from: datetime | None, valid_until: datetime | None, now: datetime) -> str:
    starts = valid_from is not None and valid_from > now
    if starts and valid_until is not None:
        return f"Valid from {_when(valid_from)} until {_when(valid_until)}."
    if starts:
        return f"Valid from {_when(valid_from)}, with no end date."
    if valid_until is not None:
        return f"Valid until {_when(valid_until)}."
    return "Valid with no end date."


def title_of(offer: Offer) -> str:
    return f"Promo code {offer.code}: {discount_text(offer.discount)}"


def message_of(offer: Offer, now: datetime) -> str:
    parts = [
        f"{offer.name}: enter the code {offer.code} on the payment page of the prop challenge "
        f"checkout and click Apply for {discount_text(offer.discount)}.",
        validity_text(offer.valid_from, offer.valid_until, now),
    ]
    if offer.combinable_with_coupons:
        parts.append("It can be combined with your coupons.")
    return " ".join(parts)
