#!/usr/bin/env bash
# Makes sure Debian's Chromium is at /usr/bin/chromium for the browser tests (tests/browser).
# Playwright drives this system browser; it never downloads one of its own.
#
#   scripts/ensure_chromium.sh        exit 0 when /usr/bin/chromium runs (installing it with
#                                     apt-get when missing and running as root), else exit 1
#                                     with a message saying what to do.
set -euo pipefail

CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"

works() {
  # The Debian launcher prints noise on some systems; only the exit status matters.
  "$CHROMIUM" --headless --no-sandbox --disable-gpu --version >/dev/null 2>&1
}

if [ -x "$CHROMIUM" ] && works; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  cat >&2 <<MSG

  Chromium is needed for the browser tests and $CHROMIUM is missing.
  Install Debian's package as root, then run the tests again:

      sudo apt-get update && sudo apt-get install -y chromium

  (Or point CHROMIUM=/path/to/chromium at another Chromium build.)

MSG
  exit 1
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "Chromium is missing at $CHROMIUM and apt-get is not available: install Chromium by hand." >&2
  exit 1
fi

echo "==> Installing Debian's chromium with apt-get (once)" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >&2
apt-get install -y -q --no-install-recommends chromium >&2

if [ -x "$CHROMIUM" ] && works; then
  echo "==> $("$CHROMIUM" --version 2>/dev/null | head -n 1)" >&2
  exit 0
fi
echo "apt-get installed chromium, but $CHROMIUM does not run." >&2
exit 1
