"""The web server: textual-serve's app runner behind link tokens, one app process per tab.

Each browser tab gets its own ``incident-tui open`` process on the host, on the same data dir
(the store takes many writers and every app polls for the others' writes). The writer link
starts a normal app, the viewer link ``open --read-only``. Stopping the server ends them all.
"""

from __future__ import annotations

import asyncio
import contextlib
import shlex
import signal
import sys
from asyncio.subprocess import Process
from pathlib import Path
from typing import Any

import aiohttp_jinja2
import jinja2
from aiohttp import web
from aiohttp.web_runner import GracefulExit
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

from incident_tui.core.store import ENV_AUTHOR
from incident_tui.serve.access import Access, LinkTokens, cookie_name, token_middleware
from incident_tui.serve.browser import ENV_BROWSER, clean_name

TEMPLATES = Path(__file__).parent / "templates"
STOP_GRACE_SECONDS = 3.0
"""How long app processes get to quit when the server stops, before they are killed."""


class TabProcess(AppService):
    """One tab's app process, with the tab's access and name in its environment."""

    def __init__(
        self, command: str, extra_env: dict[str, str], running: set[Process], **kwargs: Any
    ) -> None:
        super().__init__(command, **kwargs)
        self._extra_env = extra_env
        self._running = running

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        environment = super()._build_environment(width, height)
        # The server's own login name must not sign a browser user's events.
        environment.pop(ENV_AUTHOR, None)
        environment.update(self._extra_env)
        return environment

    async def _open_app_process(self, width: int = 80, height: int = 24) -> Process:
        process = await super()._open_app_process(width, height)
        self._running.add(process)
        return process


class IncidentServer(Server):
    """``incident-tui serve``: the app for everyone holding a link, nobody else."""

    def __init__(
        self,
        data_dir: Path,
        incident_id: str,
        host: str = "127.0.0.1",
        port: int = 8000,
        tokens: LinkTokens | None = None,
    ) -> None:
        super().__init__(
            command="incident-tui",
            host=host,
            port=port,
            title=f"incident-tui · {incident_id}",
            templates_path=TEMPLATES,
        )
        self.data_dir = data_dir
        self.incident_id = incident_id
        self.tokens = tokens or LinkTokens()
        self.running: set[Process] = set()
        """Every app process started and not yet reaped."""

    # -- what the operator is told --------------------------------------------------------

    def link(self, access: Access) -> str:
        """The link to hand out for ``access``."""
        token = self.tokens.writer if access is Access.WRITER else self.tokens.viewer
        return f"{self.public_url}/?token={token}"

    def app_command(self, access: Access) -> str:
        """The shell command for one tab's app (``exec`` so stopping it stops the app)."""
        argv = [sys.executable, "-m", "incident_tui", "--data-dir", str(self.data_dir)]
        argv += ["open", self.incident_id]
        if access is Access.VIEWER:
            argv.append("--read-only")
        return "exec " + shlex.join(argv)

    # -- the web application --------------------------------------------------------------

    async def _make_app(self) -> web.Application:
        app = web.Application(middlewares=[token_middleware(self.tokens, self.port)])
        aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(self.templates_path))
        app.add_routes(
            [
                web.get("/", self.handle_index, name="index"),
                web.get("/ws/{ticket}", self.handle_websocket, name="websocket"),
                web.get("/download/{key}", self.handle_download, name="download"),
                web.static("/static", self.statics_path, name="static"),
            ]
        )
        app.on_startup.append(self.on_startup)
        app.on_shutdown.append(self.on_shutdown)
        return app

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        """The page: issues this tab's websocket ticket and sets the token cookie."""
        access: Access = request["access"]
        name = clean_name(request.query.get("name", ""))
        ticket = self.tokens.issue_ticket(access, name)
        scheme = "wss" if request.secure else "ws"
        context = {
            "title": self.title,
            "font_size": to_int(request.query.get("fontsize", "16"), 16),
            # The address the browser used, so an SSH tunnel on another port still works.
            "websocket_url": f"{scheme}://{request.host}/ws/{ticket}",
            "static_url": "/static/",
        }
        response = aiohttp_jinja2.render_template("app_index.html", request, context)
        token = request.query.get("token")
        if token:
            response.set_cookie(
                cookie_name(self.port), token, httponly=True, samesite="Strict", path="/"
            )
        response.headers["Cache-Control"] = "no-store"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """One tab's terminal: starts its app process, relays keys and screen until closed."""
        grant = self.tokens.redeem(request.match_info["ticket"])
        if grant is None:
            raise web.HTTPForbidden(text="403: this page has expired; reload it\n")
        extra = {ENV_BROWSER: grant.access.value}
        if grant.name:
            extra[ENV_AUTHOR] = grant.name
        websocket = web.WebSocketResponse(heartbeat=15)
        width = to_int(request.query.get("width", "80"), 80)
        height = to_int(request.query.get("height", "24"), 24)
        service: TabProcess | None = None
        try:
            await websocket.prepare(request)
            service = TabProcess(
                self.app_command(grant.access),
                extra,
                self.running,
                write_bytes=websocket.send_bytes,
                write_str=websocket.send_str,
                close=websocket.close,
                download_manager=self.download_manager,
            )
            await service.start(width, height)
            await self._process_messages(websocket, service)
        except asyncio.CancelledError:
            await websocket.close()
        finally:
            if service is not None:
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(service.stop(), STOP_GRACE_SECONDS)
            self._reap()
        return websocket

    # -- starting and stopping ------------------------------------------------------------

    async def on_startup(self, app: web.Application) -> None:
        """Nothing to print here: the command prints the links before serving."""

    async def on_shutdown(self, app: web.Application) -> None:
        """End every app process this server started: ask, wait a moment, then kill."""
        await stop_processes(self.running, STOP_GRACE_SECONDS)

    def _reap(self) -> None:
        for process in [p for p in self.running if p.returncode is not None]:
            self.running.discard(process)

    def run(self) -> None:
        """Serve until SIGINT or SIGTERM; every app process is ended before this returns."""
        self.initialize_logging()
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        for signum in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError):
                loop.add_signal_handler(signum, self.request_exit)
        try:
            web.run_app(
                self._make_app(),
                host=self.host,
                port=self.port,
                handle_signals=False,
                loop=loop,
                print=None,
                access_log=None,
            )
        finally:
            # on_shutdown has ended them; this is for a start-up that failed half way.
            for process in self.running:
                if process.returncode is None:
                    with contextlib.suppress(ProcessLookupError):
                        process.kill()

    def request_exit(self) -> None:
        raise GracefulExit()


async def stop_processes(running: set[Process], grace: float) -> None:
    """Terminate every process in ``running``, kill those still there after ``grace`` s."""
    alive = [p for p in running if p.returncode is None]
    for process in alive:
        with contextlib.suppress(ProcessLookupError):
            process.terminate()
    for process in alive:
        try:
            await asyncio.wait_for(process.wait(), grace)
        except TimeoutError:
            with contextlib.suppress(ProcessLookupError):
                process.kill()
            await process.wait()
    running.clear()
