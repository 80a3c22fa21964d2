#!/usr/bin/env bash
# One-time set-up from a fresh clone: .venv with the project and its test extra,
# Debian's chromium for the browser test, GraphiQL's files for offline use.
#
#   scripts/setup.sh                 then: .venv/bin/promo serve-demo
#
# PYTHON=python3.12 picks the interpreter (3.11 or newer);
# PROMO_SKIP_CHROMIUM=1 skips chromium (the browser test is then skipped).
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3}"
step() { printf '\n== %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else return 1
  fi
}

apt_install() {
  command -v apt-get >/dev/null || return 1
  as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"
}

step "Python environment in .venv"
"$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
  || { echo "setup: Python 3.11 or newer is needed (set PYTHON=...)" >&2; exit 1; }
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[test]'

step "Chromium for the browser test"
if [ "${PROMO_SKIP_CHROMIUM:-0}" = 1 ]; then
  echo "skipped (PROMO_SKIP_CHROMIUM=1): tests/test_browser.py will be skipped"
elif command -v chromium >/dev/null; then
  chromium --version 2>/dev/null || true
elif apt_install chromium; then
  chromium --version 2>/dev/null || true
else
  echo "setup: could not install Debian's chromium; tests/test_browser.py will be skipped" >&2
fi

step "GraphiQL files (npm registry, checked against pinned SHA-384)"
if ! command -v npm >/dev/null; then
  apt_install npm || { echo "setup: npm is needed once to fetch GraphiQL's files" >&2; exit 1; }
fi
.venv/bin/python -m cli fetch-graphiql

step "Ready"
echo "demo server:  .venv/bin/promo serve-demo      (SQLite ./demo.db, prints tokens and the GraphiQL link)"
echo "tests:        .venv/bin/python -m pytest"
