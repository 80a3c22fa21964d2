"""Root fields for notifications: an admin notifies clients of a promo code; a client reads its own."""
from __future__ import annotations

import strawberry

from auth import Permission, Principal
from domain import notification_queries as queries
from domain.errors import DomainError
from domain.marketplace import PROMO_MODULE_KEY
from domain.notification_read import mark_read
from domain.notification_store import notify
from domain.notifications import Targets
from models import utcnow
from resolvers.context import Context, Info
from resolvers.guards import check_module, require_client, require_staff
from resolvers.subscriptions import publish_batch
from resolvers.paging import load_connection
from schema.errors import user_errors
from schema.node import Node, pk_of
from schema.notification import (
    MarkNotificationsReadPayload,
    Notification,
    NotificationBatch,
    NotifyPromoCodeInput,
    NotifyPromoCodePayload,
)
from schema.pagination import Connection, page_request


async def notify_promo_code(info: Info, id: strawberry.ID, input: NotifyPromoCodeInput) -> NotifyPromoCodePayload:
    context = info.context
    principal = await require_staff(context, Permission.UPDATE_PROMO_CODES)
    targets = Targets(
        client_ids=[pk_of(i, "Client") for i in input.client_ids or []],
        group_ids=[pk_of(i, "ClientGroup") for i in input.client_group_ids or []],
        all_clients=input.all_clients,
    )
    try:
        batch = await notify(
            context.writing,
            lambda session: check_module(context, session),
            pk_of(id, "PromoCode"),
            targets,
            input.channels,
            principal.subject,
            utcnow(),
        )
    except DomainError as exc:
        return NotifyPromoCodePayload(errors=user_errors(exc))
    await publish_batch(context, batch.promo_code_id, batch.id)
    return NotifyPromoCodePayload(batch=NotificationBatch.from_row(batch))


async def my_notifications(
    info: Info, first: int | None = 20, after: str | None = None, unread_only: bool = False
) -> Connection[Notification]:
    client_id = await require_client(info.context)
    request = page_request(first, after)
    return await load_connection(
        info.context,
        queries.of_client(client_id, unread_only),
        queries.NEWEST_FIRST,
        request,
        lambda n: (n.id,),
        Notification.from_row,
    )


async def my_popups(info: Info) -> list[Notification]:
    client_id = await require_client(info.context)
    async with info.context.reading() as session:
        rows = (await session.scalars(queries.unread_popups(client_id))).all()
    return [Notification.from_row(r) for r in rows]


async def mark_notifications_read(info: Info, ids: list[strawberry.ID]) -> MarkNotificationsReadPayload:
    client_id = await require_client(info.context)
    try:
        async with info.context.writing() as session:
            rows = await mark_read(session, client_id, [pk_of(i, "Notification") for i in ids], utcnow())
    except DomainError as exc:
        return MarkNotificationsReadPayload(errors=user_errors(exc))
    return MarkNotificationsReadPayload(notifications=[Notification.from_row(r) for r in rows])


async def notification_node(context: Context, principal: Principal, pk: int) -> Node | None:
    """A client reads its own notifications; nobody else reads them through ``node``."""
    if principal.is_staff:
        return None
    client_id = await context.client_id()
    async with context.reading() as session:
        row = await session.scalar(queries.of_client_by_ids(client_id, [pk]))
    return None if row is None else Notification.from_row(row)


async def notification_batch_node(context: Context, principal: Principal, pk: int) -> Node | None:
    """Readable by whoever reads promo codes, while its code is not deleted."""
    if not (principal.is_staff and principal.may(Permission.READ_PROMO_CODES)):
        return None
    async with context.reading() as session:
        if not await context.services.modules.is_installed(session, PROMO_MODULE_KEY):
            return None
        row = await session.scalar(queries.published_batch_of_live_code(pk))
    return None if row is None else NotificationBatch.from_row(row)
