"""Reference data types: clients, client groups and prop challenges."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import strawberry
from strawberry import Private

import models
from domain.money import currency_decimals, from_minor
from resolvers.context import Info
from schema.errors import UserError
from schema.money import Money
from schema.node import Node, to_global_id
from schema.pagination import Connection


@strawberry.type
class Client(Node):
    external_id: str
    name: str
    email: str
    created_at: datetime
    pk: Private[int]

    @strawberry.field
    async def groups(self, info: Info) -> list["ClientGroup"]:
        rows = await info.context.loaders.groups_of_client.load(self.pk)
        return [ClientGroup.from_row(r) for r in rows]

    @classmethod
    def from_row(cls, row: models.Client) -> "Client":
        return cls(
            id=to_global_id("Client", row.id),
            pk=row.id,
            external_id=row.external_id,
            name=row.name,
            email=row.email,
            created_at=row.created_at,
        )


@strawberry.type
class ClientGroup(Node):
    name: str
    pk: Private[int]

    @strawberry.field
    async def client_count(self, info: Info) -> int:
        return await info.context.loaders.client_count_of_group.load(self.pk)

    @strawberry.field
    async def clients(
        self, info: Info, first: int | None = 20, after: str | None = None
    ) -> Connection[Client]:
        from resolvers.reference import group_clients

        return await group_clients(info, self.pk, first, after)

    @classmethod
    def from_row(cls, row: models.ClientGroup) -> "ClientGroup":
        return cls(id=to_global_id("ClientGroup", row.id), pk=row.id, name=row.name)


@strawberry.type
class PropChallenge(Node):
    name: str
    account_size: Decimal | None
    price: Money
    active: bool
    pk: Private[int]

    @classmethod
    def from_row(cls, row: models.PropChallenge) -> "PropChallenge":
        decimals = currency_decimals(row.currency)
        size = row.account_size_minor
        return cls(
            id=to_global_id("PropChallenge", row.id),
            pk=row.id,
            name=row.name,
            account_size=None if size is None else from_minor(size, decimals),
            price=Money.of_minor(row.price_minor, row.currency),
            active=row.active,
        )


@strawberry.input
class ClientCreateInput:
    external_id: str
    name: str
    email: str
    group_ids: list[strawberry.ID] | None = strawberry.field(default_factory=list)


@strawberry.input
class ClientGroupCreateInput:
    name: str
    client_ids: list[strawberry.ID] | None = strawberry.field(default_factory=list)


@strawberry.input
class PropChallengeCreateInput:
    name: str
    price: Decimal
    currency: str
    account_size: Decimal | None = None


@strawberry.type
class ClientPayload:
    client: Client | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class ClientGroupPayload:
    group: ClientGroup | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class PropChallengePayload:
    challenge: PropChallenge | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)
