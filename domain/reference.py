"""Clients, client groups and prop challenges: validation and writes."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from typing import Any

from sqlalchemy import Select, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.errors import DomainError, ErrorCode, ErrorCollector
from domain.money import currency_decimals, decimals_of, is_currency, to_minor
from domain.text import clean_email, clean_text, contains_literal
from models import Client, ClientGroup, ClientGroupMember, PropChallenge

MAX_PRICE = Decimal(1_000_000_000)


@dataclass(frozen=True, slots=True)
class ClientInput:
    external_id: str
    name: str
    email: str
    group_ids: Sequence[int | None]  # None: an id that could not be decoded


@dataclass(frozen=True, slots=True)
class ChallengeInput:
    name: str
    price: Decimal
    currency: str
    account_size: Decimal | None


# Explicit ids travel as bound parameters (PostgreSQL takes at most 32,767 in a statement).
MAX_IDS = 10_000


async def _check_ids_exist(
    session: AsyncSession, model: type, ids: Sequence[int | None], field: str, errors: ErrorCollector
) -> list[int]:
    if len(ids) > MAX_IDS:
        errors.add(ErrorCode.INVALID, field, f"At most {MAX_IDS:,} ids at once.")
        return []
    wanted = {i for i in ids if i is not None}
    found = set((await session.scalars(select(model.id).where(model.id.in_(wanted)))).all()) if wanted else set()
    if None in ids or wanted - found:
        errors.add(ErrorCode.NOT_FOUND, field, f"Unknown id(s) in {field}.")
    return sorted(found)


async def create_client(session: AsyncSession, data: ClientInput) -> Client:
    errors = ErrorCollector()
    external_id = clean_text(data.external_id, "externalId", errors, max_length=64, label="External id")
    name = clean_text(data.name, "name", errors, max_length=100, label="Name")
    email = clean_email(data.email, "email", errors)
    group_ids = await _check_ids_exist(session, ClientGroup, data.group_ids, "groupIds", errors)
    if external_id and await session.scalar(select(Client.id).where(Client.external_id == external_id)):
        errors.add(ErrorCode.DUPLICATE, "externalId", f"A client with externalId {external_id!r} exists.")
    errors.raise_if_any()
    client = Client(external_id=external_id, name=name, email=email)
    session.add(client)
    await session.flush()
    if group_ids:
        await session.execute(
            insert(ClientGroupMember), [{"group_id": g, "client_id": client.id} for g in group_ids]
        )
    return client


async def create_group(session: AsyncSession, name: str, client_ids: Sequence[int | None]) -> ClientGroup:
    errors = ErrorCollector()
    clean_name = clean_text(name, "name", errors, max_length=100, label="Name")
    members = await _check_ids_exist(session, Client, client_ids, "clientIds", errors)
    if clean_name and await session.scalar(select(ClientGroup.id).where(ClientGroup.name == clean_name)):
        errors.add(ErrorCode.DUPLICATE, "name", f"A client group named {clean_name!r} exists.")
    errors.raise_if_any()
    group = ClientGroup(name=clean_name)
    session.add(group)
    await session.flush()
    if members:
        await session.execute(
            insert(ClientGroupMember), [{"group_id": group.id, "client_id": c} for c in members]
        )
    return group


def _amount_minor(
    value: Decimal, currency: str, field: str, label: str, errors: ErrorCollector
) -> int | None:
    decimals = currency_decimals(currency)
    if not value.is_finite() or value <= 0 or value > MAX_PRICE:
        errors.add(ErrorCode.INVALID, field, f"{label} must be above 0 and at most {MAX_PRICE}.")
        return None
    if decimals_of(value) > decimals:
        errors.add(ErrorCode.INVALID, field, f"{currency} amounts have at most {decimals} decimals.")
        return None
    return to_minor(value, decimals)


async def create_challenge(session: AsyncSession, data: ChallengeInput) -> PropChallenge:
    errors = ErrorCollector()
    name = clean_text(data.name, "name", errors, max_length=100, label="Name")
    currency = data.currency.strip().upper()
    price = size = None
    if not is_currency(currency):
        errors.add(ErrorCode.INVALID, "currency", f"{data.currency!r} is not an ISO 4217 currency code.")
    else:
        price = _amount_minor(data.price, currency, "price", "Price", errors)
        if data.account_size is not None:
            size = _amount_minor(data.account_size, currency, "accountSize", "Account size", errors)
    errors.raise_if_any()
    challenge = PropChallenge(
        name=name, price_minor=price, currency=currency, account_size_minor=size, active=True
    )
    session.add(challenge)
    await session.flush()
    return challenge


async def set_challenge_active(session: AsyncSession, challenge_id: int | None, active: bool) -> PropChallenge:
    challenge = None if challenge_id is None else await session.get(PropChallenge, challenge_id)
    if challenge is None:
        raise DomainError.one(ErrorCode.NOT_FOUND, "id", "No such prop challenge.")
    challenge.active = active
    await session.flush()
    return challenge


def client_search(search: str | None) -> Select[tuple[Client]]:
    """Clients whose name, e-mail or externalId contains ``search`` (case-insensitive, literal)."""
    statement = select(Client)
    if search and search.strip():
        statement = statement.where(
            contains_literal(Client.name, search)
            | contains_literal(Client.email, search)
            | contains_literal(Client.external_id, search)
        )
    return statement

