#!/usr/bin/env bash
# Set up a virtual environment (once) and run the linter, the formatter's check, the type checker and the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check --no-compile -r requirements-dev.txt  # .pyc as imported: 35 s → 15 s fresh
.venv/bin/python -m ruff check .
.venv/bin/python -m ruff format --check .
.venv/bin/python -m mypy
.venv/bin/python scripts/check_i18n.py  # every word a page shows goes through the catalogue
.venv/bin/python -m pytest "$@"
