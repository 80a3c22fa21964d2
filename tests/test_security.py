"""HTTP hardening: body cap, security headers, CORS and WebSocket origins for the configured origins only."""
import httpx
import pytest
from asgi_lifespan import LifespanManager
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from server import create_app
from settings import Settings
from tests.conftest import SECRET
from tests.live_server import live_server


async def test_oversized_body_gets_413(api):
    big = b'{"query": "{ viewer { subject } }", "pad": "' + b"x" * (1024 * 1024) + b'"}'
    response = await api.client.post("/graphql", content=big, headers={"Content-Type": "application/json"})
    assert response.status_code == 413
    assert response.headers["x-content-type-options"] == "nosniff" and response.headers["x-frame-options"] == "DENY"


async def test_oversized_streamed_body_gets_413(api):
    async def chunks():
        for _ in range(20):
            yield b"x" * 65536

    response = await api.client.post("/graphql", content=chunks(), headers={"Content-Type": "application/json"})
    assert response.status_code == 413


async def test_responses_carry_security_headers(api):
    response = await api.client.get("/healthz")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "no-referrer"


@pytest.fixture
async def spa_client(database_url, db):
    settings = Settings(database_url=database_url, jwt_secret=SECRET, cors_origins="https://admin.broker.example/, https://portal.broker.example")
    app = create_app(settings)
    async with LifespanManager(app) as manager:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=manager.app), base_url="http://api") as client:
            yield client


def preflight(origin):
    return {"Origin": origin, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization,content-type"}


async def test_cors_allows_the_configured_spa_origins(spa_client):
    response = await spa_client.options("/graphql", headers=preflight("https://admin.broker.example"))
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "https://admin.broker.example"
    assert "authorization" in response.headers["access-control-allow-headers"].lower()


async def test_cors_refuses_other_origins(spa_client):
    response = await spa_client.options("/graphql", headers=preflight("https://evil.example"))
    assert response.status_code == 400
    assert "access-control-allow-origin" not in response.headers
    simple = await spa_client.post("/graphql", json={"query": "{ __typename }"}, headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in simple.headers



@pytest.fixture(scope="module")
def spa_server(database_url):
    with live_server(database_url, SECRET, workers=1, env={"PROMO_CORS_ORIGINS": "https://admin.broker.example"}) as base:
        yield base.replace("http", "ws") + "/graphql"


async def handshake(url: str, origin: str | None) -> str:
    """Opens a graphql-transport-ws socket as a page on ``origin`` would; "accepted" or "refused"."""
    try:
        async with connect(url, subprotocols=["graphql-transport-ws"], origin=origin):
            return "accepted"
    except InvalidStatus as refusal:
        assert refusal.response.status_code == 403
        return "refused"


@pytest.mark.parametrize(
    ("origin", "outcome"),
    [
        ("https://admin.broker.example", "accepted"),
        ("https://evil.example", "refused"),
        ("same", "accepted"),
        (None, "accepted"),  # not a browser: no ambient credentials to abuse
    ],
)
async def test_websocket_handshakes_from_other_sites_are_refused(spa_server, origin, outcome):
    if origin == "same":
        origin = spa_server.removesuffix("/graphql").replace("ws", "http", 1)
    assert await handshake(spa_server, origin) == outcome
