"""A small HTTP receiver on 127.0.0.1 for the posting tests: records, fails or hangs."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Receiver:
    """What arrived, and how to answer: ``ok`` (200), ``fail`` (500) or ``hang``."""

    mode: str = "ok"
    port: int = 0
    received: list[tuple[str, bytes]] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.port}"


@contextmanager
def receiver(mode: str = "ok", hang_seconds: float = 15.0) -> Iterator[Receiver]:
    """Serve until the block ends; a hanging request is released then (bounded anyway)."""
    state = Receiver(mode)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            state.received.append((self.path, self.rfile.read(length)))
            if state.mode == "hang":
                state.release.wait(hang_seconds)
            code = 500 if state.mode == "fail" else 200
            self.send_response(code)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"no" if code == 500 else b"ok")

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state.port = int(server.server_address[1])
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        state.release.set()
        server.shutdown()
        server.server_close()
