"""The served app in a real browser (Debian's chromium via Playwright) against a real server."""

from __future__ import annotations

import http.client
import os
import re
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from browser_helpers import SCREEN_TAP, open_tab, wait_for_text
from served import Served, alive

pytestmark = pytest.mark.e2e

SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"
"""The README's screenshots: retaken there only with ``INCIDENT_TUI_UPDATE_SCREENSHOTS=1``
(otherwise into a temp dir, so a test run never changes the checkout)."""


def wait_for_event(served: Served, text: str, timeout: float = 10.0) -> tuple[str, str]:
    """The (author, text) of the first event containing ``text``, once it is on disk."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for author, event_text in served.events():
            if text in event_text:
                return author, event_text
        time.sleep(0.1)
    raise AssertionError(f"no event with {text!r} reached the store within {timeout} s")


def type_event(page: Any, text: str) -> None:
    """``t``, the text, Enter: as a scribe would."""
    page.keyboard.press("t")
    page.wait_for_function("window.__screen.includes('New timeline event')", timeout=10000)
    page.keyboard.type(text, delay=5)
    page.keyboard.press("Enter")


def status_of(served: Served, path: str, headers: dict[str, str] | None = None) -> int:
    """The HTTP status the server answers ``path`` with."""
    connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=10)
    try:
        connection.request("GET", path, headers=headers or {})
        return connection.getresponse().status
    finally:
        connection.close()


UPGRADE = {
    "Upgrade": "websocket",
    "Connection": "Upgrade",
    "Sec-WebSocket-Version": "13",
    "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
}


def test_writer_event_carries_the_browser_users_name_and_viewer_sees_it(
    served: Served, browser: Any, tmp_path: Path
) -> None:
    asked: list[str] = []
    writer = open_tab(browser, served.writer + "&name=Priya%20(scribe)", requests=asked)
    wait_for_text(writer, "Checkout errors after deploy")
    # Offline: the page, its script, styles, font and websocket all come from this server.
    assert asked and all(
        url.startswith((served.base + "/", served.base.replace("http", "ws") + "/"))
        for url in asked
    ), asked
    assert any(url.endswith(".ttf") for url in asked)  # the font is served locally
    viewer = open_tab(browser, served.viewer)
    wait_for_text(viewer, "READ-ONLY VIEW")

    type_event(writer, "Rolled back 2.14.0 in eu-west")
    author, _ = wait_for_event(served, "Rolled back 2.14.0 in eu-west")
    assert author == "Priya (scribe)"  # not the server's login (server-login)
    written = time.monotonic()
    wait_for_text(viewer, "Rolled back 2.14.0 in eu-west", timeout=2.0)
    assert time.monotonic() - written <= 2.0

    shots = SCREENSHOTS if os.environ.get("INCIDENT_TUI_UPDATE_SCREENSHOTS") else tmp_path
    shots.mkdir(exist_ok=True)
    writer.screenshot(path=str(shots / "served-writer.png"))
    viewer.screenshot(path=str(shots / "served-viewer.png"))
    assert (shots / "served-viewer.png").stat().st_size > 0

    # The viewer's write keys do nothing: no dialog opens, nothing reaches the store.
    before = served.events()
    for key in ("t", "d", "a", "r", "s", "p", "c", "m", "v", "k"):
        viewer.keyboard.press(key)
    viewer.keyboard.type("viewer tried to write")
    viewer.keyboard.press("Enter")
    time.sleep(1.5)
    assert served.events() == before
    assert "New timeline event" not in viewer.evaluate("window.__screen")


def test_a_writer_without_a_name_in_the_link_is_asked_once(served: Served, browser: Any) -> None:
    writer = open_tab(browser, served.writer)
    wait_for_text(writer, "Who are you?")
    wait_for_text(writer, "e.g. Priya")  # the name field is drawn (and focused)
    writer.wait_for_timeout(300)
    writer.keyboard.type("Wei")
    wait_for_text(writer, "Wei")
    writer.keyboard.press("Enter")
    writer.wait_for_timeout(500)  # the question closes
    type_event(writer, "Payments DB replica lag 40s")
    assert wait_for_event(served, "Payments DB replica lag 40s")[0] == "Wei"


def test_requests_without_a_valid_token_get_403_page_and_websocket(served: Served) -> None:
    writer_token = urlsplit(served.writer).query.split("=", 1)[1]
    assert status_of(served, "/") == 403
    assert status_of(served, "/?token=not-the-token") == 403
    assert status_of(served, f"/?token={writer_token[:-1]}") == 403
    assert status_of(served, "/static/js/textual.js") == 403
    assert status_of(served, "/download/anything") == 403
    # A real page's websocket ticket, but no token: still 403.
    connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=10)
    connection.request("GET", f"/?token={writer_token}")
    page = connection.getresponse().read().decode()
    connection.close()
    ticket = re.search(r"/ws/([A-Za-z0-9_-]+)", page)
    assert ticket is not None
    assert status_of(served, f"/ws/{ticket.group(1)}", UPGRADE) == 403
    assert status_of(served, "/ws/made-up", {**UPGRADE, "Cookie": "x=1"}) == 403
    cookie = f"incident_tui_token_{served.port}=wrong"
    assert status_of(served, f"/ws/{ticket.group(1)}", {**UPGRADE, "Cookie": cookie}) == 403
    # The right token opens it (101 Switching Protocols), once.
    good = f"incident_tui_token_{served.port}={writer_token}"
    assert status_of(served, f"/ws/{ticket.group(1)}", {**UPGRADE, "Cookie": good}) == 101


def test_a_browser_with_a_wrong_token_gets_no_app(served: Served, browser: Any) -> None:
    context = browser.new_context()
    page = context.new_page()
    response = page.goto(served.base + "/?token=guess")
    assert response is not None and response.status == 403
    opened = page.evaluate(
        """(url) => new Promise((done) => {
            const socket = new WebSocket(url);
            socket.onopen = () => done("open");
            socket.onerror = () => done("refused");
        })""",
        served.base.replace("http", "ws") + "/ws/guess",
    )
    assert opened == "refused"
    context.close()


def test_export_is_delivered_to_the_browser(served: Served, browser: Any) -> None:
    writer = open_tab(browser, served.writer + "&name=Priya")
    wait_for_text(writer, "Checkout errors after deploy")
    delivered: list[tuple[str, bytes]] = []

    def capture(route: Any) -> None:
        response = route.fetch()
        delivered.append((response.headers.get("content-disposition", ""), response.body()))
        route.fulfill(response=response)

    writer.context.route("**/download/*", capture)
    writer.keyboard.press("x")
    deadline = time.monotonic() + 15
    while not delivered and time.monotonic() < deadline:
        writer.wait_for_timeout(100)
    assert delivered, "no download reached the browser"
    disposition, body = delivered[0]
    assert f"{served.incident_id}.md" in disposition
    assert "Checkout errors after deploy" in body.decode()
    assert not (served.data_dir / "exports").exists()  # nothing written on the server


def test_stopping_the_server_ends_every_app_it_started(tmp_path: Path, browser: Any) -> None:
    from served import start_server

    server = start_server(tmp_path)
    tabs = [open_tab(browser, link) for link in (server.writer + "&name=A", server.viewer)]
    for tab in tabs:
        wait_for_text(tab, "Checkout errors after deploy")
    apps = server.stop()
    assert len(apps) >= 2, "each tab should have had its own app process"
    time.sleep(0.5)
    assert not [pid for pid in apps if alive(pid)]


def test_copying_an_update_fills_the_browsers_clipboard(served: Served, browser: Any) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=served.base)
    page = context.new_page()
    page.add_init_script(SCREEN_TAP)
    page.goto(served.writer + "&name=Marcus")
    page.wait_for_function("document.body.classList.contains('-first-byte')", timeout=20000)
    page.focus(".xterm-helper-textarea")
    wait_for_text(page, "Checkout errors after deploy")
    page.keyboard.press("c")
    wait_for_text(page, "Post an update")
    page.keyboard.press("Enter")
    wait_for_text(page, "Sent to your browser's clipboard")
    screen = page.evaluate("window.__screen")
    assert "shift+drag" not in screen and str(served.data_dir) not in screen
    deadline = time.monotonic() + 5
    copied = ""
    while time.monotonic() < deadline and "Checkout errors after deploy" not in copied:
        copied = page.evaluate("navigator.clipboard.readText()")
        page.wait_for_timeout(100)
    # The composer opens on the audience due first; its update is headed by the title.
    assert "Checkout errors after deploy: investigating" in copied
    [comms] = served.comms_events()
    assert comms.author == "Marcus" and "browser clipboard" in str(comms.data["method"])
    context.close()


def test_the_demo_serves_with_nothing_from_outside_and_leaves_nothing(
    tmp_path: Path, browser: Any
) -> None:
    from served import start_server

    server = start_server(tmp_path, demo=True)
    try:
        asked: list[str] = []
        page = open_tab(browser, server.viewer, requests=asked)
        wait_for_text(page, "Checkout")
        assert all(url.startswith(server.base + "/") for url in asked), asked
        assert list((tmp_path / "tmp").iterdir()), "the demo's data dir should exist meanwhile"
    finally:
        server.stop()
    assert list((tmp_path / "tmp").iterdir()) == []  # the throwaway data dir is gone
