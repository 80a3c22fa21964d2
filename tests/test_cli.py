"""The promo CLI: tokens, migrations, the module, demo seeding (on scratch SQLite files)."""
from __future__ import annotations

import time
from pathlib import Path

import jwt
import pytest

import cli
from auth import Permission

SECRET = "cli-secret-0123456789abcdef-0123456789"


@pytest.fixture
def secret(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    monkeypatch.chdir(tmp_path)  # no stray .demo-jwt-secret from the repository
    monkeypatch.setenv("PROMO_JWT_SECRET", SECRET)
    return SECRET


def _claims(capsys: pytest.CaptureFixture[str]) -> dict:
    return jwt.decode(capsys.readouterr().out.strip(), SECRET, algorithms=["HS256"])


def test_staff_token_carries_the_permissions_asked_for(secret, capsys):
    assert cli.main(["token", "ops@broker", "--permission", "READ_PROMO_CODES",
                     "-p", "READ_PROMO_CODES", "-p", "MANAGE_MODULES", "--ttl", "60"]) == 0
    claims = _claims(capsys)
    assert claims["sub"] == "ops@broker" and claims["kind"] == "staff"
    assert claims["permissions"] == ["MANAGE_MODULES", "READ_PROMO_CODES"]
    assert abs(claims["exp"] - (time.time() + 60)) < 5


def test_staff_tokens_default_to_every_permission_and_a_day(secret, capsys):
    cli.main(["token", "alice"])
    claims = _claims(capsys)
    assert claims["sub"] == "alice" and set(claims["permissions"]) == {p.value for p in Permission}
    assert abs(claims["exp"] - (time.time() + 24 * 3600)) < 5


def test_client_tokens(secret, capsys):
    cli.main(["token", "--client", " C-1001 "])
    claims = _claims(capsys)
    assert claims["sub"] == "C-1001" and claims["kind"] == "client" and "permissions" not in claims


@pytest.mark.parametrize("argv, message", [
    (["token", "C-1", "--client", "--permission", "READ_PROMO_CODES"], "no permissions"),
    (["token", "alice", "--ttl", "0"], "--ttl"),
    (["token", "--client", "  "], "subject"),
])
def test_token_refuses_bad_requests(secret, argv, message):
    with pytest.raises(SystemExit, match=message):
        cli.main(argv)


def test_unknown_permission_is_a_usage_error(secret, capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["token", "alice", "--permission", "BECOME_ROOT"])
    assert exit_info.value.code == 2 and "invalid choice" in capsys.readouterr().err


def test_token_needs_a_real_secret(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PROMO_JWT_SECRET", raising=False)
    with pytest.raises(SystemExit, match="PROMO_JWT_SECRET"):
        cli.main(["token", "alice"])
    monkeypatch.setenv("PROMO_JWT_SECRET", "short")
    with pytest.raises(SystemExit, match="32 characters"):
        cli.main(["token", "alice"])


def test_token_falls_back_to_the_demo_secret(monkeypatch, tmp_path, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PROMO_JWT_SECRET", raising=False)
    (tmp_path / ".demo-jwt-secret").write_text(SECRET + "\n")
    cli.main(["token", "C-1001", "--client"])
    out = capsys.readouterr()
    assert jwt.decode(out.out.strip(), SECRET, algorithms=["HS256"])["sub"] == "C-1001"
    assert ".demo-jwt-secret" in out.err


def test_migrate_install_and_seed(tmp_path, capsys):
    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"
    assert cli.main(["migrate", "--database-url", url]) == 0
    assert "latest schema" in capsys.readouterr().out
    cli.main(["install-module", "--database-url", url, "--actor", "am@broker"])
    assert "'coupons-and-promo-codes' installed at" in (out := capsys.readouterr().out) and "by am@broker" in out
    cli.main(["seed-demo", "--database-url", url])
    assert "demo seeded: 36 clients" in capsys.readouterr().out
    cli.main(["seed-demo", "--database-url", url])
    assert "already in place" in capsys.readouterr().out


def test_install_module_rejects_an_unknown_key(tmp_path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"
    cli.main(["migrate", "--database-url", url])
    with pytest.raises(SystemExit, match="No marketplace module 'nope'"):
        cli.main(["install-module", "--database-url", url, "--key", "nope"])


def test_a_sync_database_url_is_refused():
    with pytest.raises(SystemExit, match="async SQLAlchemy URL"):
        cli.main(["migrate", "--database-url", "sqlite:///x.db"])
