"""DataLoaders behind a promo code's statistics and client list (one statement per batch each)."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.dataloader import DataLoader

from domain import promo_code_clients as rows
from domain.checkout_store import redemptions_with_challenge
from domain.paging import Page, PageRequest, SortKey, decode_cursor, encode_cursor, group_by
from domain.statistics import CodeStatistics, statistics_of
from models import Client, Redemption

if TYPE_CHECKING:
    from resolvers.context import Context

CLIENT_CURSOR = SortKey((Client.id,))


@dataclass(frozen=True, slots=True)
class ClientRowsKey:
    code_id: int
    status: rows.ClientStatus | None
    request: PageRequest
    with_redemptions: bool  # whether the query asks for the rows' redemptions


@dataclass(frozen=True, slots=True)
class LoadedClientRow:
    row: rows.ClientRow
    redemptions: list[Redemption]  # oldest first; empty unless the key asked for them


class StatisticsLoaders:
    def __init__(self, context: Context) -> None:
        self._context = context
        self.statistics = DataLoader(load_fn=self._statistics)
        self.client_rows = DataLoader(load_fn=self._client_rows)
        self.client_row_count = DataLoader(load_fn=self._client_row_count)

    async def _statistics(self, code_ids: Sequence[int]) -> list[CodeStatistics]:
        async with self._context.reading() as session:
            figures = await statistics_of(session, code_ids)
        return [figures[c] for c in code_ids]

    async def _client_rows(self, keys: Sequence[ClientRowsKey]) -> list[Page[LoadedClientRow]]:
        """Pages of client rows, with their clients and (if asked) redemptions, for every code at once.

        Two statements per distinct (status, page request), and one for the redemptions
        of all the rows: the rows' fields are then plain values, not per-row loads.
        """
        pages: dict[ClientRowsKey, Page[LoadedClientRow]] = {}
        found: list[tuple[ClientRowsKey, list[rows.ClientRow]]] = []
        async with self._context.reading() as session:
            for status, request in {(key.status, key.request) for key in keys}:
                batch = [key for key in keys if (key.status, key.request) == (status, request)]
                after = None if request.cursor is None else decode_cursor(request.cursor, CLIENT_CURSOR)[0]
                loaded = await rows.load_rows(session, sorted({k.code_id for k in batch}), status, request.size + 1, after)
                by_code = group_by((r.promo_code_id, r) for r in loaded)
                found.extend((key, by_code.get(key.code_id, [])) for key in batch)
            wanted = [(r.promo_code_id, r.client_id) for key, items in found if key.with_redemptions for r in items]
            redemptions = await _redemptions(session, wanted) if wanted else {}
        for key, items in found:
            more = len(items) > key.request.size
            items = items[: key.request.size]
            loaded_rows = [LoadedClientRow(r, redemptions.get((r.promo_code_id, r.client_id), [])) for r in items]
            cursors = [encode_cursor([r.client_id], CLIENT_CURSOR) for r in items]
            pages[key] = Page(loaded_rows, cursors, more, key.request.cursor is not None)
        return [pages[key] for key in keys]

    async def _client_row_count(self, keys: Sequence[tuple[int, rows.ClientStatus | None]]) -> list[int]:
        counts: dict[tuple[int, rows.ClientStatus | None], int] = {}
        async with self._context.reading() as session:
            for status in {s for _, s in keys}:
                found = await rows.count_rows(session, sorted({c for c, s in keys if s == status}), status)
                counts.update({(code, status): n for code, n in found.items()})
        return [counts[key] for key in keys]



async def _redemptions(session: AsyncSession, pairs: Sequence[tuple[int, int]]) -> dict[tuple[int, int], list[Redemption]]:
    """Each (code, client) row's redemptions, oldest first, with what they bought."""
    statement = (
        redemptions_with_challenge()
        .where(
            Redemption.promo_code_id.in_({code for code, _ in pairs}),
            Redemption.client_id.in_({client for _, client in pairs}),
        )
        .order_by(Redemption.redeemed_at, Redemption.id)
    )
    grouped: dict[tuple[int, int], list[Redemption]] = {pair: [] for pair in pairs}
    for redemption in (await session.scalars(statement)).unique():
        pair = (redemption.promo_code_id, redemption.client_id)
        if pair in grouped:
            grouped[pair].append(redemption)
    return grouped
