# Finding the Python 3.10 that .venv is made with. Sourced by scripts/bootstrap.sh;
# kept apart so that tests/unit/ops/test_bootstrap_python.py can run it on fake
# interpreters. Expects ROOT (the project folder). Every message goes to stderr; the
# interpreter's path is the only thing written to stdout.
#
# Order: $PYTHON310, python3.10 on the PATH, pyenv's 3.10, /usr/local/bin and /usr/bin.
# None of them: Python 3.10 from uv (astral.sh), uv itself installed from PyPI into
# $ROOT/.tools/uv with whatever python3 there is.

# Where the system interpreters are looked for (a test points this elsewhere).
FIND_PYTHON_SYSTEM_DIRS="${FIND_PYTHON_SYSTEM_DIRS:-/usr/local/bin /usr/bin}"
# uv from PyPI: any version that has `uv python install` and `uv python find`.
UV_REQUIREMENT="${UV_REQUIREMENT:-uv>=0.5}"

is_python310() {
  "$1" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 10) else 1)' 2>/dev/null
}

find_python310() {
  local candidate dir
  local candidates=("${PYTHON310:-}" python3.10 "$HOME"/.pyenv/versions/3.10.*/bin/python)
  for dir in $FIND_PYTHON_SYSTEM_DIRS; do
    candidates+=("$dir/python3.10")
  done
  for candidate in "${candidates[@]}"; do
    [ -n "$candidate" ] || continue
    if command -v "$candidate" >/dev/null 2>&1 && is_python310 "$candidate"; then
      command -v "$candidate"
      return 0
    fi
  done
  return 1
}

# `$1 -m pip install ${@:2}` quietly, its output on stderr without the warnings about
# absent local mirrors that some machines configure (as in bootstrap.sh); pip's status.
uv_pip_install() {
  local python="$1"
  shift
  "$python" -m pip install --quiet --disable-pip-version-check "$@" 2>&1 |
    { grep -v "^WARNING: Location 'file:" || true; } >&2
  return "${PIPESTATUS[0]}"
}

# uv's path: one on the PATH, the one installed here before, else installed now from
# PyPI into $ROOT/.tools/uv (a venv, or `pip install --target` when venv is missing).
find_or_install_uv() {
  local tools="$ROOT/.tools/uv" python3
  if command -v uv >/dev/null 2>&1; then
    command -v uv
    return 0
  fi
  local candidate
  for candidate in "$tools/bin/uv" "$tools/target/bin/uv"; do
    if [ -x "$candidate" ]; then
      echo "$candidate"
      return 0
    fi
  done
  if ! python3="$(command -v python3 2>/dev/null)"; then
    echo "  No python3 either, to install uv with." >&2
    return 1
  fi
  echo "==> Installing uv from PyPI into .tools/uv (with $python3)" >&2
  if "$python3" -m venv "$tools" >/dev/null 2>&1 &&
    uv_pip_install "$tools/bin/python" "$UV_REQUIREMENT" &&
    [ -x "$tools/bin/uv" ]; then
    echo "$tools/bin/uv"
    return 0
  fi
  # Debian's python3 without python3-venv: pip alone, if there is one.
  if uv_pip_install "$python3" --target "$tools/target" "$UV_REQUIREMENT" &&
    [ -x "$tools/target/bin/uv" ]; then
    echo "$tools/target/bin/uv"
    return 0
  fi
  echo "  Installing uv with $python3 failed (python3-venv or pip may be missing)." >&2
  return 1
}

uv_python310() {
  local uv found
  cat >&2 <<'MSG'
==> No Python 3.10 found: fetching one with uv. This needs access to uv's Python
    downloads (python-build-standalone, on GitHub). If that is blocked, install
    python3.10 yourself or point to one with PYTHON310=/path/to/python3.10.
MSG
  uv="$(find_or_install_uv)" || return 1
  "$uv" python install 3.10 >&2 || {
    echo "  'uv python install 3.10' failed." >&2
    return 1
  }
  # Only uv's own Pythons: a pyenv shim without 3.10 would stop `uv python find`.
  found="$("$uv" python find --python-preference only-managed 3.10 2>/dev/null)" || found=""
  if [ -z "$found" ] || ! is_python310 "$found"; then
    echo "  uv installed Python 3.10, but 'uv python find' did not give it." >&2
    return 1
  fi
  echo "$found"
}

# The interpreter for .venv on stdout; a message and status 3 when there is none.
choose_python310() {
  find_python310 && return 0
  uv_python310 && return 0
  cat >&2 <<'MSG'

  Python 3.10 is needed, and none was found (nor could uv provide one).
  Rasa 3.6 runs on Python 3.8 to 3.10 only, and this project is pinned to 3.10.
  Install it, for example:
    Debian/Ubuntu:  sudo apt-get install python3.10 python3.10-venv
                    (current releases: from the deadsnakes PPA, or use pyenv)
    pyenv:          pyenv install 3.10.13
  or point to it:   PYTHON310=/path/to/python3.10 make run

MSG
  return 3
}
