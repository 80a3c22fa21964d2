"""The Starlette application: ``uvicorn server:app``.

Routes: ``/graphql`` (GraphQL over HTTP and WebSocket, GraphiQL for browsers)
and ``/healthz``. Start-up reads the ``PROMO_*`` settings and migrates the
database to the latest schema.
"""
from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Any

import orjson
from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL

from database import Database
from resolvers.context import AppServices, Context
from schema import schema
from settings import Settings, load_settings

logger = logging.getLogger("promo.server")


class PromoGraphQL(GraphQL[Context, None]):
    async def get_context(self, request: Request | WebSocket, response: Response | WebSocket) -> Context:
        services: AppServices = request.app.state.services
        context = Context(services, request.headers.get("authorization"))
        if isinstance(response, Response):
            response.background = BackgroundTask(context.close)
        return context

    def encode_json(self, data: object) -> bytes:  # type: ignore[override]
        return orjson.dumps(data)

    def decode_json(self, data: str | bytes) -> object:
        return orjson.loads(data)


async def healthz(request: Request) -> Response:
    services: AppServices = request.app.state.services
    try:
        await services.db.ping()
    except Exception as exc:  # noqa: BLE001 - any failure means "not healthy"
        logger.warning("health check failed: %s", exc)
        return JSONResponse({"status": "unavailable"}, status_code=503)
    return JSONResponse({"status": "ok"})


def create_app(settings: Settings | None = None) -> Starlette:
    """The app; settings default to the environment, read when the app starts."""

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[dict[str, Any]]:
        config = settings or load_settings()
        db = Database(config.database_url)
        await db.migrate()
        app.state.services = AppServices(settings=config, db=db)
        try:
            yield {}
        finally:
            await db.dispose()

    graphql = PromoGraphQL(schema)
    return Starlette(
        routes=[
            Route("/graphql", graphql, methods=["GET", "POST"]),
            WebSocketRoute("/graphql", graphql),
            Route("/healthz", healthz),
        ],
        lifespan=lifespan,
    )


app = create_app()
