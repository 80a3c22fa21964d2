#!/usr/bin/env bash
# Creates .venv at the repository root and installs the project with its test extra.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[test]'
echo "set-up done: .venv ready"
