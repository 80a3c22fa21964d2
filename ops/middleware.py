"""Pure ASGI middleware around every HTTP request: request id, access log, metrics.

It wraps ``send`` only to read the status and add ``X-Request-ID``; the body
passes through untouched, so streaming responses stay streaming.
"""
from __future__ import annotations

import logging
import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ops import metrics
from ops.request_info import RequestInfo, current_request, request_id_from

access_log = logging.getLogger("promo.access")

_HEADER = b"x-request-id"


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key == name:
            return value.decode("latin-1")
    return None


class RequestMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        info = RequestInfo(request_id_from(_header(scope, _HEADER)))
        token = current_request.set(info)
        started = time.perf_counter()
        status = 500  # what the client sees if the app fails before starting a response

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", ()), (_HEADER, info.request_id.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            elapsed = time.perf_counter() - started
            _record(scope, info, status, elapsed)
            current_request.reset(token)


def _record(scope: Scope, info: RequestInfo, status: int, elapsed: float) -> None:
    path: str = scope["path"]
    route = metrics.route_label(path)
    metrics.HTTP_REQUESTS.labels(route, str(status)).inc()
    fields: dict[str, Any] = {
        "method": scope["method"],
        "path": path,
        "status": status,
        "duration_ms": round(elapsed * 1000, 3),
    }
    if info.graphql:
        operation = metrics.operation_names.label(info.operation)
        kind = info.operation_type or "unknown"
        outcome = "error" if info.graphql_errors or status >= 400 else "ok"
        metrics.GRAPHQL_REQUESTS.labels(operation, kind, outcome).inc()
        metrics.GRAPHQL_LATENCY.labels(operation, kind).observe(elapsed)
        fields.update(operation=info.operation, operation_type=kind, graphql_errors=info.graphql_errors)
    if access_log.isEnabledFor(logging.INFO):
        access_log.info("%s %s %s", scope["method"], path, status, extra={"fields": fields})
