"""Posting an update to its audience's destinations, through Apprise.

Apprise speaks Slack, Teams, Mattermost, Discord, e-mail, generic webhooks and a hundred
more; this module only decides each destination's body and reads back what happened. It is
called from a worker thread (the app) or the CLI: every send has a deadline, none is retried
(a retry could post the same update twice without anyone knowing), and every outcome names
the destination and a reason, never its URL.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from incident_tui.core.destinations import Destination, redact_url
from incident_tui.core.sanitize import inert, inert_lines
from incident_tui.core.templates import UpdateFormat, neutralise_mentions

POST_TIMEOUT = 10.0
"""Seconds one destination may take before it is reported as not answering."""

_ZWSP = "\u200b"
_URL = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*://[^\s'\"<>]+")

Refill = Callable[[UpdateFormat, Callable[[str], str] | None], str]
"""Fills the update again for another format (with an escaper for its values, if given)."""


@dataclass(frozen=True)
class PostOutcome:
    """What happened at one destination."""

    destination: str
    where: str
    """The redacted URL: scheme and host only."""
    ok: bool
    detail: str
    """"posted", or why not (already scrubbed of the URL's secrets)."""

    def line(self) -> str:
        """One line for a toast or the CLI."""
        if self.ok:
            return f"posted to {self.destination} ({self.where})"
        return f"NOT posted to {self.destination} ({self.where}): {self.detail}"

    def as_data(self) -> dict[str, Any]:
        """The outcome as stored in the comms event."""
        return {
            "destination": self.destination,
            "where": self.where,
            "ok": self.ok,
            "detail": self.detail,
        }


def slack_via_apprise(value: str) -> str:
    """User text for a Slack post: Apprise escapes ``&<>`` itself, but then turns a literal
    ``<!channel>`` back into a mention; a zero-width space after ``<`` and before the
    mrkdwn markers keeps all of it inert."""
    value = value.replace("<", "<" + _ZWSP)
    value = "".join(_ZWSP + ch if ch in "*_~`" else ch for ch in value)
    return neutralise_mentions(value)


def _unescape_slack(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def body_for(
    destination: Destination, text: str, fmt: UpdateFormat, refill: Refill | None
) -> tuple[str, str | None]:
    """The body for one destination and the format Apprise is told it is in.

    An update left as the template made it (``refill`` given) is filled again in the
    destination's own markup; an edited one is sent as typed, declared in its format.
    ``None`` as the format means "already in the service's markup, pass it through".
    """
    target = destination.format
    if refill is not None:
        if target is UpdateFormat.SLACK:
            return refill(UpdateFormat.SLACK, slack_via_apprise), None
        body = refill(target, None)
        return body, "markdown" if target is UpdateFormat.MARKDOWN else "text"
    if fmt is UpdateFormat.SLACK and target is UpdateFormat.SLACK:
        return _unescape_slack(text), None  # Apprise escapes these three again
    if fmt is UpdateFormat.MARKDOWN:
        return text, "markdown"
    return (_unescape_slack(text) if fmt is UpdateFormat.SLACK else text), "text"


def scrub(text: str, url: str) -> str:
    """``text`` with the URL and each secret part of it removed, and other URLs redacted."""
    text = text.replace(url, redact_url(url))
    secrets: set[str] = set()
    try:
        parts = urlsplit(url)
        secrets |= {parts.username or "", parts.password or ""}
        if redact_url(url).endswith("…"):
            secrets.add(parts.hostname or "")
        secrets |= {segment for segment in parts.path.split("/")}
        secrets |= {value for _key, value in parse_qsl(parts.query)}
    except ValueError:
        pass
    for secret in sorted((s for s in secrets if len(s) >= 3), key=len, reverse=True):
        text = text.replace(secret, "…")
    # A receiver's answer is text from outside: one inert line, like any user text.
    return inert(_URL.sub(lambda match: redact_url(match.group(0)), text))


def _quiet_apprise() -> None:
    """Apprise logs failures with details; they are read from its result instead, so its
    logger must never reach the terminal (Python's last-resort handler would print them)."""
    logger = logging.getLogger("apprise")
    if not any(isinstance(h, logging.NullHandler) for h in logger.handlers):
        logger.addHandler(logging.NullHandler())
    logger.propagate = False


def send_one(
    destination: Destination, body: str, body_format: str | None, timeout: float
) -> PostOutcome:
    """Post ``body`` to one destination, once, within ``timeout`` seconds."""
    import apprise

    _quiet_apprise()
    where = redact_url(destination.url)

    def failed(reason: str) -> PostOutcome:
        return PostOutcome(destination.name, where, False, scrub(reason, destination.url))

    plugin = apprise.Apprise.instantiate(destination.url)
    if not plugin:
        return failed("Apprise does not understand this URL; check its scheme and parts")
    plugin.socket_connect_timeout = timeout
    plugin.socket_read_timeout = timeout
    sender = apprise.Apprise()
    sender.add(plugin)
    started = time.monotonic()
    result = sender.notify(body=body, body_format=body_format, timeout=timeout)
    if result:
        return PostOutcome(destination.name, where, True, "posted")
    reasons = [e.message for e in result.logs() if e.level in ("WARNING", "ERROR", "CRITICAL")]
    reason = reasons[0] if reasons else "the service refused it (no reason given)"
    if result.timeout_count or time.monotonic() - started >= timeout * 0.9:
        # A read timeout reaches Apprise as a connection error: say what really happened.
        return failed(f"no answer within {timeout:g} s; not retried ({reason})")
    return failed(reason)


def post_update(
    destinations: list[Destination],
    text: str,
    fmt: UpdateFormat,
    refill: Refill | None = None,
    timeout: float | None = None,
    sender: Callable[[Destination, str, str | None, float], PostOutcome] = send_one,
) -> list[PostOutcome]:
    """Post to every destination at once; returns one outcome each, within about
    ``timeout`` seconds whatever the services do. Blocks: call it off the UI thread."""
    timeout = POST_TIMEOUT if timeout is None else timeout
    outcomes: list[PostOutcome | None] = [None] * len(destinations)

    def run(index: int, destination: Destination) -> None:
        try:
            body, body_format = body_for(destination, text, fmt, refill)
            body = inert_lines(body)  # an edited update is user text: no controls leave
            outcomes[index] = sender(destination, body, body_format, timeout)
        except Exception as exc:  # a plugin's bug must become an outcome, not a lost post
            reason = scrub(f"{type(exc).__name__}: {exc}", destination.url)
            outcomes[index] = PostOutcome(
                destination.name, redact_url(destination.url), False, reason
            )

    threads = [
        threading.Thread(target=run, args=(i, d), name=f"post-{i}", daemon=True)
        for i, d in enumerate(destinations)
    ]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + timeout + 1.0
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    return [
        outcome or PostOutcome(d.name, redact_url(d.url), False, f"no answer within {timeout:g} s")
        for outcome, d in zip(outcomes, destinations, strict=True)
    ]


def post_summary(outcomes: list[PostOutcome]) -> str:
    """One line for the timeline: where it went and where it did not."""
    done = [o.destination for o in outcomes if o.ok]
    failed = [o.destination for o in outcomes if not o.ok]
    parts = []
    if done:
        parts.append("posted to " + ", ".join(done))
    if failed:
        parts.append("NOT posted to " + ", ".join(failed))
    return "; ".join(parts) or "no destination for this audience"
