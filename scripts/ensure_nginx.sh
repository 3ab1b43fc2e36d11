#!/usr/bin/env bash
# Makes sure Debian's nginx is at /usr/sbin/nginx for the local cluster (python -m
# bot.ops.cluster) and the production tests (tests/production). The cluster runs it as a
# child process with its own configuration, prefix, pid and log files under var/cluster/:
# the system's nginx configuration and service are never used.
#
#   scripts/ensure_nginx.sh        exit 0 when /usr/sbin/nginx runs (installing Debian's
#                                  package with apt-get when missing and running as root),
#                                  else exit 1 with a message saying what to do.
#
# The package's own service is not started by the installation: when the machine has no
# /usr/sbin/policy-rc.d, one that forbids starting services is put there for the time of
# `apt-get install` only.
set -euo pipefail

NGINX="${NGINX:-/usr/sbin/nginx}"

works() {
  "$NGINX" -v >/dev/null 2>&1
}

if [ -x "$NGINX" ] && works; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  cat >&2 <<MSG

  nginx is needed for the local cluster and the production tests, and $NGINX is missing.
  Install Debian's package as root, then run the command again:

      sudo apt-get update && sudo apt-get install -y nginx

  (Or point NGINX=/path/to/nginx at another nginx build.) The cluster never uses the
  system's nginx configuration or service; the package's service may be disabled.

MSG
  exit 1
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "nginx is missing at $NGINX and apt-get is not available: install nginx by hand." >&2
  exit 1
fi

POLICY=/usr/sbin/policy-rc.d
if [ ! -e "$POLICY" ]; then
  # Debian's documented switch (invoke-rc.d): exit 101 = "do not start services".
  printf '#!/bin/sh\nexit 101\n' >"$POLICY"
  chmod 0755 "$POLICY"
  trap 'rm -f "$POLICY"' EXIT
fi

echo "==> Installing Debian's nginx with apt-get (once)" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >&2
apt-get install -y -q --no-install-recommends nginx >&2

if [ -x "$NGINX" ] && works; then
  echo "==> $("$NGINX" -v 2>&1 | head -n 1)" >&2
  exit 0
fi
echo "apt-get installed nginx, but $NGINX does not run." >&2
exit 1
