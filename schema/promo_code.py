"""The admin's view of a promo code, its inputs and payloads."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import Enum
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry import UNSET, Private

import models
from domain import promo_codes as rules
from domain.discounts import Discount
from domain.discounts import DiscountMethod as DiscountMethodEnum
from domain.promo_code_queries import PromoCodeSortField as SortFieldEnum
from domain.promo_code_queries import SortDirection as SortDirectionEnum
from resolvers.context import Info
from schema.errors import UserError
from schema.node import Node, to_global_id
from schema.pagination import Connection

if TYPE_CHECKING:
    from schema.checkout import Redemption
    from schema.notification import NotificationBatch
    from schema.statistics import PromoCodeClient, PromoCodeClientStatus, PromoCodeStatistics

PromoCodeStatus = strawberry.enum(rules.PromoCodeStatus, name="PromoCodeStatus")
ValidityStatus = strawberry.enum(rules.ValidityStatus, name="ValidityStatus")
PromoCodeUseCase = strawberry.enum(rules.UseCase, name="PromoCodeUseCase")
PromoCodeEventAction = strawberry.enum(rules.EventAction, name="PromoCodeEventAction")
DiscountMethod = strawberry.enum(DiscountMethodEnum, name="DiscountMethod")
PromoCodeSortField = strawberry.enum(SortFieldEnum, name="PromoCodeSortField")
SortDirection = strawberry.enum(SortDirectionEnum, name="SortDirection")


@strawberry.enum
class DistributionMethod(Enum):
    NOTIFICATION = "NOTIFICATION"


@strawberry.type
class PromoCodeEvent:
    action: PromoCodeEventAction
    actor: str
    occurred_at: datetime


@strawberry.type
class PromoCode(Node):
    code: str
    name: str
    use_case: PromoCodeUseCase
    discount_method: DiscountMethod
    discount_value: Decimal
    currency: str | None
    distribution_method: DistributionMethod
    usage_limit_per_client: int | None
    combinable_with_coupons: bool
    valid_from: datetime | None
    valid_until: datetime | None
    status: PromoCodeStatus
    validity_status: ValidityStatus
    editable: bool
    deletable: bool
    created_at: datetime
    updated_at: datetime
    enabled_at: datetime | None
    disabled_at: datetime | None
    pk: Private[int]

    @strawberry.field(description="Audit trail, oldest first.")
    async def events(self, info: Info) -> list[PromoCodeEvent]:
        rows = await info.context.loaders.events_of_code.load(self.pk)
        return [
            PromoCodeEvent(action=rules.EventAction(r.action), actor=r.actor, occurred_at=r.occurred_at)
            for r in rows
        ]

    @strawberry.field(description="Every time clients were notified of the code, oldest first.")
    async def notification_batches(
        self, info: Info
    ) -> list[Annotated["NotificationBatch", strawberry.lazy("schema.notification")]]:
        from schema.notification import NotificationBatch

        rows = await info.context.loaders.batches_of_code.load(self.pk)
        return [NotificationBatch.from_row(r) for r in rows]
    @strawberry.field
    async def redemptions(
        self, info: Info, first: int | None = 20, after: str | None = None
    ) -> Connection[Annotated["Redemption", strawberry.lazy("schema.checkout")]]:
        from resolvers.redemptions import redemptions_of_code

        return await redemptions_of_code(info, self.pk, first, after)

    @strawberry.field
    async def statistics(self, info: Info) -> Annotated["PromoCodeStatistics", strawberry.lazy("schema.statistics")]:
        from resolvers.statistics import statistics_of_code

        return await statistics_of_code(info, self.pk)

    @strawberry.field(description="One row per client who received the code or redeemed it.")
    async def clients(
        self,
        info: Info,
        first: int | None = 20,
        after: str | None = None,
        status: Annotated["PromoCodeClientStatus", strawberry.lazy("schema.statistics")] | None = None,
    ) -> Connection[Annotated["PromoCodeClient", strawberry.lazy("schema.statistics")]]:
        from resolvers.statistics import clients_of_code

        return await clients_of_code(info, self.pk, first, after, status)

    @classmethod
    def from_row(cls, row: models.PromoCode, now: datetime) -> "PromoCode":
        status = rules.PromoCodeStatus(row.status)
        discount = Discount.from_storage(row.discount_method, row.discount_value_minor, row.currency)
        return cls(
            id=to_global_id("PromoCode", row.id),
            pk=row.id,
            code=row.code,
            name=row.name,
            use_case=rules.UseCase(row.use_case),
            discount_method=discount.method,
            discount_value=discount.value,
            currency=row.currency,
            distribution_method=DistributionMethod.NOTIFICATION,
            usage_limit_per_client=row.usage_limit_per_client,
            combinable_with_coupons=row.combinable_with_coupons,
            valid_from=row.valid_from,
            valid_until=row.valid_until,
            status=status,
            validity_status=rules.validity_status(status, row.valid_from, row.valid_until, now),
            editable=rules.is_editable(status),
            deletable=rules.is_deletable(status),
            created_at=row.created_at,
            updated_at=row.updated_at,
            enabled_at=row.enabled_at,
            disabled_at=row.disabled_at,
        )


@strawberry.input
class PromoCodeFilter:
    status: list[PromoCodeStatus] | None = None
    validity_status: list[ValidityStatus] | None = None
    search: str | None = strawberry.field(default=None, description="Case-insensitive match on code or name.")


@strawberry.input
class PromoCodeCreateInput:
    code: str
    name: str
    discount_method: DiscountMethod
    discount_value: Decimal
    use_case: PromoCodeUseCase = rules.UseCase.PROP_TRADING
    currency: str | None = strawberry.field(
        default=None, description="Required for FIXED_AMOUNT, must be absent for PERCENTAGE."
    )
    usage_limit_per_client: int | None = strawberry.field(default=None, description="Null or absent: unlimited.")
    combinable_with_coupons: bool = False
    valid_from: datetime | None = None
    valid_until: datetime | None = None


@strawberry.input(description="Absent field: unchanged. Explicit null: cleared (where the field is nullable).")
class PromoCodeUpdateInput:
    code: str | None = UNSET
    name: str | None = UNSET
    discount_method: DiscountMethod | None = UNSET
    discount_value: Decimal | None = UNSET
    currency: str | None = UNSET
    usage_limit_per_client: int | None = UNSET
    combinable_with_coupons: bool | None = UNSET
    valid_from: datetime | None = UNSET
    valid_until: datetime | None = UNSET


@strawberry.type
class PromoCodePayload:
    promo_code: PromoCode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class DeletePromoCodePayload:
    deleted_id: strawberry.ID | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)
