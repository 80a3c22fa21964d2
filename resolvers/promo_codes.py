"""Root fields for promo codes: reading them and their lifecycle (create, update, enable, disable, delete)."""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry import UNSET

from auth import Permission
from domain import promo_code_store as store
from domain.errors import DomainError, ErrorCode, ErrorCollector
from domain.promo_code_queries import PromoCodeFilter as Filter
from domain.promo_code_queries import by_code, listing, live_codes, sort_key
from domain.promo_codes import PromoCodeDraft
from models import PromoCode as PromoCodeRow
from models import utcnow
from resolvers.context import Context, Info
from resolvers.guards import check_module, require_module, require_staff
from resolvers.paging import load_connection
from schema.errors import bad_user_input, user_errors
from schema.node import pk_of
from schema.pagination import Connection, page_request
from schema.promo_code import (
    DeletePromoCodePayload,
    PromoCode,
    PromoCodeCreateInput,
    PromoCodeFilter,
    PromoCodePayload,
    PromoCodeSortField,
    PromoCodeUpdateInput,
    SortDirection,
)

# Fields of PromoCodeUpdateInput that cannot be cleared with an explicit null.
_REQUIRED_ON_UPDATE = {
    "code": "code",
    "name": "name",
    "discount_method": "discountMethod",
    "discount_value": "discountValue",
    "combinable_with_coupons": "combinableWithCoupons",
}


async def _reader(info: Info) -> None:
    await require_staff(info.context, Permission.READ_PROMO_CODES)
    await require_module(info.context)


async def promo_code(info: Info, id: strawberry.ID | None = None, code: str | None = None) -> PromoCode | None:
    await _reader(info)
    if id is None and code is None:
        raise bad_user_input("Pass `id` or `code`.")
    statement = live_codes() if code is None else by_code(code)
    if id is not None:
        statement = statement.where(PromoCodeRow.id == pk_of(id, "PromoCode"))
    async with info.context.reading() as session:
        row = await session.scalar(statement)
    return None if row is None else PromoCode.from_row(row, utcnow())


async def promo_codes(
    info: Info,
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
    filter: PromoCodeFilter | None = None,
    sort_by: PromoCodeSortField | None = PromoCodeSortField.CREATED_AT,
    sort_direction: SortDirection | None = SortDirection.DESC,
) -> Connection[PromoCode]:
    await _reader(info)
    request = page_request(first, after, last, before)
    now = utcnow()
    criteria = None if filter is None else Filter(filter.status, filter.validity_status, filter.search)
    sort, key_of = sort_key(sort_by or PromoCodeSortField.CREATED_AT, sort_direction or SortDirection.DESC)
    return await load_connection(
        info.context, listing(criteria, now), sort, request, key_of, lambda r: PromoCode.from_row(r, now)
    )


Operation = Callable[[AsyncSession, str, datetime], Awaitable[PromoCodeRow]]


async def _write(context: Context, operation: Operation) -> PromoCodeRow:
    """Run one lifecycle operation in a transaction, behind the permission and the module gate."""
    principal = await require_staff(context, Permission.UPDATE_PROMO_CODES)
    async with context.writing() as session:
        await check_module(context, session)
        return await operation(session, principal.subject, utcnow())


async def _promo_code_payload(context: Context, operation: Operation) -> PromoCodePayload:
    try:
        row = await _write(context, operation)
    except DomainError as exc:
        return PromoCodePayload(errors=user_errors(exc))
    return PromoCodePayload(promo_code=PromoCode.from_row(row, utcnow()))


async def create_promo_code(info: Info, input: PromoCodeCreateInput) -> PromoCodePayload:
    draft = PromoCodeDraft(
        code=input.code,
        name=input.name,
        use_case=input.use_case,
        discount_method=input.discount_method,
        discount_value=input.discount_value,
        currency=input.currency,
        usage_limit_per_client=input.usage_limit_per_client,
        combinable_with_coupons=input.combinable_with_coupons,
        valid_from=input.valid_from,
        valid_until=input.valid_until,
    )
    return await _promo_code_payload(info.context, lambda s, actor, now: store.create(s, draft, actor, now))


def _changes(input: PromoCodeUpdateInput) -> dict[str, Any]:
    changes = {name: value for name, value in vars(input).items() if value is not UNSET}
    errors = ErrorCollector()
    for name, field in _REQUIRED_ON_UPDATE.items():
        if name in changes and changes[name] is None:
            errors.add(ErrorCode.REQUIRED, field, f"{field} cannot be cleared.")
    errors.raise_if_any()
    return changes


async def update_promo_code(info: Info, id: strawberry.ID, input: PromoCodeUpdateInput) -> PromoCodePayload:
    async def operation(session: AsyncSession, actor: str, now: datetime) -> PromoCodeRow:
        return await store.update(session, pk_of(id, "PromoCode"), _changes(input), actor, now)

    return await _promo_code_payload(info.context, operation)


async def enable_promo_code(info: Info, id: strawberry.ID) -> PromoCodePayload:
    pk = pk_of(id, "PromoCode")
    return await _promo_code_payload(info.context, lambda s, actor, now: store.enable(s, pk, actor, now))


async def disable_promo_code(info: Info, id: strawberry.ID) -> PromoCodePayload:
    pk = pk_of(id, "PromoCode")
    return await _promo_code_payload(info.context, lambda s, actor, now: store.disable(s, pk, actor, now))


async def delete_promo_code(info: Info, id: strawberry.ID) -> DeletePromoCodePayload:
    pk = pk_of(id, "PromoCode")
    try:
        await _write(info.context, lambda s, actor, now: store.delete(s, pk, actor, now))
    except DomainError as exc:
        return DeletePromoCodePayload(errors=user_errors(exc))
    return DeletePromoCodePayload(deleted_id=id)
