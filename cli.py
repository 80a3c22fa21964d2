"""Admin chores from the command line: ``promo token ...``."""
from __future__ import annotations

import argparse
import os

from auth import Permission, mint_token


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="promo", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    token = commands.add_parser("token", help="mint a bearer token signed with PROMO_JWT_SECRET")
    token.add_argument("subject", help="staff: any identifier; client: the client's externalId")
    token.add_argument("--client", action="store_true", help="a client token (default: staff)")
    token.add_argument(
        "--permission", "-p", action="append", choices=[p.value for p in Permission], default=None,
        help="staff permission (repeat; default: all)",
    )
    token.add_argument("--ttl", type=int, default=24 * 3600, help="seconds until it expires")
    args = parser.parse_args(argv)
    secret = os.environ.get("PROMO_JWT_SECRET")
    if not secret:
        parser.error("set PROMO_JWT_SECRET first")
    permissions = args.permission or [p.value for p in Permission]
    kind = "client" if args.client else "staff"
    print(mint_token(secret, args.subject, kind, permissions, ttl_s=args.ttl))


if __name__ == "__main__":
    main()
