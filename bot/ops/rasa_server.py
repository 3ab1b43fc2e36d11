"""The Rasa server process, started the way this project needs it.

`python -m bot.ops.rasa_server --model models/x.tar.gz` does what `rasa run
--enable-api` does, with these differences:
- it listens on `ASSISTANT_BIND_HOST` (127.0.0.1 unless configured), not on 0.0.0.0;
- the API token comes from the environment or a file (`RASA_API_TOKEN`,
  `RASA_API_TOKEN_FILE`, or locally var/rasa-api-token), never from the command line,
  and is accepted only in the `Authorization` header (bot/ops/rasa_api_auth.py);
- CORS allows only `ALLOWED_ORIGINS`;
- logging goes through the project's one setup (bot/logging_setup.py);
- the project's patches to Rasa are installed (bot/ops/rasa_patches.py).
"""

from __future__ import annotations

import argparse
import logging
import os
from functools import partial

from bot.logging_setup import configure_logging
from bot.ops.http_errors import install_plain_errors
from bot.ops.rasa_api_auth import JWT_METHOD, install_api_token_header, jwt_secret_for
from bot.secret_values import read_secret
from bot.settings import load_settings

logger = logging.getLogger(__name__)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bot.ops.rasa_server", description=__doc__)
    parser.add_argument("--model", required=True)
    parser.add_argument("--port", type=int, default=None)
    parser.add_argument("--endpoints", default="endpoints.yml")
    parser.add_argument("--credentials", default="credentials.yml")
    parser.add_argument("--log-level", default=os.environ.get("LOG_LEVEL", "INFO"))
    args = parser.parse_args(argv)

    settings = load_settings()
    configure_logging("rasa", args.log_level)
    api_token = read_secret("RASA_API_TOKEN", settings.var_dir, production=settings.production)

    # Rasa is imported here, after logging is set up: importing it is slow and noisy.
    from rasa.core import utils as core_utils
    from rasa.core.run import (
        close_resources,
        configure_app,
        create_http_input_channels,
        load_agent_on_start,
    )
    from rasa.core.utils import AvailableEndpoints

    from bot.ops import rasa_patches

    rasa_patches.install()
    endpoints = AvailableEndpoints.read_endpoints(args.endpoints)
    port = args.port or settings.rasa_port

    app = configure_app(
        create_http_input_channels(None, args.credentials),
        cors=list(settings.allowed_origins),
        auth_token=None,
        enable_api=True,
        jwt_secret=jwt_secret_for(api_token),
        jwt_method=JWT_METHOD,
        port=port,
        endpoints=endpoints,
    )
    install_api_token_header(app, api_token)
    install_plain_errors(app)
    app.register_listener(
        partial(load_agent_on_start, args.model, endpoints, None), "before_server_start"
    )
    app.register_listener(close_resources, "after_server_stop")
    logger.info("Rasa server listening on http://%s:%s", settings.bind_host, port)
    app.run(
        host=settings.bind_host,
        port=port,
        workers=core_utils.number_of_sanic_workers(endpoints.lock_store),
        access_log=False,
        motd=False,
    )


if __name__ == "__main__":
    main()
