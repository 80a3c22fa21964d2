"""Request ids, the JSON access log, /metrics and /readyz, through the HTTP endpoints."""
from __future__ import annotations

import io
import json
import logging
import sys

from sqlalchemy import text

from ops.json_logs import JsonFormatter
from ops.metrics import OTHER, OperationNames, route_label
from tests.metrics_reader import sample

VIEWER = "query WhoAmI { viewer { subject } }"


async def test_request_id_is_echoed_when_sensible_and_made_otherwise(api):
    given = await api.client.get("/healthz", headers={"X-Request-ID": "trace-42.a:b"})
    assert given.headers["x-request-id"] == "trace-42.a:b"
    made = await api.client.get("/healthz")
    other = await api.client.get("/healthz")
    assert len(made.headers["x-request-id"]) == 32
    assert made.headers["x-request-id"] != other.headers["x-request-id"]
    odd = await api.client.get("/healthz", headers={"X-Request-ID": "evil\tvalue " + "x" * 200})
    assert odd.headers["x-request-id"] != "evil\tvalue " + "x" * 200
    assert len(odd.headers["x-request-id"]) == 32


async def test_access_log_is_one_json_line_with_request_id_and_operation(api):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    access = logging.getLogger("promo.access")
    access.addHandler(handler)
    try:
        response = await api.client.post(
            "/graphql", json={"query": VIEWER}, headers={"X-Request-ID": "req-1", "Authorization": f"Bearer {api.admin}"}
        )
    finally:
        access.removeHandler(handler)
    assert response.status_code == 200
    entry = json.loads(stream.getvalue().strip())
    assert entry["request_id"] == "req-1"
    assert entry["logger"] == "promo.access" and entry["level"] == "info"
    assert entry["method"] == "POST" and entry["path"] == "/graphql" and entry["status"] == 200
    assert entry["operation"] == "WhoAmI" and entry["operation_type"] == "query"
    assert entry["graphql_errors"] is False and entry["duration_ms"] >= 0
    assert entry["ts"].endswith("+00:00")


async def test_metrics_count_and_time_requests_per_operation(api):
    labels = {"operation": "WhoAmI", "operation_type": "query"}
    ok_before = await sample(api.client, "promo_graphql_requests_total", outcome="ok", **labels)
    error_before = await sample(api.client, "promo_graphql_requests_total", outcome="error", **labels)
    timed_before = await sample(api.client, "promo_graphql_request_duration_seconds_count", **labels)
    await api.data(VIEWER)
    await api.data(VIEWER)
    await api.post(VIEWER, token=None)  # UNAUTHENTICATED: a top-level error
    assert await sample(api.client, "promo_graphql_requests_total", outcome="ok", **labels) == ok_before + 2
    assert await sample(api.client, "promo_graphql_requests_total", outcome="error", **labels) == error_before + 1
    assert await sample(api.client, "promo_graphql_request_duration_seconds_count", **labels) == timed_before + 3


async def test_metrics_label_unnamed_operations_and_mutations(api):
    anonymous = {"operation": "anonymous", "operation_type": "query", "outcome": "ok"}
    mutation = {"operation": "Install", "operation_type": "mutation", "outcome": "ok"}
    anonymous_before = await sample(api.client, "promo_graphql_requests_total", **anonymous)
    mutation_before = await sample(api.client, "promo_graphql_requests_total", **mutation)
    await api.data("{ viewer { subject } }")
    await api.data('mutation Install { installModule(key: "coupons-and-promo-codes") { errors { code } } }')
    assert await sample(api.client, "promo_graphql_requests_total", **anonymous) == anonymous_before + 1
    assert await sample(api.client, "promo_graphql_requests_total", **mutation) == mutation_before + 1


async def test_metrics_count_http_requests_by_route_and_status(api):
    before = await sample(api.client, "promo_http_requests_total", route="other", status="404")
    assert (await api.client.get("/no-such-page")).status_code == 404
    assert await sample(api.client, "promo_http_requests_total", route="other", status="404") == before + 1


async def test_redemption_counter_is_exported(api):
    response = await api.client.get("/metrics")
    assert response.headers["content-type"].startswith("text/plain")
    assert "# TYPE promo_code_redemptions_total counter" in response.text


def test_operation_names_are_bounded():
    names = OperationNames(limit=2)
    assert names.label(None) == "anonymous"
    assert names.label("A") == "A" and names.label("B") == "B"
    assert names.label("C") == OTHER  # over the limit
    assert names.label("A") == "A"  # known names keep their label
    assert OperationNames().label("not a name!") == OTHER
    assert OperationNames().label("x" * 65) == OTHER


def test_route_labels_are_bounded():
    assert route_label("/graphql") == "/graphql"
    assert route_label("/graphiql/vendor/react@18.2.0/react.production.min.js") == "/graphiql/*"
    assert route_label("/wp-admin/" + "x" * 100) == OTHER


async def test_readyz_is_ready_at_head_and_not_when_migrations_are_pending(api, db):
    ready = await api.client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["status"] == "ready"
    head = ready.json()["migrations"]["head"]
    assert ready.json()["migrations"]["applied"] == head
    async with db.write_engine.begin() as conn:
        await conn.execute(text("UPDATE alembic_version SET version_num = 'older'"))
    try:
        pending = await api.client.get("/readyz")
    finally:
        async with db.write_engine.begin() as conn:
            await conn.execute(text("UPDATE alembic_version SET version_num = :head"), {"head": head[0]})
    assert pending.status_code == 503
    assert pending.json()["status"] == "migrations pending"
    assert pending.json()["migrations"]["applied"] == ["older"]
    assert (await api.client.get("/readyz")).status_code == 200


def test_json_formatter_keeps_exceptions_and_fields():
    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.getLogger("t").makeRecord(
            "t", logging.ERROR, __file__, 1, "failed %s", ("here",), sys.exc_info(), extra={"fields": {"n": 3}}
        )
    entry = json.loads(JsonFormatter().format(record))
    assert entry["message"] == "failed here" and entry["level"] == "error" and entry["n"] == 3
    assert "ValueError: boom" in entry["error"]
    assert "request_id" not in entry  # logged outside any request


async def test_metrics_count_requests_that_fail_to_parse(api):
    labels = {"operation": "anonymous", "operation_type": "unknown", "outcome": "error"}
    before = await sample(api.client, "promo_graphql_requests_total", **labels)
    body = await api.post("query Broken { viewer {")
    assert body["errors"][0]["message"].startswith("Syntax Error")
    assert await sample(api.client, "promo_graphql_requests_total", **labels) == before + 1
