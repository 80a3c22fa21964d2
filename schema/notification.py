"""Notifications: the batches an admin sends, what a client receives, and their inputs and payloads."""
from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry import Private

import models
from domain import notifications as rules
from domain.email_delivery import EmailStatus
from models import utcnow
from resolvers.context import Info
from schema.errors import UserError
from schema.node import Node, to_global_id
from schema.promo_code_offer import PromoCodeOffer

NotificationChannel = strawberry.enum(rules.NotificationChannel, name="NotificationChannel")


@strawberry.type
class NotificationBatch(Node):
    channels: list[NotificationChannel]
    recipient_count: int
    created_at: datetime
    created_by: str
    pk: Private[int]

    async def _count(self, info: Info, status: EmailStatus) -> int:
        counts = await info.context.loaders.email_counts_of_batch.load(self.pk)
        return counts.get(status, 0)

    @strawberry.field(description="E-mails not yet delivered (waiting, or being retried).")
    async def emails_pending(self, info: Info) -> int:
        return await self._count(info, EmailStatus.PENDING)

    @strawberry.field
    async def emails_sent(self, info: Info) -> int:
        return await self._count(info, EmailStatus.SENT)

    @strawberry.field(description="E-mails the mail relay refused for good.")
    async def emails_failed(self, info: Info) -> int:
        return await self._count(info, EmailStatus.FAILED)

    @classmethod
    def from_row(cls, row: models.NotificationBatch) -> "NotificationBatch":
        return cls(
            id=to_global_id("NotificationBatch", row.id),
            pk=row.id,
            channels=rules.channels_of(row.via_email, row.via_popup),
            recipient_count=row.recipient_count,
            created_at=row.created_at,
            created_by=row.created_by,
        )


@strawberry.type
class Notification(Node):
    channels: list[NotificationChannel]
    title: str
    message: str
    created_at: datetime
    read_at: datetime | None
    promo_code_pk: Private[int | None]

    @strawberry.field(description="The promo code announced; null once the code is deleted.")
    async def promo_code(self, info: Info) -> PromoCodeOffer | None:
        if self.promo_code_pk is None:
            return None
        row = await info.context.loaders.promo_code_by_id.load(self.promo_code_pk)
        return None if row is None or row.deleted_at is not None else PromoCodeOffer.from_row(row, utcnow())

    @classmethod
    def from_row(cls, row: models.Notification) -> "Notification":
        return cls(
            id=to_global_id("Notification", row.id),
            promo_code_pk=row.promo_code_id,
            channels=rules.channels_of(row.via_email, row.via_popup),
            title=row.title,
            message=row.message,
            created_at=row.created_at,
            read_at=row.read_at,
        )


@strawberry.input
class NotifyPromoCodeInput:
    channels: list[NotificationChannel]
    client_ids: list[strawberry.ID] | None = strawberry.field(default_factory=list)
    client_group_ids: list[strawberry.ID] | None = strawberry.field(default_factory=list)
    all_clients: bool = False


@strawberry.type
class NotifyPromoCodePayload:
    batch: NotificationBatch | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class MarkNotificationsReadPayload:
    notifications: list[Notification] = strawberry.field(default_factory=list)
    errors: list[UserError] = strawberry.field(default_factory=list)
