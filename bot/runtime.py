"""Process-wide services of the action server: database, outbox, agency client.

Created lazily on first use inside the running event loop (the aiohttp session of
the agency client must belong to that loop).
"""

from __future__ import annotations

import asyncio
from functools import lru_cache

from sqlalchemy.orm import sessionmaker

from bot.agency.client import AgencyClient
from bot.agency.outbox import Outbox
from bot.db import make_engine, make_session_factory
from bot.settings import Settings, load_settings


@lru_cache(maxsize=1)
def settings() -> Settings:
    return load_settings()


@lru_cache(maxsize=1)
def session_factory() -> sessionmaker:
    return make_session_factory(make_engine(settings().database_url))


@lru_cache(maxsize=1)
def outbox() -> Outbox:
    return Outbox(session_factory(), retry_base_seconds=settings().outbox_retry_seconds)


_clients: dict[int, AgencyClient] = {}


def agency_client() -> AgencyClient:
    """One client per event loop (in practice: one per process)."""
    loop_id = id(asyncio.get_running_loop())
    client = _clients.get(loop_id)
    if client is None:
        client = AgencyClient.from_settings(settings())
        _clients[loop_id] = client
    return client


async def close_clients() -> None:
    for client in list(_clients.values()):
        await client.close()
    _clients.clear()
