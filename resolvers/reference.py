"""Root fields for reference data: clients, client groups, prop challenges."""
from __future__ import annotations

import strawberry
from sqlalchemy import select

from auth import Permission
from domain import reference
from domain.errors import DomainError
from domain.paging import SortKey
from models import Client as ClientRow
from models import ClientGroup as ClientGroupRow
from models import PropChallenge as PropChallengeRow
from resolvers.context import Info
from resolvers.guards import require_staff, require_token
from resolvers.paging import load_connection, load_nested_connection
from schema.errors import user_errors
from schema.node import pk_of
from schema.pagination import Connection, page_request
from schema.reference import (
    Client,
    ClientCreateInput,
    ClientGroup,
    ClientGroupCreateInput,
    ClientGroupPayload,
    ClientPayload,
    PropChallenge,
    PropChallengeCreateInput,
    PropChallengePayload,
)

BY_ID = SortKey((ClientRow.id,))


async def clients(
    info: Info, first: int | None = 20, after: str | None = None, search: str | None = None
) -> Connection[Client]:
    await require_staff(info.context)
    request = page_request(first, after)
    statement = reference.client_search(search)
    return await load_connection(info.context, statement, BY_ID, request, lambda c: (c.id,), Client.from_row)


async def group_clients(info: Info, group_pk: int, first: int | None, after: str | None) -> Connection[Client]:
    loaders = info.context.loaders

    async def count() -> int:
        return await loaders.client_count_of_group.load(group_pk)

    request = page_request(first, after)
    return await load_nested_connection(loaders.clients_of_group, group_pk, request, Client.from_row, count)


async def client_groups(info: Info) -> list[ClientGroup]:
    await require_staff(info.context)
    async with info.context.reading() as session:
        rows = (await session.scalars(select(ClientGroupRow).order_by(ClientGroupRow.name))).all()
    return [ClientGroup.from_row(r) for r in rows]


async def prop_challenges(info: Info, include_inactive: bool = False) -> list[PropChallenge]:
    await require_token(info.context)
    statement = select(PropChallengeRow).order_by(PropChallengeRow.id)
    if not include_inactive:
        statement = statement.where(PropChallengeRow.active.is_(True))
    async with info.context.reading() as session:
        rows = (await session.scalars(statement)).all()
    return [PropChallenge.from_row(r) for r in rows]


def _pks(ids: list[strawberry.ID] | None, type_name: str) -> list[int | None]:
    return [pk_of(i, type_name) for i in ids or []]


async def create_client(info: Info, input: ClientCreateInput) -> ClientPayload:
    await require_staff(info.context, Permission.MANAGE_CLIENTS)
    data = reference.ClientInput(
        external_id=input.external_id,
        name=input.name,
        email=input.email,
        group_ids=_pks(input.group_ids, "ClientGroup"),
    )
    try:
        async with info.context.writing() as session:
            row = await reference.create_client(session, data)
    except DomainError as exc:
        return ClientPayload(errors=user_errors(exc))
    return ClientPayload(client=Client.from_row(row))


async def create_client_group(info: Info, input: ClientGroupCreateInput) -> ClientGroupPayload:
    await require_staff(info.context, Permission.MANAGE_CLIENTS)
    try:
        async with info.context.writing() as session:
            row = await reference.create_group(session, input.name, _pks(input.client_ids, "Client"))
    except DomainError as exc:
        return ClientGroupPayload(errors=user_errors(exc))
    return ClientGroupPayload(group=ClientGroup.from_row(row))


async def create_prop_challenge(info: Info, input: PropChallengeCreateInput) -> PropChallengePayload:
    await require_staff(info.context, Permission.MANAGE_CHALLENGES)
    data = reference.ChallengeInput(input.name, input.price, input.currency, input.account_size)
    try:
        async with info.context.writing() as session:
            row = await reference.create_challenge(session, data)
    except DomainError as exc:
        return PropChallengePayload(errors=user_errors(exc))
    return PropChallengePayload(challenge=PropChallenge.from_row(row))


async def set_prop_challenge_active(info: Info, id: strawberry.ID, active: bool) -> PropChallengePayload:
    await require_staff(info.context, Permission.MANAGE_CHALLENGES)
    try:
        async with info.context.writing() as session:
            row = await reference.set_challenge_active(session, pk_of(id, "PropChallenge"), active)
    except DomainError as exc:
        return PropChallengePayload(errors=user_errors(exc))
    return PropChallengePayload(challenge=PropChallenge.from_row(row))
