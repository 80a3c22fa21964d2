"""Admin chores: ``promo <command>`` or ``python -m cli <command>``.

    token          mint a bearer token: ``promo token alice [-p PERMISSION ...]``, ``promo token C-1 --client``
    migrate        bring the database to the latest schema
    install-module install the "Coupons and Promo Codes" marketplace module
    seed-demo      fill an empty database with demo data (migrates first)
    serve-demo     migrate, seed, print tokens and the GraphiQL address, serve on SQLite
    fetch-graphiql fetch and verify GraphiQL's files from the npm registry (once)

The database is ``--database-url``, else PROMO_DATABASE_URL, else ./promo.db
(serve-demo: ./demo.db).
"""
from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Sequence

from auth import Permission, mint_token
from settings import Settings

DEMO_DATABASE_URL = "sqlite+aiosqlite:///./demo.db"
_DRIVERS = ("sqlite+aiosqlite://", "postgresql+asyncpg://")


def _database_url(arg: str | None) -> str:
    url = arg or os.environ.get("PROMO_DATABASE_URL") or Settings.model_fields["database_url"].default
    if not url.startswith(_DRIVERS):
        raise SystemExit(f"promo: {url!r} is not an async SQLAlchemy URL: use sqlite+aiosqlite:///path "
                         "or postgresql+asyncpg://user@host/db")
    return url


def _token(args: argparse.Namespace) -> int:
    from demo.tokens import DEMO_SECRET_FILE

    secret = os.environ.get("PROMO_JWT_SECRET")
    if not secret and DEMO_SECRET_FILE.is_file():
        print(f"promo: PROMO_JWT_SECRET is not set; using the demo secret in {DEMO_SECRET_FILE}", file=sys.stderr)
        secret = DEMO_SECRET_FILE.read_text().strip()
    if not secret or len(secret) < 32:
        raise SystemExit("promo: set PROMO_JWT_SECRET to the server's signing secret (32 characters or more)")
    if args.ttl <= 0:
        raise SystemExit("promo: --ttl must be a positive number of seconds")
    subject = args.subject.strip()
    if not subject:
        raise SystemExit("promo: the subject (a staff identifier or a client's externalId) is empty")
    if args.client:
        if args.permission:
            raise SystemExit("promo: a client token has no permissions")
        print(mint_token(secret, subject, "client", None, args.ttl))
        return 0
    permissions = sorted(set(args.permission)) if args.permission else [p.value for p in Permission]
    print(mint_token(secret, subject, "staff", permissions, args.ttl))
    return 0


async def _migrate(url: str) -> None:
    from database import Database

    db = Database(url)
    try:
        await db.migrate()
    finally:
        await db.dispose()


async def _install_module(url: str, key: str, actor: str) -> str:
    from database import Database
    from domain.errors import DomainError
    from domain.marketplace import install

    db = Database(url)
    try:
        async with db.write_session() as session, session.begin():
            module = await install(session, key, actor)
            return f"module {module.key!r} installed at {module.installed_at.isoformat()} by {module.installed_by}"
    except DomainError as exc:
        raise SystemExit(f"promo: {exc}") from None
    finally:
        await db.dispose()


async def _seed(url: str) -> str:
    from database import Database
    from demo.steps import SeedOutcome, seed_demo

    await _migrate(url)
    db = Database(url)
    try:
        outcome, world = await seed_demo(db)
    finally:
        await db.dispose()
    if outcome is SeedOutcome.REFUSED:
        raise SystemExit(f"promo: demo not seeded, {outcome.value}; use an empty database")
    if outcome is SeedOutcome.SEEDED:
        return f"demo seeded: {world.summary()}; module installed"
    return "demo data already in place"


def _serve_demo(args: argparse.Namespace) -> int:
    import uvicorn

    from demo.tokens import demo_secret, demo_tokens
    from server import create_app

    from pydantic import ValidationError

    url = _database_url(args.database_url or DEMO_DATABASE_URL)
    try:
        settings = Settings(database_url=url, jwt_secret=demo_secret())
    except ValidationError as exc:
        raise SystemExit(f"promo: bad configuration: {exc.errors()[0]['msg']} (PROMO_JWT_SECRET?)") from None
    print(asyncio.run(_seed(settings.database_url)), flush=True)
    tokens = demo_tokens(settings.jwt_secret)
    host = "127.0.0.1" if args.host in ("0.0.0.0", "::") else args.host
    base = f"http://{host}:{args.port}"
    by_role = {t.role: t.token for t in tokens}
    print(f"\nDatabase: {settings.database_url}", flush=True)
    print(f"GraphiQL: {base}/graphql#staff={by_role['staff']}&client={by_role['client']}")
    print("  (the link fills the example tabs' headers with the admin and client tokens)")
    print('\nTokens, valid 7 days; send them as "Authorization: Bearer <token>":')
    for token in tokens:
        print(f"  {token.label}:\n    {token.token}")
    print(f"\nHealth: {base}/healthz  Ready: {base}/readyz  Metrics: {base}/metrics\n", flush=True)
    uvicorn.run(create_app(settings), host=args.host, port=args.port, log_config=None, access_log=False)
    return 0


def _fetch_graphiql(args: argparse.Namespace) -> int:
    from ide.assets import AssetError, fetch_assets

    try:
        fetch_assets()
    except AssetError as exc:
        raise SystemExit(f"promo: {exc}") from None
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="promo", description="Promo Codes API admin chores.")
    commands = parser.add_subparsers(dest="command", required=True)

    token = commands.add_parser("token", help="mint a bearer token signed with PROMO_JWT_SECRET")
    token.add_argument("subject", help="staff: any identifier; client: the client's externalId")
    token.add_argument("--client", action="store_true", help="a client token (default: staff)")
    token.add_argument("--permission", "-p", action="append", default=[], choices=[p.value for p in Permission],
                       help="a staff permission; repeat for several (default: all)")
    token.add_argument("--ttl", type=int, default=24 * 3600, help="seconds until it expires (default 1 day)")

    for name, help_text in (("migrate", "bring the database to the latest schema"),
                            ("seed-demo", "fill an empty database with demo data"),
                            ("install-module", "install a marketplace module")):
        command = commands.add_parser(name, help=help_text)
        command.add_argument("--database-url")
        if name == "install-module":
            command.add_argument("--key", default="coupons-and-promo-codes")
            command.add_argument("--actor", default="cli", help="recorded as who installed it")

    serve = commands.add_parser("serve-demo", help="serve the demo on SQLite (./demo.db)")
    serve.add_argument("--database-url", help=f"default {DEMO_DATABASE_URL}")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)

    commands.add_parser("fetch-graphiql", help="fetch GraphiQL's files with npm and check their hashes")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "token":
        return _token(args)
    if args.command == "migrate":
        url = _database_url(args.database_url)
        asyncio.run(_migrate(url))
        print(f"migrated {url} to the latest schema")
    elif args.command == "install-module":
        print(asyncio.run(_install_module(_database_url(args.database_url), args.key, args.actor)))
    elif args.command == "seed-demo":
        print(asyncio.run(_seed(_database_url(args.database_url))))
    elif args.command == "serve-demo":
        return _serve_demo(args)
    elif args.command == "fetch-graphiql":
        return _fetch_graphiql(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
