"""Prometheus metrics, all defined here so that every module increments the same objects.

Served at ``/metrics`` in the text format. One process, one set of figures:
with several server processes, scrape each (or see docs/first-ten-minutes.md).
"""
from __future__ import annotations

import re

from prometheus_client import CONTENT_TYPE_LATEST, Counter, Histogram, disable_created_metrics, generate_latest
from starlette.requests import Request
from starlette.responses import Response

# The *_created series (when each counter was made) only double the output.
disable_created_metrics()

# Latencies of this API sit in the milliseconds; the default buckets start at 5 ms.
_LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

GRAPHQL_REQUESTS = Counter(
    "promo_graphql_requests",
    "GraphQL requests over HTTP, by operation name and type; outcome is 'error' when the "
    "response has top-level errors.",
    ["operation", "operation_type", "outcome"],
)
GRAPHQL_LATENCY = Histogram(
    "promo_graphql_request_duration_seconds",
    "Time from the request's arrival to the end of its response, by GraphQL operation.",
    ["operation", "operation_type"],
    buckets=_LATENCY_BUCKETS,
)
HTTP_REQUESTS = Counter(
    "promo_http_requests",
    "HTTP requests by route and status code.",
    ["route", "status"],
)
REDEMPTIONS = Counter(
    "promo_code_redemptions",
    "Promo code redemptions committed (increment after the purchase's transaction commits).",
)

ANONYMOUS = "anonymous"
OTHER = "other"
MAX_OPERATION_NAMES = 200
_NAME = re.compile(r"^[_A-Za-z][_0-9A-Za-z]{0,63}$")
_KNOWN_ROUTES = ("/graphql", "/healthz", "/readyz", "/metrics")


class OperationNames:
    """Bounds the label values that callers choose: a flood of names must not grow memory."""

    def __init__(self, limit: int = MAX_OPERATION_NAMES) -> None:
        self._limit = limit
        self._seen: set[str] = set()

    def label(self, name: str | None) -> str:
        if not name:
            return ANONYMOUS
        if name in self._seen:
            return name
        if not _NAME.match(name) or len(self._seen) >= self._limit:
            return OTHER
        self._seen.add(name)
        return name


operation_names = OperationNames()


def route_label(path: str) -> str:
    """A bounded label for a path: a known route, the GraphiQL assets, or 'other'."""
    if path in _KNOWN_ROUTES:
        return path
    if path.startswith("/graphiql/"):
        return "/graphiql/*"
    return OTHER


async def metrics_endpoint(request: Request) -> Response:
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
