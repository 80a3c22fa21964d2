"""``/readyz``: ready to take traffic when the database answers and its schema is at the latest migration.

``/healthz`` (server.py) only says the database is reachable; a load balancer
should route to an instance once ``/readyz`` answers 200.
"""
from __future__ import annotations

import logging
from functools import lru_cache

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from database import Database, alembic_config

logger = logging.getLogger("promo.health")


@lru_cache(maxsize=1)
def migration_heads() -> frozenset[str]:
    """The newest revision(s) in migrations/versions (read once: they do not change while running)."""
    return frozenset(ScriptDirectory.from_config(alembic_config()).get_heads())


def _applied(connection: Connection) -> frozenset[str]:
    return frozenset(MigrationContext.configure(connection).get_current_heads())


async def applied_revisions(db: Database) -> frozenset[str]:
    async with db.read_engine.connect() as conn:
        return await conn.run_sync(_applied)


async def readyz(request: Request) -> Response:
    db: Database = request.app.state.services.db
    heads = migration_heads()
    try:
        applied = await applied_revisions(db)
    except Exception as exc:  # noqa: BLE001 - any failure means "not ready"
        logger.warning("readiness check failed: %s", exc)
        return JSONResponse({"status": "unavailable", "database": "unreachable"}, status_code=503)
    body = {"database": "ok", "migrations": {"applied": sorted(applied), "head": sorted(heads)}}
    if applied != heads:
        return JSONResponse({"status": "migrations pending", **body}, status_code=503)
    return JSONResponse({"status": "ready", **body})
