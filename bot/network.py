"""What the servers check about where a request comes from and what credential it shows."""

from __future__ import annotations

import ipaddress


def is_loopback(host: str) -> bool:
    """This machine: `localhost` or a loopback address (IPv4 or IPv6)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def bearer_token(authorization: str | None) -> str:
    """The token of an `Authorization: Bearer <token>` header; "" for anything else."""
    scheme, _, value = (authorization or "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" else ""
