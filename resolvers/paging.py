"""Turns a filtered SELECT into a page of a Relay connection."""
from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

from sqlalchemy import Select, func, select

from strawberry.dataloader import DataLoader

from domain.paging import Page, PageRequest, PageRequestError, SortKey, fetch_page
from resolvers.context import Context
from schema.errors import bad_user_input
from schema.pagination import Connection, connection

NodeT = TypeVar("NodeT")


async def load_connection(
    context: Context,
    statement: Select[Any],
    sort: SortKey,
    request: PageRequest,
    key_of: Callable[[Any], Sequence[Any]],
    to_node: Callable[[Any], NodeT],
) -> Connection[NodeT]:
    async with context.reading() as session:
        try:
            page = await fetch_page(session, statement, sort, request, key_of)
        except PageRequestError as exc:
            raise bad_user_input(str(exc)) from None

    async def total() -> int:
        async with context.reading() as session:
            counted = select(func.count()).select_from(statement.order_by(None).subquery())
            return int(await session.scalar(counted) or 0)

    return connection(page, to_node, total)


async def load_nested_connection(
    loader: DataLoader[tuple[Any, PageRequest], Page[Any]],
    parent: Any,
    request: PageRequest,
    to_node: Callable[[Any], NodeT],
    count: Callable[[], Awaitable[int]],
) -> Connection[NodeT]:
    """A nested connection whose page comes from a batching loader (see ``Loaders._pages``)."""
    try:
        page = await loader.load((parent, request))
    except PageRequestError as exc:
        raise bad_user_input(str(exc)) from None
    return connection(page, to_node, count)
