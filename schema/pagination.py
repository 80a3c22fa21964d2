"""Relay connections. ``Connection[Client]`` is named ``ClientConnection`` in the schema, as the contract spells it."""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

import strawberry

from domain.paging import Page, PageRequest, PageRequestError
from schema.errors import bad_user_input

NodeT = TypeVar("NodeT")


@strawberry.type
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type
class Edge(Generic[NodeT]):
    cursor: str
    node: NodeT


@strawberry.type
class Connection(Generic[NodeT]):
    edges: list[Edge[NodeT]]
    page_info: PageInfo
    count: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field
    async def total_count(self) -> int:
        """How many items the filter selects, over all pages (counted only when asked for)."""
        return await self.count()


def connection(
    page: Page[object],
    to_node: Callable[[object], NodeT],
    count: Callable[[], Awaitable[int]],
) -> Connection[NodeT]:
    edges = [Edge(cursor=c, node=to_node(item)) for item, c in zip(page.items, page.cursors)]
    info = PageInfo(
        has_next_page=page.has_next,
        has_previous_page=page.has_previous,
        start_cursor=page.cursors[0] if page.cursors else None,
        end_cursor=page.cursors[-1] if page.cursors else None,
    )
    return Connection(edges=edges, page_info=info, count=count)


def page_request(
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
) -> PageRequest:
    """Page arguments, or a top-level BAD_USER_INPUT error (e.g. a page above 100)."""
    try:
        return PageRequest.of(first, after, last, before)
    except PageRequestError as exc:
        raise bad_user_input(str(exc)) from None
