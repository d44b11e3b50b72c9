#!/usr/bin/env bash
# Set up a virtual environment (once) and open the app at http://localhost:8501.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -r requirements.txt
exec .venv/bin/python scripts/serve.py app.py "$@"  # streamlit run, the kernel compiling as it starts
