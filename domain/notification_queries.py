"""Which notifications a reader may see, as SQL: only those of published batches."""
from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Select, select

from domain.paging import SortKey
from models import Notification, NotificationBatch, PromoCode

NEWEST_FIRST = SortKey((Notification.id,), descending=True)
MAX_POPUPS = 100


def published() -> Select[tuple[Notification]]:
    """Notifications whose batch is fully recorded; readers never see a batch being written."""
    return (
        select(Notification)
        .join(NotificationBatch, NotificationBatch.id == Notification.batch_id)
        .where(NotificationBatch.published_at.is_not(None))
    )


def of_client(client_id: int, unread_only: bool = False) -> Select[tuple[Notification]]:
    statement = published().where(Notification.client_id == client_id)
    return statement.where(Notification.read_at.is_(None)) if unread_only else statement


def unread_popups(client_id: int) -> Select[tuple[Notification]]:
    """A client's unread pop-ups, newest first (at most ``MAX_POPUPS``)."""
    return (
        of_client(client_id, unread_only=True)
        .where(Notification.via_popup.is_(True))
        .order_by(Notification.id.desc())
        .limit(MAX_POPUPS)
    )


def of_client_by_ids(client_id: int, ids: Sequence[int]) -> Select[tuple[Notification]]:
    return of_client(client_id).where(Notification.id.in_(ids))


def published_batches(code_ids: Sequence[int]) -> Select[tuple[NotificationBatch]]:
    return (
        select(NotificationBatch)
        .where(NotificationBatch.promo_code_id.in_(code_ids), NotificationBatch.published_at.is_not(None))
        .order_by(NotificationBatch.created_at, NotificationBatch.id)
    )


def published_batch_of_live_code(batch_id: int) -> Select[tuple[NotificationBatch]]:
    return (
        select(NotificationBatch)
        .join(PromoCode, PromoCode.id == NotificationBatch.promo_code_id)
        .where(
            NotificationBatch.id == batch_id,
            NotificationBatch.published_at.is_not(None),
            PromoCode.deleted_at.is_(None),
        )
    )
