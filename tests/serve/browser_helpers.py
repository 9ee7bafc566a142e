"""Helpers for the browser tests: Debian's chromium, a screen tap, waiting for text."""

from __future__ import annotations

from typing import Any

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

SCREEN_TAP = r"""
(() => {
  // Keep a plain-text copy of what the server sends each terminal, so a test can see what
  // the page shows (xterm draws on a canvas). Escape sequences are dropped.
  const Native = window.WebSocket;
  const decoder = new TextDecoder();
  window.__screen = "";
  window.__sockets = [];
  function Tapped(url, protocols) {
    const socket = protocols === undefined ? new Native(url) : new Native(url, protocols);
    window.__sockets.push(socket);
    socket.addEventListener("message", (event) => {
      if (typeof event.data === "string") return;
      const text = decoder.decode(new Uint8Array(event.data), { stream: true });
      const plain = text
        .replace(/\x1b\[[0-9;?<>=]*[ -\/]*[@-~]/g, "")
        .replace(/\x1b\][^\x07]*\x07/g, "");
      window.__screen = (window.__screen + plain).slice(-2000000);
    });
    return socket;
  }
  Tapped.prototype = Native.prototype;
  Object.assign(Tapped, { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 });
  window.WebSocket = Tapped;
})();
"""


def open_tab(
    browser: Any, url: str, width: int = 1280, height: int = 800, requests: list[str] | None = None
) -> Any:
    """A new page (own context: own cookies) on ``url``, with the screen tap installed;
    every URL the page asks for is appended to ``requests`` when given."""
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    if requests is not None:
        page.on("request", lambda request: requests.append(request.url))
    page.add_init_script(SCREEN_TAP)
    page.goto(url)
    page.wait_for_function("document.body.classList.contains('-first-byte')", timeout=20000)
    page.focus(".xterm-helper-textarea")  # where xterm takes keys from, as after a click
    return page


def wait_for_text(page: Any, text: str, timeout: float = 10.0) -> None:
    """Wait until ``text`` has been drawn on the page's terminal."""
    page.wait_for_function(
        "(t) => window.__screen.includes(t)", arg=text, timeout=int(timeout * 1000)
    )
