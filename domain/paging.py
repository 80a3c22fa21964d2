"""Keyset pagination in SQL, with opaque cursors: no list is loaded to be sliced."""
from __future__ import annotations

import base64
import binascii
import json
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, and_, or_, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

T = TypeVar("T")
K = TypeVar("K")
V = TypeVar("V")
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


class PageRequestError(ValueError):
    """Page arguments the caller must change (too large, negative, bad cursor)."""


@dataclass(frozen=True, slots=True)
class PageRequest:
    size: int
    cursor: str | None  # the decoded key is checked against the sort when used
    backward: bool  # ``last``/``before``: the page that ends just before ``cursor``

    @classmethod
    def of(
        cls,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> "PageRequest":
        if first is not None and last is not None:
            raise PageRequestError("Pass either `first` or `last`, not both.")
        for name, value in (("first", first), ("last", last)):
            if value is not None and not 0 <= value <= MAX_PAGE_SIZE:
                raise PageRequestError(f"`{name}` must be between 0 and {MAX_PAGE_SIZE}.")
        if last is not None or (before is not None and first is None):
            return cls(last if last is not None else DEFAULT_PAGE_SIZE, before, True)
        return cls(first if first is not None else DEFAULT_PAGE_SIZE, after, False)


@dataclass(frozen=True, slots=True)
class SortKey:
    """Columns that order rows uniquely (the last one a primary key), all in one direction."""

    columns: Sequence[ColumnElement[Any]]
    descending: bool = False


@dataclass(slots=True)
class Page(Generic[T]):
    items: list[T]
    cursors: list[str]
    has_next: bool
    has_previous: bool


def group_by(rows: Iterable[tuple[K, V]]) -> dict[K, list[V]]:
    """Values by key, in the order they come (rows of many parents, each parent's list)."""
    grouped: dict[K, list[V]] = defaultdict(list)
    for key, value in rows:
        grouped[key].append(value)
    return grouped


INT32 = range(-(2**31), 2**31)  # every key column is an INTEGER (int4 on PostgreSQL)


def _sort_tag(sort: SortKey) -> int:
    """Which sort a cursor belongs to (columns and direction): a cursor of another one is refused."""
    return zlib.crc32((",".join(str(c) for c in sort.columns) + (" desc" if sort.descending else "")).encode())


def encode_cursor(values: Sequence[Any], sort: SortKey) -> str:
    plain = [{"t": v.isoformat()} if isinstance(v, datetime) else v for v in values]
    return base64.urlsafe_b64encode(json.dumps([_sort_tag(sort), *plain], separators=(",", ":")).encode()).decode()


def _checked(value: Any, expected: type) -> Any:
    """``value`` if it is of the column's type and fits its column; ValueError otherwise."""
    if expected is datetime:
        moment = datetime.fromisoformat(value["t"])
        if moment.tzinfo is None:
            raise ValueError
        return moment.astimezone(timezone.utc)  # OverflowError near year 1 or 9999
    if type(value) is not expected or (expected is int and value not in INT32):
        raise ValueError
    if expected is str and ("\x00" in value or any(0xD800 <= ord(c) <= 0xDFFF for c in value)):
        raise ValueError  # NUL and lone surrogates cannot be sent to the database
    return value


def decode_cursor(cursor: str, sort: SortKey) -> list[Any]:
    """The key values in ``cursor``, each checked against the type of its sort column."""
    try:
        plain = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        if not isinstance(plain, list) or len(plain) != len(sort.columns) + 1 or plain[0] != _sort_tag(sort):
            raise ValueError
        return [_checked(value, column.type.python_type) for value, column in zip(plain[1:], sort.columns)]
    except (ValueError, TypeError, KeyError, AttributeError, OverflowError, RecursionError, binascii.Error, UnicodeError):
        raise PageRequestError(f"Invalid cursor: {cursor[:40]!r}.") from None


def _beyond(columns: Sequence[ColumnElement[Any]], values: Sequence[Any], greater: bool) -> ColumnElement[bool]:
    """Rows strictly after ``values`` in (c1, c2, ...) order: c1 > v1 OR (c1 = v1 AND c2 > v2) ..."""
    head, value = columns[0], values[0]
    strictly = head > value if greater else head < value
    if len(columns) == 1:
        return strictly
    return or_(strictly, and_(head == value, _beyond(columns[1:], values[1:], greater)))


def _ordered(statement: Select[Any], sort: SortKey, request: PageRequest) -> tuple[Select[Any], list[Any]]:
    """``statement`` limited to rows past the cursor, and the ORDER BY that walks away from it."""
    forward_desc = sort.descending != request.backward
    if request.cursor is not None:
        values = decode_cursor(request.cursor, sort)
        statement = statement.where(_beyond(sort.columns, values, greater=not forward_desc))
    return statement, [c.desc() if forward_desc else c.asc() for c in sort.columns]


def _page(rows: list[Any], request: PageRequest, sort: SortKey, key_of: Callable[[Any], Sequence[Any]]) -> Page[Any]:
    """A page from up to ``size + 1`` rows fetched in walking order (the extra one says "more")."""
    more = len(rows) > request.size
    rows = rows[: request.size]
    if request.backward:
        rows.reverse()
    has_next, has_previous = (request.cursor is not None, more) if request.backward else (more, request.cursor is not None)
    return Page(rows, [encode_cursor(key_of(r), sort) for r in rows], has_next, has_previous)


async def fetch_page(
    session: AsyncSession,
    statement: Select[Any],
    sort: SortKey,
    request: PageRequest,
    key_of: Callable[[Any], Sequence[Any]],
) -> Page[Any]:
    """Run ``statement`` (an entity SELECT with filters, no ORDER BY or LIMIT) for one page of rows."""
    statement, order = _ordered(statement, sort, request)
    rows = list((await session.execute(statement.order_by(*order).limit(request.size + 1))).scalars())
    return _page(rows, request, sort, key_of)


async def fetch_pages(
    session: AsyncSession,
    statement: Select[Any],
    parent: ColumnElement[Any],
    parents: Sequence[Any],
    sort: SortKey,
    request: PageRequest,
    key_of: Callable[[Any], Sequence[Any]],
) -> dict[Any, Page[Any]]:
    """The same page for each of many parents, in two statements whatever their number.

    The first is a UNION ALL of one ``ORDER BY ... LIMIT`` per parent over
    ``statement``'s filters, so each parent's page is read from an index and stops
    early; the second loads those rows' entities with ``statement``'s options.
    """
    if not parents:
        return {}
    primary_key = sort.columns[-1]
    filtered, order = _ordered(statement, sort, request)
    keys = filtered.with_only_columns(
        parent.label("page_parent"), primary_key.label("page_pk"), maintain_column_froms=True
    )
    per_parent = [
        select(keys.where(parent == p).order_by(*order).limit(request.size + 1).subquery()) for p in parents
    ]
    found = (await session.execute(union_all(*per_parent))).all()
    entities = {}
    if found:
        rows = await session.scalars(statement.where(primary_key.in_({pk for _, pk in found})))
        entities = {getattr(row, primary_key.key): row for row in rows.unique()}
    by_parent: dict[Any, list[Any]] = {p: [] for p in parents}
    for parent_key, pk in found:
        by_parent[parent_key].append(entities[pk])
    return {p: _page(items, request, sort, key_of) for p, items in by_parent.items()}
