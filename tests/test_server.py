"""Running: the routes, migrations at start-up, health."""
import httpx
import pytest
from asgi_lifespan import LifespanManager
from sqlalchemy import inspect

from database import Database
from models import Base
from server import create_app
from settings import Settings
from tests.conftest import SECRET


async def test_start_up_migrates_an_empty_database(tmp_path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'fresh.db'}"
    app = create_app(Settings(database_url=url, jwt_secret=SECRET))
    async with LifespanManager(app):
        pass
    db = Database(url)
    async with db.read_engine.connect() as conn:
        tables = set(await conn.run_sync(lambda sync: inspect(sync).get_table_names()))
    await db.dispose()
    assert set(Base.metadata.tables) | {"alembic_version"} <= tables


async def test_healthz_answers_200_when_the_database_answers(api):
    response = await api.client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_healthz_answers_503_when_the_database_is_gone(tmp_path):
    app = create_app(Settings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'h.db'}", jwt_secret=SECRET))
    async with LifespanManager(app) as manager:
        services = app.state.services
        await services.db.dispose()
        services.db = Database(f"sqlite+aiosqlite:///{tmp_path / 'missing' / 'nowhere.db'}")
        try:
            async with httpx.AsyncClient(transport=httpx.ASGITransport(app=manager.app), base_url="http://t") as client:
                response = await client.get("/healthz")
        finally:
            await services.db.dispose()
    assert response.status_code == 503


async def test_graphiql_for_browsers(api):
    response = await api.client.get("/graphql", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert "graphiql" in response.text.lower()


async def test_queries_over_get(api):
    response = await api.client.get(
        "/graphql", params={"query": "{ viewer { subject } }"}, headers={"Authorization": f"Bearer {api.admin}"}
    )
    assert response.status_code == 200
    assert response.json() == {"data": {"viewer": {"subject": "admin@broker"}}}


async def test_mutations_over_get_are_refused(api):
    response = await api.client.get(
        "/graphql", params={"query": 'mutation { installModule(key: "x") { errors { code } } }'},
        headers={"Authorization": f"Bearer {api.admin}"},
    )
    assert 400 <= response.status_code < 500


async def test_malformed_json_is_a_client_error(api):
    response = await api.client.post("/graphql", content=b"{not json", headers={"Content-Type": "application/json"})
    assert 400 <= response.status_code < 500


async def test_unknown_fields_are_validation_errors_not_server_errors(api):
    body = await api.post("{ nothing }")
    assert body["errors"][0]["message"].startswith("Cannot query field")


@pytest.mark.parametrize("body", [b'"query"', b"null", b"1", b"true"])
async def test_a_json_body_that_is_not_an_object_is_a_400(api, body):
    response = await api.client.post("/graphql", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 400 and "JSON object" in response.text


async def test_nul_characters_are_refused_at_the_door(api):
    # PostgreSQL cannot store U+0000 in text: refused before any field sees it, on either engine.
    headers = {"Authorization": f"Bearer {api.admin}"}
    in_variables = "mutation($n: String!) { createClientGroup(input: {name: $n}) { errors { code } } }"
    response = await api.client.post("/graphql", json={"query": in_variables, "variables": {"n": [[["a\x00b"]]]}}, headers=headers)
    assert response.status_code == 400 and "NUL" in response.text
    for literal in ('{ promoCodes(filter: {search: "a\\u0000"}) { totalCount } }', '{ promoCode(code: "A\\u{0}") { id } }'):
        body = await api.post(literal)
        assert [e["message"] for e in body["errors"]] == ["Text may not contain NUL characters (U+0000)."], literal


async def test_what_only_looks_like_a_nul_is_let_through(api):
    await api.install_module()
    deep = b'{"query": "{ __typename }", "variables": {"x": ' + b"[" * 1_000 + b"]" * 1_000 + b"}}"
    response = await api.client.post("/graphql", content=deep, headers={"Content-Type": "application/json"})
    assert response.status_code == 200  # deep variables: the NUL check reaches no recursion limit
    for harmless in (
        '{ promoCodes(filter: {search: "a\\\\u0000b"}) { totalCount } }',  # an escaped backslash, then u0000
        '{ promoCodes(filter: {search: """C:\\u0000"""}) { totalCount } }',  # block strings keep escapes as text
        '{ promoCodes { totalCount } } # \\u0000 in a comment',
    ):
        assert "errors" not in await api.post(harmless), harmless


@pytest.mark.parametrize("method", ["GET", "POST"])
async def test_a_subscription_over_http_is_a_400_it_is_served_over_websocket(api, method):
    query = "subscription { myNotificationReceived { id } }"
    token = api.client_token("C-404")
    headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
    if method == "GET":
        response = await api.client.get("/graphql", params={"query": query}, headers=headers)
    else:
        response = await api.client.post("/graphql", json={"query": query}, headers=headers)
    assert response.status_code == 400 and "subscriptions are not allowed" in response.text.lower()


async def test_get_with_null_variables_and_extensions_runs(api):
    for params in ({"variables": "null"}, {"extensions": "null"}):
        response = await api.client.get("/graphql", params={"query": "{ __typename }", **params}, headers={"Accept": "application/json"})
        assert response.status_code == 200 and response.json()["data"] == {"__typename": "Query"}, params
