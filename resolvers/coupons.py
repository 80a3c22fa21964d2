"""Root fields for coupons: ``issueCoupon`` (staff) and ``myCoupons`` (the calling client)."""
from __future__ import annotations

from sqlalchemy import select

from auth import Permission
from domain import coupons
from domain.errors import DomainError
from models import Client as ClientRow
from models import Coupon as CouponRow
from models import utcnow
from resolvers.context import Info
from resolvers.guards import check_module, require_client, require_module, require_staff
from schema.coupon import Coupon, CouponIssueInput, CouponPayload
from schema.errors import user_errors
from schema.node import pk_of


async def issue_coupon(info: Info, input: CouponIssueInput) -> CouponPayload:
    principal = await require_staff(info.context, Permission.UPDATE_PROMO_CODES)
    draft = coupons.CouponDraft(
        client_id=pk_of(input.client_id, "Client"),
        name=input.name,
        discount_method=input.discount_method,
        discount_value=input.discount_value,
        currency=input.currency,
        valid_until=input.valid_until,
    )
    now = utcnow()
    try:
        async with info.context.writing() as session:
            await check_module(info.context, session)
            row, client = await coupons.issue(session, draft, principal.subject, now)
    except DomainError as exc:
        return CouponPayload(errors=user_errors(exc))
    return CouponPayload(coupon=Coupon.from_row(row, client, now))


async def my_coupons(info: Info) -> list[Coupon]:
    """Every coupon of the caller, newest first, whatever its status."""
    client_id = await require_client(info.context)
    await require_module(info.context)
    statement = (
        select(CouponRow, ClientRow)
        .join(ClientRow, ClientRow.id == CouponRow.client_id)
        .where(CouponRow.client_id == client_id)
        .order_by(CouponRow.issued_at.desc(), CouponRow.id.desc())
    )
    async with info.context.reading() as session:
        rows = (await session.execute(statement)).all()
    now = utcnow()
    return [Coupon.from_row(coupon, client, now) for coupon, client in rows]
