"""Per-request DataLoaders: each batches one kind of nested lookup into one SQL statement."""
from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, func, select
from sqlalchemy.sql.elements import ColumnElement
from strawberry.dataloader import DataLoader

from domain.checkout_store import purchases_with_details, redemptions_with_challenge
from domain.email_delivery import EmailStatus
from domain.email_outbox import counts_by_batch
from domain.notification_queries import published_batches
from domain.paging import Page, PageRequest, SortKey, fetch_pages, group_by
from resolvers.statistics_loaders import StatisticsLoaders
from models import ChallengePurchase, Client, ClientGroup, ClientGroupMember, NotificationBatch, PromoCode, PromoCodeEvent, Redemption

if TYPE_CHECKING:
    from resolvers.context import Context

class Loaders:
    def __init__(self, context: Context) -> None:
        self._context = context
        self.groups_of_client = self._loader(self._groups_of_client)
        self.client_count_of_group = self._loader(self._client_count_of_group)
        self.events_of_code = self._loader(self._events_of_code)
        self.clients_of_group: DataLoader[tuple[int, PageRequest], Page[Client]] = DataLoader(
            load_fn=self._clients_of_group
        )
        self.batches_of_code = self._loader(self._batches_of_code)
        self.email_counts_of_batch = self._loader(self._email_counts_of_batch)
        self.promo_code_by_id = self._loader(self._promo_code_by_id)
        self.client_by_id = self._loader(self._client_by_id)
        self.purchase_by_id = self._loader(self._purchase_by_id)
        self.statistics = StatisticsLoaders(context)
        self.redemptions_of_code: DataLoader[tuple[int, PageRequest], Page[Redemption]] = DataLoader(
            load_fn=self._redemptions_of_code
        )

    @staticmethod
    def _loader(load: Callable[[Sequence[int]], Awaitable[list[Any]]]) -> DataLoader[int, Any]:
        return DataLoader(load_fn=load)

    async def _rows(self, statement: Any) -> list[Any]:
        async with self._context.reading() as session:
            return list((await session.execute(statement)).all())

    async def _pages(
        self,
        keys: Sequence[tuple[Any, PageRequest]],
        statement: Select[Any],
        parent: ColumnElement[Any],
        sort: SortKey,
        key_of: Callable[[Any], Sequence[Any]],
    ) -> list[Page[Any]]:
        """Pages keyed by (parent, page request): one statement per distinct page request."""
        pages: dict[tuple[Any, PageRequest], Page[Any]] = {}
        parents_by_request = group_by((request, parent_key) for parent_key, request in keys)
        async with self._context.reading() as session:
            for request, parents in parents_by_request.items():
                found = await fetch_pages(session, statement, parent, parents, sort, request, key_of)
                pages.update(((p, request), page) for p, page in found.items())
        return [pages[key] for key in keys]

    async def _clients_of_group(self, keys: Sequence[tuple[int, PageRequest]]) -> list[Page[Client]]:
        members = select(Client).join(ClientGroupMember, ClientGroupMember.client_id == Client.id)
        return await self._pages(keys, members, ClientGroupMember.group_id, SortKey((Client.id,)), lambda c: (c.id,))

    async def _redemptions_of_code(self, keys: Sequence[tuple[int, PageRequest]]) -> list[Page[Redemption]]:
        newest_first = SortKey((Redemption.redeemed_at, Redemption.id), descending=True)
        return await self._pages(
            keys, redemptions_with_challenge(), Redemption.promo_code_id, newest_first, lambda r: (r.redeemed_at, r.id)
        )

    async def _groups_of_client(self, client_ids: Sequence[int]) -> list[list[ClientGroup]]:
        rows = await self._rows(
            select(ClientGroupMember.client_id, ClientGroup)
            .join(ClientGroup, ClientGroup.id == ClientGroupMember.group_id)
            .where(ClientGroupMember.client_id.in_(client_ids))
            .order_by(ClientGroup.name)
        )
        grouped = group_by((r[0], r[1]) for r in rows)
        return [grouped.get(i, []) for i in client_ids]

    async def _client_count_of_group(self, group_ids: Sequence[int]) -> list[int]:
        rows = await self._rows(
            select(ClientGroupMember.group_id, func.count())
            .where(ClientGroupMember.group_id.in_(group_ids))
            .group_by(ClientGroupMember.group_id)
        )
        counts = dict((r[0], r[1]) for r in rows)
        return [counts.get(i, 0) for i in group_ids]

    async def _events_of_code(self, code_ids: Sequence[int]) -> list[list[PromoCodeEvent]]:
        rows = await self._rows(
            select(PromoCodeEvent.promo_code_id, PromoCodeEvent)
            .where(PromoCodeEvent.promo_code_id.in_(code_ids))
            .order_by(PromoCodeEvent.occurred_at, PromoCodeEvent.id)
        )
        grouped = group_by((r[0], r[1]) for r in rows)
        return [grouped.get(i, []) for i in code_ids]

    async def _batches_of_code(self, code_ids: Sequence[int]) -> list[list[NotificationBatch]]:
        async with self._context.reading() as session:
            rows = (await session.scalars(published_batches(code_ids))).all()
        grouped = group_by((r.promo_code_id, r) for r in rows)
        return [grouped.get(i, []) for i in code_ids]

    async def _email_counts_of_batch(self, batch_ids: Sequence[int]) -> list[dict[EmailStatus, int]]:
        async with self._context.reading() as session:
            counts = await counts_by_batch(session, batch_ids)
        return [counts.get(i, {}) for i in batch_ids]

    async def _client_by_id(self, client_ids: Sequence[int]) -> list[Client]:
        async with self._context.reading() as session:
            found = {c.id: c for c in await session.scalars(select(Client).where(Client.id.in_(client_ids)))}
        return [found[i] for i in client_ids]

    async def _purchase_by_id(self, purchase_ids: Sequence[int]) -> list[ChallengePurchase]:
        statement = purchases_with_details().where(ChallengePurchase.id.in_(purchase_ids))
        async with self._context.reading() as session:
            found = {p.id: p for p in (await session.scalars(statement)).unique()}
        return [found[i] for i in purchase_ids]

    async def _promo_code_by_id(self, code_ids: Sequence[int]) -> list[PromoCode | None]:
        """Deleted codes included: callers decide what a deleted code shows."""
        async with self._context.reading() as session:
            rows = {r.id: r for r in (await session.scalars(select(PromoCode).where(PromoCode.id.in_(code_ids)))).all()}
        return [rows.get(i) for i in code_ids]
