"""Runs ``python -m cli serve-demo`` as a user would, on a free 127.0.0.1 port, for browser tests."""
from __future__ import annotations

import os
import queue
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

PROJECT_ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT_S = 60


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class LiveDemo:
    base_url: str
    process: subprocess.Popen[str]
    banner: list[str] = field(default_factory=list)

    def token_after(self, label_start: str) -> str:
        """The token printed on the line after the one that starts with ``label_start``."""
        for i, line in enumerate(self.banner):
            if line.strip().startswith(label_start):
                return self.banner[i + 1].strip()
        raise AssertionError(f"no {label_start!r} token in the banner:\n" + "\n".join(self.banner))

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def start_demo(workdir: Path) -> LiveDemo:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PROMO_")}
    env["PYTHONPATH"] = str(PROJECT_ROOT)
    with (workdir / "server.log").open("w") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "cli", "serve-demo", "--port", str(port),
             "--database-url", f"sqlite+aiosqlite:///{workdir / 'demo.db'}"],
            cwd=workdir, env=env, stdout=subprocess.PIPE, stderr=stderr, text=True,
        )
    demo = LiveDemo(f"http://127.0.0.1:{port}", process)
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stdout], daemon=True).start()
    deadline = time.monotonic() + START_TIMEOUT_S
    try:
        while not (demo.banner and demo.banner[-1].startswith("Health:")):
            demo.banner.append(lines.get(timeout=max(0.1, deadline - time.monotonic())).rstrip("\n"))
        while not _ready(demo.base_url):
            if time.monotonic() > deadline or process.poll() is not None:
                raise AssertionError("serve-demo did not become ready")
            time.sleep(0.2)
    except (queue.Empty, AssertionError):
        demo.stop()
        raise AssertionError(
            "serve-demo did not start:\n" + "\n".join(demo.banner) + (workdir / "server.log").read_text()
        ) from None
    return demo


def _ready(base_url: str) -> bool:
    try:
        return httpx.get(f"{base_url}/readyz", timeout=2).status_code == 200
    except httpx.TransportError:
        return False
