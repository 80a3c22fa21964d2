"""DataLoaders behind a promo code's statistics and client list (one statement per batch each)."""
from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from strawberry.dataloader import DataLoader

from domain import promo_code_clients as rows
from domain.checkout_store import redemptions_with_challenge
from domain.paging import Page, PageRequest, decode_cursor, encode_cursor
from domain.statistics import CodeStatistics, statistics_of
from models import Client, Redemption

if TYPE_CHECKING:
    from resolvers.context import Context

ClientRowsKey = tuple[int, rows.ClientStatus | None, PageRequest]
CLIENT_CURSOR = (Client.id,)


class StatisticsLoaders:
    def __init__(self, context: Context) -> None:
        self._context = context
        self.statistics = DataLoader(load_fn=self._statistics)
        self.client_rows = DataLoader(load_fn=self._client_rows)
        self.client_row_count = DataLoader(load_fn=self._client_row_count)
        self.redemptions_of_client_row = DataLoader(load_fn=self._redemptions)

    async def _statistics(self, code_ids: Sequence[int]) -> list[CodeStatistics]:
        async with self._context.reading() as session:
            figures = await statistics_of(session, code_ids)
        return [figures[c] for c in code_ids]

    async def _client_rows(self, keys: Sequence[ClientRowsKey]) -> list[Page[rows.ClientRow]]:
        """Pages of client rows: one key statement per distinct (status, page request), then the rows' details."""
        requests = {(status, request) for _, status, request in keys}
        pages: dict[ClientRowsKey, Page[rows.ClientRow]] = {}
        async with self._context.reading() as session:
            for status, request in requests:
                code_ids = sorted({code for code, s, r in keys if (s, r) == (status, request)})
                after = None if request.cursor is None else decode_cursor(request.cursor, CLIENT_CURSOR)[0]
                found = (await session.execute(rows.page_keys(code_ids, status, request.size + 1, after))).all()
                details = await rows.details(session, [(code, client) for code, client in found])
                for code in code_ids:
                    items = [details[(c, client)] for c, client in found if c == code]
                    more = len(items) > request.size
                    items = items[: request.size]
                    cursors = [encode_cursor([r.client_id]) for r in items]
                    pages[(code, status, request)] = Page(items, cursors, more, request.cursor is not None)
        return [pages[key] for key in keys]

    async def _client_row_count(self, keys: Sequence[tuple[int, rows.ClientStatus | None]]) -> list[int]:
        counts: dict[tuple[int, rows.ClientStatus | None], int] = {}
        async with self._context.reading() as session:
            for status in {s for _, s in keys}:
                found = await rows.count_rows(session, sorted({c for c, s in keys if s == status}), status)
                counts.update({(code, status): n for code, n in found.items()})
        return [counts[key] for key in keys]

    async def _redemptions(self, pairs: Sequence[tuple[int, int]]) -> list[list[Redemption]]:
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
        async with self._context.reading() as session:
            for redemption in (await session.scalars(statement)).unique():
                pair = (redemption.promo_code_id, redemption.client_id)
                if pair in grouped:
                    grouped[pair].append(redemption)
        return [grouped[pair] for pair in pairs]
