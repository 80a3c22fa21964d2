"""Fixtures: a migrated database (SQLite by default, PostgreSQL when
``PROMO_TEST_DATABASE_URL`` says so), emptied before each test, and an ``api``
that talks to the app through its GraphQL HTTP endpoint."""
from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager
from sqlalchemy import text

from database import Database
from models import Base
from server import create_app
from settings import Settings
from tests.api import Api

SECRET = "test-secret-0123456789abcdef-0123456789"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url = os.environ.get("PROMO_TEST_DATABASE_URL")
    if url is None:
        url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('db') / 'promo.db'}"
    elif url.startswith("postgresql"):
        asyncio.run(_reset_postgres(url))
    asyncio.run(_migrate(url))
    yield url


async def _reset_postgres(url: str) -> None:
    db = Database(url)
    async with db.write_engine.begin() as conn:
        await conn.execute(text("DROP SCHEMA public CASCADE"))
        await conn.execute(text("CREATE SCHEMA public"))
    await db.dispose()


async def _migrate(url: str) -> None:
    db = Database(url)
    await db.migrate()
    await db.dispose()


async def _empty_tables(db: Database) -> None:
    async with db.write_engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            if table.name == "marketplace_modules":
                await conn.execute(table.update().values(installed_at=None, installed_by=None, installation_requested_at=None))
            else:
                await conn.execute(table.delete())


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, jwt_secret=SECRET)


@pytest.fixture
async def db(settings: Settings) -> AsyncIterator[Database]:
    database = Database(settings.database_url)
    await _empty_tables(database)
    yield database
    await database.dispose()


@pytest.fixture
async def api(settings: Settings, db: Database) -> AsyncIterator[Api]:
    app = create_app(settings)
    async with LifespanManager(app) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield Api(client, SECRET, app.state.services)


@pytest.fixture
def project_root() -> Path:
    return Path(__file__).resolve().parent.parent
