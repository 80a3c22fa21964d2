"""``node(id)``: any object by global id, for whoever may read it through the other root fields."""
from __future__ import annotations

from collections.abc import Awaitable, Callable

import strawberry
from sqlalchemy import exists, select
from sqlalchemy.orm import joinedload
from sqlalchemy.sql.elements import ColumnElement

from auth import Permission, Principal
from domain.marketplace import PROMO_MODULE_KEY
from domain.checkout_store import purchases_with_details, redemptions_with_challenge
from domain.promo_code_queries import live_codes
from models import Client as ClientRow
from models import ClientGroup as ClientGroupRow
from models import PromoCode as PromoCodeRow
from models import ChallengePurchase as PurchaseRow
from models import Coupon as CouponRow
from models import PropChallenge as PropChallengeRow
from models import Redemption as RedemptionRow
from models import utcnow
from resolvers.context import Context, Info
from resolvers.guards import require_token
from resolvers.notifications import notification_batch_node, notification_node
from schema.checkout import ChallengePurchase, Redemption
from schema.coupon import Coupon
from schema.node import Node, from_global_id
from schema.promo_code import PromoCode
from schema.reference import Client, ClientGroup, PropChallenge

Resolver = Callable[[Context, Principal, int], Awaitable[Node | None]]


async def _reads_promo_codes(context: Context, principal: Principal) -> bool:
    """Staff who may read promo codes, with the module installed: they reach codes, redemptions
    and, through a redemption, its purchase and the coupon that purchase used."""
    if not (principal.is_staff and principal.may(Permission.READ_PROMO_CODES)):
        return False
    async with context.reading() as session:
        return await context.services.modules.is_installed(session, PROMO_MODULE_KEY)


def _of_live_code(code_id: ColumnElement[int | None]) -> ColumnElement[bool]:
    """Reachable through a code that is not deleted (a deleted code's history is kept, not shown)."""
    return code_id.in_(live_codes().with_only_columns(PromoCodeRow.id))


async def _promo_code(context: Context, principal: Principal, pk: int) -> Node | None:
    if not await _reads_promo_codes(context, principal):
        return None
    async with context.reading() as session:
        row = await session.scalar(live_codes().where(PromoCodeRow.id == pk))
    return None if row is None else PromoCode.from_row(row, utcnow())


async def _client(context: Context, principal: Principal, pk: int) -> Node | None:
    if not principal.is_staff and await context.client_id() != pk:
        return None
    async with context.reading() as session:
        row = await session.get(ClientRow, pk)
    return None if row is None else Client.from_row(row)


async def _client_group(context: Context, principal: Principal, pk: int) -> Node | None:
    if not principal.is_staff:
        return None
    async with context.reading() as session:
        row = await session.get(ClientGroupRow, pk)
    return None if row is None else ClientGroup.from_row(row)


async def _prop_challenge(context: Context, principal: Principal, pk: int) -> Node | None:
    async with context.reading() as session:
        row = await session.get(PropChallengeRow, pk)
    return None if row is None else PropChallenge.from_row(row)


async def _coupon(context: Context, principal: Principal, pk: int) -> Node | None:
    statement = select(CouponRow).options(joinedload(CouponRow.client)).where(CouponRow.id == pk)
    if principal.is_staff:
        if not await _reads_promo_codes(context, principal):
            return None
        used_with_a_code = exists().where(PurchaseRow.coupon_id == CouponRow.id, _of_live_code(PurchaseRow.promo_code_id))
        statement = statement.where(used_with_a_code)
    else:
        statement = statement.where(CouponRow.client_id == await context.client_id())
    async with context.reading() as session:
        row = await session.scalar(statement)
    return None if row is None else Coupon.from_row(row, row.client, utcnow())


async def _purchase(context: Context, principal: Principal, pk: int) -> Node | None:
    statement = purchases_with_details().where(PurchaseRow.id == pk)
    if principal.is_staff:
        if not await _reads_promo_codes(context, principal):
            return None
        statement = statement.where(_of_live_code(PurchaseRow.promo_code_id))
    else:
        statement = statement.where(PurchaseRow.client_id == await context.client_id())
    async with context.reading() as session:
        row = await session.scalar(statement)
    return None if row is None else ChallengePurchase.from_row(row, utcnow())


async def _redemption(context: Context, principal: Principal, pk: int) -> Node | None:
    if not await _reads_promo_codes(context, principal):
        return None
    statement = redemptions_with_challenge().where(RedemptionRow.id == pk, _of_live_code(RedemptionRow.promo_code_id))
    async with context.reading() as session:
        row = await session.scalar(statement)
    return None if row is None else Redemption.from_row(row)


RESOLVERS: dict[str, Resolver] = {
    "PromoCode": _promo_code,
    "Client": _client,
    "ClientGroup": _client_group,
    "PropChallenge": _prop_challenge,
    "Notification": notification_node,
    "NotificationBatch": notification_batch_node,
    "Coupon": _coupon,
    "ChallengePurchase": _purchase,
    "Redemption": _redemption,
}


async def node(info: Info, id: strawberry.ID) -> Node | None:
    principal = await require_token(info.context)
    parsed = from_global_id(id)
    if parsed is None or parsed[0] not in RESOLVERS:
        return None
    type_name, pk = parsed
    return await RESOLVERS[type_name](info.context, principal, pk)
