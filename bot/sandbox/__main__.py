"""`python -m bot.sandbox [--port N] [--database-url URL]`: serve the sandbox."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal

from aiohttp import web

from bot.logging_setup import configure_logging
from bot.sandbox import DEFAULT_TOKEN_LIFETIME_SECONDS, create_app
from bot.settings import load_settings

log = logging.getLogger("bot.sandbox")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    settings = load_settings()
    parser = argparse.ArgumentParser(
        prog="python -m bot.sandbox", description="Serve the agency sandbox API."
    )
    parser.add_argument("--host", default="127.0.0.1", help="interface (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=settings.sandbox_port, help="0 = any free")
    parser.add_argument("--database-url", default=settings.sandbox_database_url)
    parser.add_argument("--client-id", default=settings.agency_client_id)
    parser.add_argument("--client-secret", default=settings.agency_client_secret)
    parser.add_argument(
        "--token-lifetime", type=int, default=DEFAULT_TOKEN_LIFETIME_SECONDS, help="seconds"
    )
    return parser.parse_args(argv)


async def serve(args: argparse.Namespace) -> None:
    app = create_app(
        args.database_url,
        args.client_id,
        args.client_secret,
        token_lifetime_seconds=args.token_lifetime,
    )
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=5)
    await runner.setup()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    try:
        site = web.TCPSite(runner, args.host, args.port)
        await site.start()
        port = runner.addresses[0][1]
        log.info("agency sandbox listening on http://%s:%d", args.host, port)
        await stop.wait()
    finally:
        await runner.cleanup()


def main(argv: list[str] | None = None) -> None:
    configure_logging("sandbox")
    asyncio.run(serve(parse_args(argv)))


if __name__ == "__main__":
    main()
