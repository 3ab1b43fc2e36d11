"""The action server process: rasa-sdk actions, the NLG endpoint and the outbox worker.

`python -m bot.ops.action_server` — one process serves `/webhook` (actions), `/nlg`
(every response in the conversation's language) and `/health`, delivers
submissions queued while the agency was unavailable, and applies retention once a day.
"""

from __future__ import annotations

import argparse
import logging

from rasa_sdk.endpoint import create_app
from sanic import Sanic, response
from sanic.request import Request

from bot import runtime
from bot.agency.client import AgencyClient
from bot.agency.endpoint_checks import check_production_credentials
from bot.agency.worker import OutboxWorker
from bot.i18n.nlg import respond
from bot.logging_setup import configure_logging
from bot.migrations import upgrade_database
from bot.ops.shared_secret import action_server_secret, install_shared_secret
from bot.privacy.forget import hash_key
from bot.privacy.retention_task import start_daily_retention

logger = logging.getLogger(__name__)


# bandit B107: An empty default means none is used.
def build_app(secret: str = "") -> Sanic:  # nosec B107
    """The action server; with `secret`, only callers that send it are answered."""
    app = create_app("actions")
    if secret:
        install_shared_secret(app, secret)

    @app.post("/nlg")
    async def nlg(request: Request):
        try:
            body = request.json or {}
        except Exception:  # malformed JSON from a misconfigured caller
            return response.json({"error": "invalid JSON"}, status=400)
        return response.json(respond(body))

    @app.listener("after_server_start")
    async def start_outbox_worker(app_: Sanic, _loop) -> None:
        settings = runtime.settings()
        worker = OutboxWorker(
            lambda: AgencyClient.from_settings(settings),
            runtime.outbox(),
            settings.outbox_poll_seconds,
        )
        worker.start()
        app_.ctx.outbox_worker = worker

    @app.listener("before_server_stop")
    async def stop_outbox_worker(app_: Sanic, _loop) -> None:
        worker = getattr(app_.ctx, "outbox_worker", None)
        if worker is not None:
            await worker.stop()
        await runtime.close_clients()

    @app.listener("after_server_start")
    async def start_retention(app_: Sanic, _loop) -> None:
        app_.ctx.retention = start_daily_retention(runtime.settings(), runtime.session_factory())

    @app.listener("before_server_stop")
    async def stop_retention(app_: Sanic, _loop) -> None:
        retention = getattr(app_.ctx, "retention", None)
        if retention is not None:
            await retention.stop()

    return app


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=None)
    parser.add_argument("--host", default=None, help="default: ASSISTANT_BIND_HOST")
    args = parser.parse_args(argv)
    configure_logging("action-server")
    settings = runtime.settings()
    check_production_credentials(settings)
    host = args.host or settings.bind_host
    secret = action_server_secret(settings, host)
    hash_key(settings)  # production refuses to start without it, not at the first forget-me
    upgrade_database(settings.database_url)
    app = build_app(secret)
    port = args.port or settings.action_port
    logger.info("action server listening on http://%s:%s", host, port)
    app.run(host=host, port=port, workers=1, access_log=False, motd=False)


if __name__ == "__main__":
    main()
