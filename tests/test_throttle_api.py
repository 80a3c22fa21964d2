"""Throttling of failed code attempts: per client, in the database, configurable."""
from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timedelta, timezone

import httpx
from asgi_lifespan import LifespanManager
from sqlalchemy import func, select, update

from models import CodeAttemptFailure
from server import create_app
from settings import Settings
from tests.api import Api
from tests.checkout_helpers import apply, error_codes, make_challenge, make_client, make_code, purchase
from tests.conftest import SECRET
from tests.live_server import api_over


@asynccontextmanager
async def second_app(settings: Settings) -> AsyncIterator[Api]:
    """Another app instance on the same database, as a second server process would be."""
    app = create_app(settings)
    async with LifespanManager(app) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield api_over(client, SECRET)


async def _setup(api: Api) -> tuple[str, str, str]:
    await api.install_module()
    _, token = await make_client(api, "C-1")
    _, other = await make_client(api, "C-2")
    challenge = await make_challenge(api)
    await make_code(api, "GOOD")
    return token, other, challenge


async def test_ten_failures_block_the_eleventh_attempt(api):
    token, other, challenge = await _setup(api)
    for i in range(5):
        assert error_codes(await apply(api, token, challenge, f"GUESS{i}")) == [("code", "CODE_INVALID")]
        assert error_codes(await purchase(api, token, challenge, f"k{i}", f"TRY{i}")) == [("promoCode", "CODE_INVALID")]
    assert error_codes(await apply(api, token, challenge, "GOOD")) == [("code", "RATE_LIMITED")]
    assert error_codes(await purchase(api, token, challenge, "k-good", "GOOD")) == [("promoCode", "RATE_LIMITED")]
    # Only this client's code attempts are held back.
    assert (await purchase(api, token, challenge, "k-plain"))["errors"] == []
    assert (await apply(api, other, challenge, "GOOD"))["errors"] == []


async def test_other_failures_do_not_count(api):
    token, _, challenge = await _setup(api)
    await make_code(api, "EURO", discountMethod="FIXED_AMOUNT", discountValue="5", currency="EUR")
    for _ in range(12):
        assert error_codes(await apply(api, token, challenge, "EURO")) == [("code", "CURRENCY_MISMATCH")]
        assert error_codes(await apply(api, token, "bad-id", "GOOD")) == [("challengeId", "CHALLENGE_UNAVAILABLE")]
    assert (await apply(api, token, challenge, "GOOD"))["errors"] == []


async def test_rate_limited_attempts_do_not_count_and_the_window_moves_on(api, db):
    token, _, challenge = await _setup(api)
    for i in range(10):
        await apply(api, token, challenge, f"GUESS{i}")
    for _ in range(3):
        assert error_codes(await apply(api, token, challenge, "GOOD")) == [("code", "RATE_LIMITED")]
    async with db.write_engine.begin() as conn:
        assert await conn.scalar(select(func.count()).select_from(CodeAttemptFailure)) == 10
        old = datetime.now(timezone.utc) - timedelta(seconds=601)
        await conn.execute(update(CodeAttemptFailure).values(attempted_at=old))
    assert (await apply(api, token, challenge, "GOOD"))["errors"] == []
    # The next failure clears the attempts that left the window.
    await apply(api, token, challenge, "GUESS")
    async with db.write_engine.begin() as conn:
        assert await conn.scalar(select(func.count()).select_from(CodeAttemptFailure)) == 1


async def test_limit_and_window_are_configurable_and_shared_across_processes(api, settings):
    token, _, challenge = await _setup(api)
    strict = settings.model_copy(update={"code_attempt_limit": 2, "code_attempt_window_s": 60})
    async with second_app(strict) as other_process:
        await apply(api, token, challenge, "GUESS1")  # counted by the first process
        assert error_codes(await apply(other_process, token, challenge, "GUESS2")) == [("code", "CODE_INVALID")]
        assert error_codes(await apply(other_process, token, challenge, "GOOD")) == [("code", "RATE_LIMITED")]
    assert (await apply(api, token, challenge, "GOOD"))["errors"] == []  # the default allows 10
