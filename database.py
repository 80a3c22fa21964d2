"""Engines and sessions for SQLite (aiosqlite) and PostgreSQL (asyncpg).

SQLite allows one writer at a time. Writes therefore go through a separate
engine holding a single connection, so concurrent writers queue in the pool
instead of failing with "database is locked", and each write transaction starts
with ``BEGIN IMMEDIATE`` so that a read-then-write never has to upgrade its
lock. Reads use a small pool beside it (WAL lets them run during a write).
On PostgreSQL both roles share one pooled engine.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import event
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy, not the driver, decide when transactions begin.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()
    # SQLite's own lower() folds ASCII letters only: "ÉTÉ" would not match a search for "été",
    # as it does on PostgreSQL. Python's str.lower() folds every script.
    dbapi_connection.create_function("lower", 1, _unicode_lower, deterministic=True)


def _unicode_lower(value: object) -> object:
    return value.lower() if isinstance(value, str) else value


def _begin_immediate(conn: Connection) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def _begin_deferred(conn: Connection) -> None:
    conn.exec_driver_sql("BEGIN")


class Database:
    def __init__(self, url: str) -> None:
        self.url = make_url(url)
        self.is_sqlite = self.url.get_backend_name() == "sqlite"
        if self.is_sqlite:
            self.read_engine = create_async_engine(url, pool_size=4, max_overflow=0)
            self.write_engine = create_async_engine(
                url, pool_size=1, max_overflow=0, pool_timeout=60
            )
            for engine, begin in ((self.read_engine, _begin_deferred), (self.write_engine, _begin_immediate)):
                event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
                event.listen(engine.sync_engine, "begin", begin)
        else:
            self.read_engine = self.write_engine = create_async_engine(
                url, pool_size=10, max_overflow=10, pool_pre_ping=True
            )
        self.read_session = async_sessionmaker(self.read_engine, expire_on_commit=False)
        self.write_session = async_sessionmaker(self.write_engine, expire_on_commit=False)

    @property
    def engines(self) -> tuple[AsyncEngine, ...]:
        if self.read_engine is self.write_engine:
            return (self.read_engine,)
        return (self.read_engine, self.write_engine)

    async def migrate(self) -> None:
        """Bring the schema to the latest migration (safe to call from several processes)."""
        async with self.write_engine.begin() as conn:
            if not self.is_sqlite:
                # Serialise concurrent start-ups of several workers.
                await conn.exec_driver_sql("SELECT pg_advisory_xact_lock(7410001)")
            await conn.run_sync(_upgrade_to_head)

    async def ping(self) -> None:
        async with self.read_engine.connect() as conn:
            await conn.exec_driver_sql("SELECT 1")

    async def dispose(self) -> None:
        for engine in self.engines:
            await engine.dispose()


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def _upgrade_to_head(connection: Connection) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


