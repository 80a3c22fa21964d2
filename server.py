"""The Starlette application: ``uvicorn server:app``.

Routes: ``/graphql`` (GraphQL over HTTP and WebSocket, GraphiQL for browsers,
its files under ``/graphiql/``), ``/healthz``, ``/readyz`` and ``/metrics``.
Start-up reads the ``PROMO_*`` settings, migrates the database to the latest
schema and starts the e-mail outbox worker. Every HTTP request gets a request
id, a JSON access log line and metrics (ops/).
"""
from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Any

from cross_web import AsyncHTTPRequestAdapter, HTTPException  # Strawberry's HTTP layer
import orjson
from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.types import ExecutionResult
from strawberry.exceptions import ConnectionRejectionError
from strawberry.types.unset import UNSET, UnsetType

from broadcast import Broadcast
from database import Database
from ide.page import graphiql_response, static_routes
from mail.startup import start_background
from mail.worker import WorkerOptions
from ops.health import readyz
from ops.json_logs import configure_logging
from ops.metrics import metrics_endpoint
from ops.middleware import RequestMiddleware
from resolvers.context import AppServices, Context
from resolvers.guards import require_token
from schema import schema
from schema.errors import ApiError
from security import NUL_MESSAGE, BodySizeLimit, SecurityHeaders, has_nul
from settings import Settings, load_settings
from suggestions import has_valid_token, hide_suggestions

logger = logging.getLogger("promo.server")


class PromoGraphQL(GraphQL[Context, None]):
    async def get_context(self, request: Request | WebSocket, response: Response | WebSocket) -> Context:
        services: AppServices = request.app.state.services
        if isinstance(request, WebSocket):
            return WebSocketContext(services, request.headers.get("authorization"), long_lived=True)
        context = Context(services, request.headers.get("authorization"))
        if isinstance(response, Response):
            response.background = BackgroundTask(context.close)
        return context

    async def on_ws_connect(self, context: Context) -> UnsetType | dict[str, object] | None:
        """A WebSocket needs a valid token, from ``connection_init`` or else its handshake: 4403 otherwise."""
        assert isinstance(context, WebSocketContext)
        params = context.connection_params if isinstance(context.connection_params, dict) else {}
        from_payload = params.get("Authorization") or params.get("authorization")
        if from_payload is not None:
            context.authorize(str(from_payload))
        try:
            await require_token(context)
        except ApiError:
            raise ConnectionRejectionError() from None
        return UNSET

    async def process_result(self, request: Request, result: ExecutionResult) -> GraphQLHTTPResponse:
        response = await super().process_result(request, result)
        if result.errors and not has_valid_token(request.headers.get("authorization"), request.app.state.services.settings.jwt_secret):
            return hide_suggestions(response)  # type: ignore[return-value]
        return response

    def encode_json(self, data: object) -> bytes:  # type: ignore[override]
        return orjson.dumps(data)

    def decode_json(self, data: str | bytes) -> object:
        return orjson.loads(data)

    async def parse_http_body(self, request: AsyncHTTPRequestAdapter) -> GraphQLRequestData | list[GraphQLRequestData]:
        if request.method == "POST" and "json" in (request.content_type or ""):
            # Strawberry takes any JSON value for a body; anything but an object (or a list: a
            # batch, which it refuses) would fail inside it with a 500.
            if (await request.get_body()).lstrip()[:1] not in (b"{", b"["):
                raise HTTPException(400, "The request body must be a JSON object.")
        parsed = await super().parse_http_body(request)
        for item in parsed if isinstance(parsed, list) else [parsed]:
            if has_nul(item.variables):
                raise HTTPException(400, NUL_MESSAGE)
        return parsed

    async def render_graphql_ide(self, request: Request) -> Response:
        return graphiql_response()


class WebSocketContext(Context):
    connection_params: object = None  # set by Strawberry from the connection_init payload


async def healthz(request: Request) -> Response:
    services: AppServices = request.app.state.services
    try:
        await services.db.ping()
    except Exception as exc:  # noqa: BLE001 - any failure means "not healthy"
        logger.warning("health check failed: %s", exc)
        return JSONResponse({"status": "unavailable"}, status_code=503)
    return JSONResponse({"status": "ok"})


def create_app(settings: Settings | None = None, *, mail_options: WorkerOptions | None = None) -> Starlette:
    """The app; settings default to the ``PROMO_*`` environment."""
    configure_logging()
    config = settings or load_settings()

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[dict[str, Any]]:
        db = Database(config.database_url)
        await db.migrate()
        mail_worker = await start_background(config, db, mail_options)
        broadcast = Broadcast(db)
        await broadcast.start()
        app.state.services = AppServices(settings=config, db=db, broadcast=broadcast)
        try:
            yield {}
        finally:
            if mail_worker is not None:
                await mail_worker.stop()
            await broadcast.stop()
            await db.dispose()

    graphql = PromoGraphQL(schema, allowed_origins=config.allowed_origins)
    return Starlette(
        routes=[
            Route("/graphql", graphql, methods=["GET", "POST"]),
            WebSocketRoute("/graphql", graphql),
            Route("/healthz", healthz),
            Route("/readyz", readyz),
            Route("/metrics", metrics_endpoint),
            *static_routes(),
        ],
        middleware=[
            Middleware(RequestMiddleware),  # outermost: it logs and counts the 413s too
            Middleware(SecurityHeaders),  # outside the body cap, so that a 413 carries them too
            Middleware(BodySizeLimit),
            Middleware(
                CORSMiddleware,
                allow_origins=config.allowed_origins,
                allow_methods=["GET", "POST"],
                allow_headers=["Authorization", "Content-Type", "X-Request-ID"],
                max_age=600,
            ),
        ],
        lifespan=lifespan,
    )


def __getattr__(name: str) -> Starlette:
    # `uvicorn server:app` builds the app on first access, so that importing this
    # module (tests, tools) needs no PROMO_* environment.
    if name == "app":
        return create_app()
    raise AttributeError(name)
