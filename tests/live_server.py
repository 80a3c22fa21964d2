"""A real uvicorn server on 127.0.0.1 for tests that need several processes and real HTTP."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests.api import Api

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def live_server(
    database_url: str, secret: str, workers: int, timeout_s: float = 60, env: dict[str, str] | None = None
) -> Iterator[str]:
    """Start ``uvicorn server:app`` with ``workers`` processes (``env``: more settings); yields its base URL and stops it after."""
    port = free_port()
    env = os.environ | {"PROMO_DATABASE_URL": database_url, "PROMO_JWT_SECRET": secret} | (env or {})
    command = [
        sys.executable, "-m", "uvicorn", "server:app", "--host", "127.0.0.1", "--port", str(port),
        "--workers", str(workers), "--log-level", "warning", "--no-access-log",
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"uvicorn exited with {process.returncode}")
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not become healthy in time")
            time.sleep(0.2)
        yield base
    finally:
        os.killpg(process.pid, signal.SIGTERM)  # the group this function started
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def api_over(client: httpx.AsyncClient, secret: str) -> Api:
    """The tests' GraphQL client over ``client`` (a live server's, or another app instance's)."""
    return Api(client, secret)
