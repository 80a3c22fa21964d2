"""The purchase (or the dashboard query) side by side with the raw server of ../shared/bench, in the same run.

    python bench/compare_baseline.py [--op redeem|clients_of_code] [--runs 3] [--shared ../shared/bench] [-- more options]

``--op clients_of_code`` compares the admin dashboard's query (a code with its
first 20 client rows, each with its redemptions and the challenge bought, for a
random code) with the raw ``clients_of_code``, as staff with READ_PROMO_CODES.

Seeds a SQLite template with bench/seed.py (the same volumes as the baseline's
seed), then calls ``run_baseline.sh --ops redeem --extra-target project ...``:
each run starts the project (1 worker) on a fresh copy of the template, and the
harness measures raw, Strawberry and the project in interleaved windows. The
project's body buys challenge 1 with code BENCH as client bench-1 (the harness
sends one static header, so one token) under a random idempotency key.

The harness warms each target up and may re-measure a noisy window with the
request sequence it already sent; repeated idempotency keys would turn
purchases into cheaper replays, so this runs with ``--warmup 0 --retries 0``.
"""
from __future__ import annotations

import argparse
import json
import os
import secrets
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from auth import mint_token  # noqa: E402
from schema.node import to_global_id  # noqa: E402

PURCHASE = (
    "mutation P($c: ID!, $k: String!) { purchaseChallenge(input: {challengeId: $c, promoCode: \"BENCH\", "
    "idempotencyKey: $k}) { purchase { id client { id } challenge { id } promoCode { code } "
    "listPrice { amount currency } promoDiscount { amount } total { amount } } errors { code } } }"
)
DASHBOARD = (
    "query D($code: String!) { promoCode(code: $code) { id code discountMethod discountValue usageLimitPerClient status "
    "clients(first: 20) { edges { node { client { id name email } redemptions { challenge { id name price { amount currency } } } } } } } }"
)
# The harness wants a body for each operation; the one not measured gets this (any token may ask it).
UNUSED = {"query": "{ viewer { subject } }"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--op", choices=["redeem", "clients_of_code"], default="redeem")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--shared", default=str(ROOT.parent / "shared" / "bench"), help="the shared bench/ folder")
    parser.add_argument("--targets", default="raw,strawberry", help="built-in targets beside the project")
    parser.add_argument("rest", nargs="*", help="more run_baseline.sh options (after --)")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="promo_compare."))
    template = workdir / "template.db"
    subprocess.run([sys.executable, str(ROOT / "bench" / "seed.py"), "--database-url", f"sqlite+aiosqlite:///{template}"], check=True)

    secret = secrets.token_hex(32)
    redeem_body, clients_body = workdir / "project_redeem.json", workdir / "project_clients.json"
    if args.op == "redeem":
        token = mint_token(secret, "bench-1", "client", ttl_s=None)
        redeem = {"query": PURCHASE, "variables": {"c": to_global_id("PropChallenge", 1), "k": "{{rand:1:2000000000}}"}}
        # json.dumps would quote the placeholder as a string, which is what the key needs.
        redeem_body.write_text(json.dumps(redeem))
        clients_body.write_text(json.dumps(UNUSED))
    else:
        token = mint_token(secret, "bench-analyst", "staff", ["READ_PROMO_CODES"], ttl_s=None)
        # Codes BENCH010 ... BENCH050 of the seed (the harness draws the number).
        clients_body.write_text(json.dumps({"query": DASHBOARD, "variables": {"code": "BENCH0{{rand:10:50}}"}}))
        redeem_body.write_text(json.dumps(UNUSED))
    run_db = f"{workdir}/project.$BENCH_PORT.db"
    command = (
        f"cp {shlex.quote(str(template))} {run_db} && cd {shlex.quote(str(ROOT))} && "
        f"PROMO_DATABASE_URL=sqlite+aiosqlite:///{run_db} PROMO_JWT_SECRET={secret} "
        f"exec {shlex.quote(sys.executable)} -m uvicorn server:app --host 127.0.0.1 --port {{port}} "
        "--workers 1 --no-access-log --log-level warning"
    )
    harness = [
        str(Path(args.shared) / "run_baseline.sh"), "--runs", str(args.runs), "--ops", args.op,
        "--targets", args.targets, "--warmup", "0", "--retries", "0",
        "--extra-target", "project", command, "/graphql", str(clients_body), str(redeem_body),
        "--extra-header", f"Authorization: Bearer {token}", *args.rest,
    ]
    sys.exit(subprocess.run(harness, env=os.environ).returncode)


if __name__ == "__main__":
    main()
