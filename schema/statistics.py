"""What the admin dashboard shows of a promo code's use: its figures and its client list."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from domain import promo_code_clients as rows
from domain.notifications import NotificationChannel as ChannelEnum
from domain.statistics import CodeStatistics
from schema.money import Money
from schema.notification import NotificationChannel
from schema.reference import Client

if TYPE_CHECKING:
    from resolvers.statistics_loaders import LoadedClientRow
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
    client: Client
    notified_at: datetime | None = strawberry.field(description="First notification; null if never notified.")
    channels: list[NotificationChannel]
    times_redeemed: int
    remaining_uses: int | None = strawberry.field(description="Null: unlimited.")
    status: PromoCodeClientStatus
    redemptions: list[Annotated["Redemption", strawberry.lazy("schema.checkout")]] = strawberry.field(
        description="Each redemption with the challenge bought, oldest first."
    )

    @classmethod
    def from_loaded(cls, loaded: LoadedClientRow) -> "PromoCodeClient":
        """The row as plain values: its client and redemptions were loaded with it (one batch per page)."""
        from schema.checkout import Redemption

        row = loaded.row
        channels = [c for c, on in ((ChannelEnum.EMAIL, row.via_email), (ChannelEnum.POPUP, row.via_popup)) if on]
        return cls(
            client=Client.from_row(row.client),
            notified_at=row.notified_at,
            channels=channels,
            times_redeemed=row.times_redeemed,
            remaining_uses=row.remaining_uses,
            status=row.status,
            redemptions=[Redemption.from_row(r) for r in loaded.redemptions],
        )
