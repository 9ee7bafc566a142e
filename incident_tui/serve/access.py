"""Who may reach the served app: two random link tokens, checked on every request.

textual-serve has no login, so anyone who reaches its port could type into the incident.
Here every request (the page, its static files, the websocket, a download) needs a valid
token, compared in constant time, or gets 403. The page sets the token as a cookie scoped to
this server, so the script's own requests (websocket, downloads) carry it without the URL.
"""

from __future__ import annotations

import hmac
import secrets
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from enum import StrEnum

from aiohttp import web

TOKEN_BYTES = 24
"""Random bytes in each link token (32 URL-safe characters)."""

TICKET_SECONDS = 60.0
"""How long the page's websocket ticket stays valid (a tab connects within a second)."""


class Access(StrEnum):
    """What a link lets its holder do."""

    WRITER = "writer"
    VIEWER = "viewer"


@dataclass(frozen=True)
class Grant:
    """One page load's right to start one app process: its access and the user's name."""

    access: Access
    name: str | None
    issued: float


@dataclass
class LinkTokens:
    """The writer's and the viewer's secrets, made fresh at every start of the server."""

    writer: str = field(default_factory=lambda: secrets.token_urlsafe(TOKEN_BYTES))
    viewer: str = field(default_factory=lambda: secrets.token_urlsafe(TOKEN_BYTES))
    _tickets: dict[str, Grant] = field(default_factory=dict)

    def access_for(self, token: str | None) -> Access | None:
        """The access a token gives, or None; both are always compared (constant time)."""
        given = (token or "").encode()
        as_writer = hmac.compare_digest(given, self.writer.encode())
        as_viewer = hmac.compare_digest(given, self.viewer.encode())
        if not token:
            return None
        if as_writer:
            return Access.WRITER
        return Access.VIEWER if as_viewer else None

    def issue_ticket(self, access: Access, name: str | None) -> str:
        """A one-use ticket naming what the websocket from this page may start."""
        now = time.monotonic()
        for key in [k for k, g in self._tickets.items() if now - g.issued > TICKET_SECONDS]:
            del self._tickets[key]
        ticket = secrets.token_urlsafe(16)
        self._tickets[ticket] = Grant(access, name, now)
        return ticket

    def redeem(self, ticket: str) -> Grant | None:
        """The grant behind a ticket, once; None for an unknown, used or stale one."""
        grant = self._tickets.pop(ticket, None)
        if grant is None or time.monotonic() - grant.issued > TICKET_SECONDS:
            return None
        return grant


def cookie_name(port: int) -> str:
    """The token cookie's name; cookies ignore ports, so two servers must not share one."""
    return f"incident_tui_token_{port}"


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def token_middleware(tokens: LinkTokens, port: int) -> Callable[..., Awaitable[web.StreamResponse]]:
    """aiohttp middleware: 403 for any request without a valid token (query or cookie)."""

    @web.middleware
    async def require_token(request: web.Request, handler: Handler) -> web.StreamResponse:
        token = request.query.get("token") or request.cookies.get(cookie_name(port))
        access = tokens.access_for(token)
        if access is None:
            raise web.HTTPForbidden(text="403: this link needs its token (ask for a new link)\n")
        request["access"] = access
        return await handler(request)

    return require_token
