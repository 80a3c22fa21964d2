"""Running: the routes, migrations at start-up, health."""
import httpx
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
