"""What the admin dashboard shows of a promo code's use: its figures and its client list."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry import Private

from domain import promo_code_clients as rows
from domain.notifications import NotificationChannel as ChannelEnum
from domain.statistics import CodeStatistics
from resolvers.context import Info
from schema.money import Money
from schema.notification import NotificationChannel
from schema.reference import Client

if TYPE_CHECKING:
    from schema.checkout import Redemption

PromoCodeClientStatus = strawberry.enum(rows.ClientStatus, name="PromoCodeClientStatus")


@strawberry.type
class PromoCodeStatistics:
    total_redeemed: int = strawberry.field(description="Every redemption counts (a client using it twice counts 2).")
    unique_clients: int = strawberry.field(description="Distinct clients who redeemed.")
    notified_clients: int = strawberry.field(description="Distinct clients who received a notification.")
    total_discount: list[Money] = strawberry.field(description="Promo-code discount granted, one entry per currency.")
    last_redeemed_at: datetime | None

    @classmethod
    def from_figures(cls, figures: CodeStatistics) -> "PromoCodeStatistics":
        return cls(
            total_redeemed=figures.total_redeemed,
            unique_clients=figures.unique_clients,
            notified_clients=figures.notified_clients,
            total_discount=[Money.of_minor(m, c) for c, m in figures.discount_minor_by_currency.items()],
            last_redeemed_at=figures.last_redeemed_at,
        )


@strawberry.type
class PromoCodeClient:
    notified_at: datetime | None = strawberry.field(description="First notification; null if never notified.")
    channels: list[NotificationChannel]
    times_redeemed: int
    remaining_uses: int | None = strawberry.field(description="Null: unlimited.")
    status: PromoCodeClientStatus
    row: Private[rows.ClientRow]

    @strawberry.field
    async def client(self, info: Info) -> Client:
        return Client.from_row(await info.context.loaders.client_by_id.load(self.row.client_id))

    @strawberry.field(description="Each redemption with the challenge bought, oldest first.")
    async def redemptions(self, info: Info) -> list[Annotated["Redemption", strawberry.lazy("schema.checkout")]]:
        from schema.checkout import Redemption

        found = await info.context.loaders.statistics.redemptions_of_client_row.load(
            (self.row.promo_code_id, self.row.client_id)
        )
        return [Redemption.from_row(r) for r in found]

    @classmethod
    def from_row(cls, row: rows.ClientRow) -> "PromoCodeClient":
        channels = [c for c, on in ((ChannelEnum.EMAIL, row.via_email), (ChannelEnum.POPUP, row.via_popup)) if on]
        return cls(
            notified_at=row.notified_at,
            channels=channels,
            times_redeemed=row.times_redeemed,
            remaining_uses=row.remaining_uses,
            status=row.status,
            row=row,
        )
