"""The console's URLs."""

from __future__ import annotations

from pathlib import Path

from aiohttp import web

from bot.console.live import events
from bot.console.views import acting, conversation, health, login, queue, reveal

STATIC_DIR = Path(__file__).resolve().parent / "static"


def setup_routes(app: web.Application) -> None:
    app.router.add_get("/health", health.health)
    app.router.add_get("/login", login.login_page)
    app.router.add_post("/login", login.login_submit)
    app.router.add_post("/logout", login.logout)
    app.router.add_get("/", queue.queue_page)
    app.router.add_get("/queue", queue.queue_fragment)
    app.router.add_get("/events", events)
    app.router.add_get("/handoffs/{id}", conversation.conversation_page)
    app.router.add_get("/handoffs/{id}/transcript", conversation.transcript_fragment)
    app.router.add_post("/handoffs/{id}/take", acting.take)
    app.router.add_post("/handoffs/{id}/reply", acting.reply)
    app.router.add_post("/handoffs/{id}/hand-back", acting.hand_back)
    app.router.add_post("/handoffs/{id}/close", acting.close)
    app.router.add_post("/handoffs/{id}/reveal", reveal.reveal)
    app.router.add_static("/static/", STATIC_DIR, append_version=False)
