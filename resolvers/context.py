"""The per-request context: who is calling, the database session and the DataLoaders."""
from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

import strawberry
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from auth import InvalidToken, Principal, bearer_token, decode_token
from broadcast import Broadcast
from database import Database
from models import Client, MarketplaceModule
from schema.errors import unauthenticated
from settings import Settings

if TYPE_CHECKING:
    from resolvers.loaders import Loaders


class ModuleRegistry:
    """Which marketplace modules are installed, remembered once seen.

    A module is never uninstalled, so a positive answer can be cached for the
    life of the process; until then every check asks the database, so an
    install made by another process is seen at once.
    """

    def __init__(self) -> None:
        self._installed: set[str] = set()

    async def is_installed(self, session: AsyncSession, key: str) -> bool:
        if key in self._installed:
            return True
        installed_at = await session.scalar(
            select(MarketplaceModule.installed_at).where(MarketplaceModule.key == key)
        )
        if installed_at is not None:
            self._installed.add(key)
        return installed_at is not None

    def forget(self) -> None:
        self._installed.clear()


class ClientDirectory:
    """externalId -> client id for client tokens (clients are never deleted, so this never goes stale)."""

    MAX_ENTRIES = 200_000

    def __init__(self) -> None:
        self._ids: dict[str, int] = {}

    def known(self, external_id: str) -> int | None:
        return self._ids.get(external_id)

    async def client_id(self, session: AsyncSession, external_id: str) -> int | None:
        cached = self._ids.get(external_id)
        if cached is not None:
            return cached
        client_id = await session.scalar(select(Client.id).where(Client.external_id == external_id))
        if client_id is not None:
            if len(self._ids) >= self.MAX_ENTRIES:
                self._ids.clear()
            self._ids[external_id] = client_id
        return client_id


@dataclass
class AppServices:
    """What lives as long as the process: settings, database, caches."""

    settings: Settings
    db: Database
    broadcast: Broadcast
    modules: ModuleRegistry = field(default_factory=ModuleRegistry)
    clients: ClientDirectory = field(default_factory=ClientDirectory)


class Context:
    def __init__(self, services: AppServices, authorization: str | None, *, long_lived: bool = False) -> None:
        self.services = services
        self.settings = services.settings
        self._authorization = authorization
        # A WebSocket connection's context lives as long as the connection: it must not
        # hold a pooled connection or a read snapshot between events (see ``reading``).
        self._long_lived = long_lived
        self._principal: Principal | None = None
        self._client_id: int | None = None
        self._session: AsyncSession | None = None
        # graphql-core resolves sibling fields concurrently; one AsyncSession
        # must never run two statements at once.
        self._lock = asyncio.Lock()

    @property
    def principal(self) -> Principal:
        """The caller, or an UNAUTHENTICATED error (decoded once per request)."""
        if self._principal is None:
            try:
                self._principal = decode_token(bearer_token(self._authorization), self.settings.jwt_secret)
            except InvalidToken as exc:
                raise unauthenticated(f"Invalid or missing bearer token: {exc}.") from None
        return self._principal

    async def client_id(self) -> int:
        """The calling client's id; UNAUTHENTICATED when its externalId is unknown."""
        if self._client_id is None:
            # A known client needs no session at all (the common case, on every checkout).
            self._client_id = self.services.clients.known(self.principal.subject)
        if self._client_id is None:
            async with self.reading() as session:
                client_id = await self.services.clients.client_id(session, self.principal.subject)
            if client_id is None:
                raise unauthenticated("The token's client is unknown.")
            self._client_id = client_id
        return self._client_id

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[AsyncSession]:
        """The request's read session, one statement at a time (for a WebSocket, one per use)."""
        async with self._lock:
            if self._long_lived:
                async with self.services.db.read_session() as session:
                    yield session
                return
            if self._session is None:
                self._session = self.services.db.read_session()
            yield self._session

    @asynccontextmanager
    async def writing(self) -> AsyncIterator[AsyncSession]:
        """A write transaction of its own: committed on success, rolled back on any error."""
        # Give the read connection back first: a request holding one connection
        # while it waits for another can starve the pool under load.
        async with self._lock:
            await self.close()
        async with self.services.db.write_session() as session, session.begin():
            yield session
        # Reads after a write must not come from a snapshot taken before it.
        async with self._lock:
            await self.close()

    @asynccontextmanager
    async def writing_core(self) -> AsyncIterator[AsyncConnection]:
        """Like ``writing()``, as a Core connection: for hot paths that need no ORM unit of work."""
        async with self._lock:
            await self.close()
        async with self.services.db.write_engine.begin() as conn:
            yield conn
        async with self._lock:
            await self.close()

    @cached_property
    def loaders(self) -> Loaders:
        from resolvers.loaders import Loaders

        return Loaders(self)

    def forget_loaded(self) -> None:
        """Start each subscription event with empty DataLoader caches, so nothing it shows is stale."""
        self.__dict__.pop("loaders", None)

    def authorize(self, authorization: str | None) -> None:
        """Set the token of a WebSocket connection (from ``connection_init``, else its handshake)."""
        self._authorization = authorization
        self._principal = None
        self._client_id = None

    async def close(self) -> None:
        """Release the read session (called without the lock only once the request is done)."""
        if self._session is not None:
            await self._session.close()
            self._session = None


Info = strawberry.Info[Context, None]
