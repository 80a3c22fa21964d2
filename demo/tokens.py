"""Ready-made tokens for the demo: an admin, a read-only staff member and a client."""
from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from auth import Permission, mint_token
from demo.reference import client_name
from demo.steps import MARKER_CLIENT

DEMO_TTL_S = 7 * 24 * 3600
DEMO_SECRET_FILE = Path(".demo-jwt-secret")


@dataclass(frozen=True, slots=True)
class DemoToken:
    role: str  # "staff" or "client": which GraphiQL tabs it fills
    label: str
    token: str


def demo_tokens(secret: str, ttl_s: int = DEMO_TTL_S) -> list[DemoToken]:
    every = [p.value for p in Permission]
    return [
        DemoToken("staff", "admin (all permissions), sub admin@demo",
                  mint_token(secret, "admin@demo", "staff", every, ttl_s)),
        DemoToken("read-only", "read-only staff (READ_PROMO_CODES), sub analyst@demo",
                  mint_token(secret, "analyst@demo", "staff", [Permission.READ_PROMO_CODES.value], ttl_s)),
        DemoToken("client", f"client {MARKER_CLIENT} ({client_name(0)})",
                  mint_token(secret, MARKER_CLIENT, "client", None, ttl_s)),
    ]


def demo_secret(path: Path = DEMO_SECRET_FILE) -> str:
    """PROMO_JWT_SECRET if set; else a random secret kept in ``path`` so tokens survive restarts."""
    configured = os.environ.get("PROMO_JWT_SECRET")
    if configured:
        return configured
    if path.is_file():
        return path.read_text().strip()
    secret = secrets.token_urlsafe(48)
    path.touch(mode=0o600)
    path.write_text(secret)
    return secret
