"""Promo code writes: the contract's lifecycle applied to stored rows, each with its audit event."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from domain.discounts import Discount
from domain.errors import DomainError, ErrorCode
from domain.promo_codes import (
    EventAction,
    PromoCodeDraft,
    PromoCodeSettings,
    PromoCodeStatus,
    UseCase,
    check_deletable,
    check_disable,
    check_editable,
    check_enable,
    validate_settings,
)
from models import PromoCode, PromoCodeEvent


def not_found() -> DomainError:
    return DomainError.one(ErrorCode.NOT_FOUND, "id", "No such promo code.")


async def live_code(session: AsyncSession, code_id: int | None, *, for_update: bool = False) -> PromoCode:
    """A promo code that is not deleted, locked for the transaction when asked (PostgreSQL)."""
    if code_id is None:
        raise not_found()
    statement = select(PromoCode).where(PromoCode.id == code_id, PromoCode.deleted_at.is_(None))
    row = await session.scalar(statement.with_for_update() if for_update else statement)
    if row is None:
        raise not_found()
    return row


def draft_of(row: PromoCode) -> PromoCodeDraft:
    discount = Discount.from_storage(row.discount_method, row.discount_value_minor, row.currency)
    return PromoCodeDraft(
        code=row.code,
        name=row.name,
        use_case=UseCase(row.use_case),
        discount_method=discount.method,
        discount_value=discount.value,
        currency=row.currency,
        usage_limit_per_client=row.usage_limit_per_client,
        combinable_with_coupons=row.combinable_with_coupons,
        valid_from=row.valid_from,
        valid_until=row.valid_until,
    )


def _apply(row: PromoCode, settings: PromoCodeSettings) -> None:
    row.code = settings.code
    row.name = settings.name
    row.use_case = settings.use_case.value
    row.discount_method = settings.discount.method.value
    row.discount_value_minor = settings.discount.value_minor
    row.currency = settings.discount.currency
    row.usage_limit_per_client = settings.usage_limit_per_client
    row.combinable_with_coupons = settings.combinable_with_coupons
    row.valid_from = settings.valid_from
    row.valid_until = settings.valid_until


async def _check_code_free(session: AsyncSession, code: str, except_id: int | None = None) -> None:
    statement = select(PromoCode.id).where(PromoCode.code == code, PromoCode.deleted_at.is_(None))
    if except_id is not None:
        statement = statement.where(PromoCode.id != except_id)
    if await session.scalar(statement) is not None:
        raise duplicate_code(code)


def duplicate_code(code: str) -> DomainError:
    return DomainError.one(ErrorCode.DUPLICATE, "code", f"A promo code {code!r} already exists.")


async def _save(session: AsyncSession, row: PromoCode, action: EventAction, actor: str, now: datetime) -> PromoCode:
    session.add(row)
    try:
        await session.flush()  # the partial unique index settles a race for the same code
    except IntegrityError:
        raise duplicate_code(row.code) from None
    session.add(PromoCodeEvent(promo_code_id=row.id, action=action.value, actor=actor, occurred_at=now))
    await session.flush()
    return row


async def create(session: AsyncSession, draft: PromoCodeDraft, actor: str, now: datetime) -> PromoCode:
    settings = validate_settings(draft, now)
    await _check_code_free(session, settings.code)
    row = PromoCode(status=PromoCodeStatus.NOT_ENABLED.value, created_at=now, updated_at=now)
    _apply(row, settings)
    return await _save(session, row, EventAction.CREATED, actor, now)


async def update(
    session: AsyncSession, code_id: int | None, changes: Mapping[str, Any], actor: str, now: datetime
) -> PromoCode:
    """Apply ``changes`` (draft field -> new value; absent fields stay as they are)."""
    row = await live_code(session, code_id, for_update=True)
    check_editable(PromoCodeStatus(row.status))
    draft = replace(draft_of(row), **changes)
    settings = validate_settings(draft, now, check_until_in_future="valid_until" in changes)
    await _check_code_free(session, settings.code, except_id=row.id)
    _apply(row, settings)
    row.updated_at = now
    return await _save(session, row, EventAction.UPDATED, actor, now)


async def enable(session: AsyncSession, code_id: int | None, actor: str, now: datetime) -> PromoCode:
    row = await live_code(session, code_id, for_update=True)
    check_enable(PromoCodeStatus(row.status), row.valid_until, now)
    row.status = PromoCodeStatus.ENABLED.value
    row.enabled_at = row.updated_at = now
    return await _save(session, row, EventAction.ENABLED, actor, now)


async def disable(session: AsyncSession, code_id: int | None, actor: str, now: datetime) -> PromoCode:
    row = await live_code(session, code_id, for_update=True)
    check_disable(PromoCodeStatus(row.status))
    row.status = PromoCodeStatus.DISABLED.value
    row.disabled_at = row.updated_at = now
    return await _save(session, row, EventAction.DISABLED, actor, now)


async def delete(session: AsyncSession, code_id: int | None, actor: str, now: datetime) -> PromoCode:
    """Soft delete: the row, its events and its history stay; the code string becomes free."""
    row = await live_code(session, code_id, for_update=True)
    check_deletable(PromoCodeStatus(row.status))
    row.deleted_at = row.updated_at = now
    return await _save(session, row, EventAction.DELETED, actor, now)
