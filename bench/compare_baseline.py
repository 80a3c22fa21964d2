"""The purchase side by side with the raw ``redeem`` of ../shared/bench, in the same run.

    python bench/compare_baseline.py [--runs 3] [--shared ../shared/bench] [-- more run_baseline.sh options]

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
# Required by the harness for its clients_of_code operation, which this comparison does not run.
MY_PURCHASES = "{ myPurchases(first: 20) { edges { node { id total { amount } } } } }"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--shared", default=str(ROOT.parent / "shared" / "bench"), help="the shared bench/ folder")
    parser.add_argument("--targets", default="raw,strawberry", help="built-in targets beside the project")
    parser.add_argument("rest", nargs="*", help="more run_baseline.sh options (after --)")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="promo_compare."))
    template = workdir / "template.db"
    subprocess.run([sys.executable, str(ROOT / "bench" / "seed.py"), "--database-url", f"sqlite+aiosqlite:///{template}"], check=True)

    secret = secrets.token_hex(32)
    token = mint_token(secret, "bench-1", "client", ttl_s=None)
    redeem = {"query": PURCHASE, "variables": {"c": to_global_id("PropChallenge", 1), "k": "{{rand:1:2000000000}}"}}
    redeem_body, clients_body = workdir / "project_redeem.json", workdir / "project_clients.json"
    # json.dumps would quote the placeholder as a string, which is what the key needs.
    redeem_body.write_text(json.dumps(redeem))
    clients_body.write_text(json.dumps({"query": MY_PURCHASES}))
    run_db = f"{workdir}/project.$BENCH_PORT.db"
    command = (
        f"cp {shlex.quote(str(template))} {run_db} && cd {shlex.quote(str(ROOT))} && "
        f"PROMO_DATABASE_URL=sqlite+aiosqlite:///{run_db} PROMO_JWT_SECRET={secret} "
        f"exec {shlex.quote(sys.executable)} -m uvicorn server:app --host 127.0.0.1 --port {{port}} "
        "--workers 1 --no-access-log --log-level warning"
    )
    harness = [
        str(Path(args.shared) / "run_baseline.sh"), "--runs", str(args.runs), "--ops", "redeem",
        "--targets", args.targets, "--warmup", "0", "--retries", "0",
        "--extra-target", "project", command, "/graphql", str(clients_body), str(redeem_body),
        "--extra-header", f"Authorization: Bearer {token}", *args.rest,
    ]
    sys.exit(subprocess.run(harness, env=os.environ).returncode)


if __name__ == "__main__":
    main()
