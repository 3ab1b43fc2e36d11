"""The webchat channel's files and texts: types, cache headers, no path traversal.

The HTTP tests ask the running Rasa server (the `stack` fixture); the others need no server.
"""

from __future__ import annotations

import http.client
import json
import urllib.parse
from pathlib import Path

import pytest

from bot.i18n.catalog import get_catalog
from channels.webchat import WebchatInput, widget_bundle
from channels.webchat.static_files import STATIC_DIR, static_files
from channels.webchat.texts import widget_texts
from tests.browser.support import allowed_site

SOCKET_IO_DIR = "vendor/socket.io-client-4.8.4"


def request(base_url: str, path: str, headers: dict[str, str] | None = None):
    """A raw GET: the path is sent exactly as written (no client-side `..` clean-up)."""
    parsed = urllib.parse.urlsplit(base_url)
    connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30)
    try:
        connection.request("GET", path, headers=headers or {})
        answer = connection.getresponse()
        return answer.status, {k.lower(): v for k, v in answer.getheaders()}, answer.read()
    finally:
        connection.close()


# --- served by the running server


@pytest.mark.integration
@pytest.mark.parametrize(
    ("path", "content_type", "cache_control"),
    [
        ("/webhooks/webchat/", "text/html; charset=utf-8", "no-cache"),
        ("/webhooks/webchat/widget.js", "text/javascript; charset=utf-8", "max-age=300"),
        ("/webhooks/webchat/widget.css", "text/css; charset=utf-8", "max-age=300"),
        (
            f"/webhooks/webchat/{SOCKET_IO_DIR}/socket.io.min.js",
            "text/javascript; charset=utf-8",
            "immutable",
        ),
        (f"/webhooks/webchat/{SOCKET_IO_DIR}/LICENSE", "text/plain; charset=utf-8", "immutable"),
        ("/webhooks/webchat/texts/nl.json", "application/json; charset=utf-8", "max-age=300"),
        ("/webhooks/webchat/texts/fr.json", "application/json; charset=utf-8", "max-age=300"),
        ("/webhooks/webchat/texts/en.json", "application/json; charset=utf-8", "max-age=300"),
    ],
)
def test_files_are_served_with_their_type_and_cache_headers(
    stack, path, content_type, cache_control
):
    status, headers, body = request(stack.rasa_url, path)
    assert status == 200 and body
    assert headers["content-type"] == content_type
    assert cache_control in headers["cache-control"]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["etag"].startswith('"')


@pytest.mark.integration
def test_demo_page_has_the_one_tag_and_a_strict_content_security_policy(stack):
    status, headers, body = request(stack.rasa_url, "/webhooks/webchat/")
    assert status == 200
    page = body.decode()
    assert '<script src="/webhooks/webchat/widget.js"' in page and "defer" in page
    assert "<script>" not in page  # no inline script: the widget works under a strict CSP
    policy = headers["content-security-policy"]
    assert "script-src 'self'" in policy and "object-src 'none'" in policy


@pytest.mark.integration
@pytest.mark.parametrize("path", ["/webhooks/webchat/widget.js", "/webhooks/webchat/texts/fr.json"])
def test_an_unchanged_file_is_not_sent_again(stack, path):
    _, headers, _ = request(stack.rasa_url, path)
    status, _, body = request(stack.rasa_url, path, {"If-None-Match": headers["etag"]})
    assert status == 304 and body == b""


@pytest.mark.integration
def test_the_widget_texts_come_from_the_locale_files_for_the_allowed_sites(stack):
    site = allowed_site(stack.env, stack.rasa_url)
    status, headers, body = request(
        stack.rasa_url, "/webhooks/webchat/texts/fr.json", {"Origin": site}
    )
    assert status == 200
    assert json.loads(body) == widget_texts(get_catalog(), "fr")
    assert headers["access-control-allow-origin"] == site  # widget.js on an agency's page
    assert headers["vary"] == "Origin"
    _, other, _ = request(
        stack.rasa_url, "/webhooks/webchat/texts/fr.json", {"Origin": "https://agency.example"}
    )
    assert "access-control-allow-origin" not in other


@pytest.mark.integration
@pytest.mark.parametrize(
    "path",
    [
        "/webhooks/webchat/../../credentials.yml",
        "/webhooks/webchat/%2e%2e/%2e%2e/credentials.yml",
        "/webhooks/webchat/..%2f..%2fcredentials.yml",
        "/webhooks/webchat/%2e%2e%2fchannel.py",
        "/webhooks/webchat/vendor/../../channel.py",
        "/webhooks/webchat/channel.py",
        "/webhooks/webchat/__init__.py",
        "/webhooks/webchat//etc/passwd",
        "/webhooks/webchat/%2fetc%2fpasswd",
        "/webhooks/webchat/..\\..\\credentials.yml",
        f"/webhooks/webchat/{SOCKET_IO_DIR}/README.md",
        "/webhooks/webchat/widget.js%00.html",
        "/webhooks/webchat/texts/../../../credentials.yml",
        "/webhooks/webchat/texts/..%2f..%2fchannel.py",
        "/webhooks/webchat/texts/%2e%2e%2f%2e%2e%2fcredentials.yml",
        "/webhooks/webchat/texts/nl.yml",
        "/webhooks/webchat/texts/de.json",
        "/webhooks/webchat/texts/nl.json%00.html",
    ],
)
def test_nothing_outside_the_static_files_can_be_read(stack, path):
    status, _, body = request(stack.rasa_url, path)
    assert status in (400, 404), (path, status)
    assert b"socketio:" not in body and b"import" not in body and b"root:" not in body


# --- no server needed


def test_the_file_table_holds_only_the_widget_files():
    files = static_files()
    assert {"index.html", "widget.js", "widget.css", "demo.css"} <= set(files)
    assert f"{SOCKET_IO_DIR}/socket.io.min.js" in files
    assert all(not name.endswith((".py", ".md")) for name in files)
    assert files["widget.js"].source == widget_bundle.SOURCE_DIR  # joined from its sources
    for name, item in files.items():
        if name != "widget.js":
            assert item.source.resolve().is_relative_to(STATIC_DIR)


def test_the_vendored_socket_io_client_keeps_its_mit_licence():
    folder = STATIC_DIR / SOCKET_IO_DIR
    assert (folder / "socket.io.min.js").read_text()[:200].count("Socket.IO v4.8.4") == 1
    assert "MIT License" in (folder / "LICENSE").read_text()


def test_axe_core_is_vendored_with_its_licences():
    vendor = Path(__file__).parent / "vendor"
    assert (vendor / "axe.min.js").stat().st_size > 100_000
    assert "Mozilla Public License" in (vendor / "axe-core.LICENSE").read_text()
    assert (vendor / "axe-core.LICENSE-3RD-PARTY.txt").exists()


def test_the_channel_is_named_webchat():
    assert WebchatInput.name() == "webchat"
    assert isinstance(WebchatInput.from_credentials(None), WebchatInput)
