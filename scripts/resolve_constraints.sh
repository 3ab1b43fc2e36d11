#!/usr/bin/env bash
# Re-resolves constraints.txt from requirements.txt in a scratch Python 3.10 venv.
# Rasa 3.6 needs SQLAlchemy<1.5 and packaging<21 (see docs/architecture.md, "Dependencies").
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PY="${PYTHON310:-$(command -v python3.10 || ls "$HOME"/.pyenv/versions/3.10.*/bin/python | head -1)}"
SCRATCH="$(mktemp -d)"
"$PY" -m venv "$SCRATCH/venv"
"$SCRATCH/venv/bin/pip" install --quiet "pip==24.0" "setuptools==70.3.0" wheel
"$SCRATCH/venv/bin/pip" install --quiet -r "$ROOT/requirements.txt"
"$SCRATCH/venv/bin/pip" check
{
  echo "# Every dependency, pinned. Resolved with Python 3.10.13 from requirements.txt;"
  echo "# SQLAlchemy<1.5 and packaging<21 are required by Rasa 3.6 (see docs/architecture.md, "Dependencies")."
  echo "# Regenerate: make constraints"
  "$SCRATCH/venv/bin/pip" freeze --exclude-editable
} > "$ROOT/constraints.txt"
rm -rf "$SCRATCH"
echo "constraints.txt updated"
