"""HTML pages from the Jinja templates, and what kind of answer a request wants."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
from aiohttp import web

from bot.console.keys import TEMPLATES
from bot.console.labels import kind_label

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"


def templates() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=jinja2.select_autoescape(("html",)),
        undefined=jinja2.StrictUndefined,
    )
    environment.globals["kind_label"] = kind_label
    return environment


def render(request: web.Request, name: str, status: int = 200, **context: Any) -> web.Response:
    """The template `name` with the viewer and its CSRF token (for the forms)."""
    template = request.app[TEMPLATES].get_template(name)
    viewer = request.get("viewer")
    body = template.render(viewer=viewer, csrf_token=viewer.csrf_token if viewer else "", **context)
    return web.Response(text=body, status=status, content_type="text/html", charset="utf-8")


def wants_json(request: web.Request) -> bool:
    return "application/json" in request.headers.get("Accept", "")
