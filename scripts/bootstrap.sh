#!/usr/bin/env bash
# Creates (or refreshes) the project's Python 3.10 environment in .venv.
# Idempotent: re-installs only when requirements.txt or constraints.txt changed.
# Source it to get the environment:  . scripts/bootstrap.sh
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"

# find_python310 and choose_python310 (with the uv fallback): scripts/find_python.sh.
# shellcheck source=scripts/find_python.sh
source "$ROOT/scripts/find_python.sh"

if [ ! -x "$VENV/bin/python" ]; then
  if ! PY="$(choose_python310)"; then
    exit 3
  fi
  echo "==> Creating the environment in .venv with $PY"
  "$PY" -m venv "$VENV"
fi

STAMP="$VENV/.installed-$(cat "$ROOT/requirements.txt" "$ROOT/constraints.txt" | sha256sum | cut -c1-16)"
if [ ! -f "$STAMP" ]; then
  echo "==> Installing the pinned dependencies (about three minutes the first time)"
  # Some machines point pip at local mirrors that may be absent: hide those warnings
  # only (pipefail keeps pip's own failure).
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
    "pip==24.0" "setuptools==70.3.0" wheel 2>&1 | { grep -v "^WARNING: Location 'file:" || true; }
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
    -r "$ROOT/requirements.txt" -c "$ROOT/constraints.txt" 2>&1 \
    | { grep -v "^WARNING: Location 'file:" || true; }
  "$VENV/bin/python" -m pip check
  rm -f "$VENV"/.installed-*
  touch "$STAMP"
fi

export PATH="$VENV/bin:$PATH"
export PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}"
# Quieter TensorFlow and no telemetry from Rasa.
export TF_CPP_MIN_LOG_LEVEL="${TF_CPP_MIN_LOG_LEVEL:-2}"
export RASA_TELEMETRY_ENABLED=false
export SQLALCHEMY_SILENCE_UBER_WARNING=1
