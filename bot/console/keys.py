"""What the console application holds (aiohttp app keys), shared by its modules."""

from __future__ import annotations

import asyncio

import jinja2
from aiohttp import web
from sqlalchemy.orm import sessionmaker

from bot.console.rasa_api import RasaApi

FACTORY = web.AppKey("factory", sessionmaker)
RASA = web.AppKey("rasa", RasaApi)
TEMPLATES = web.AppKey("templates", jinja2.Environment)
SECURE = web.AppKey("secure", bool)
RETRY_TASK = web.AppKey("retry_task", asyncio.Task)


def factory_of(request: web.Request) -> sessionmaker:
    return request.app[FACTORY]
