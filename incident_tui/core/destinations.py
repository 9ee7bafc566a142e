"""Where updates are posted: named chat/status destinations, each an Apprise URL and audiences.

They live in ``destinations.toml`` beside ``config.toml``::

    [destinations.incident-channel]
    url = "slack://T000/B000/XXXXXXXX"      # any Apprise URL
    audiences = ["internal"]
    # format = "slack"                       # plain, markdown or slack; from the URL if left out

A URL carries its service's secret (a webhook token, a password), so the file is refused
unless only its owner can read it (mode 0600), and a URL is never shown whole: everything the
app prints, logs or stores names a destination by its name and :func:`redact_url`.
"""

from __future__ import annotations

import os
import stat
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from incident_tui.core.config import AUDIENCES, ConfigError, config_dir
from incident_tui.core.errors import InvalidInputError
from incident_tui.core.templates import UpdateFormat, parse_format

DESTINATIONS_NAME = "destinations.toml"

_SLACK_SCHEMES = frozenset({"slack", "slacks"})
_MARKDOWN_SCHEMES = frozenset(
    {"mmost", "mmosts", "workflow", "workflows", "discord", "gchat", "rocket",
     "rockets", "matrix", "matrixs", "zulip", "ntfy", "ntfys", "tgram", "guilded"}
)  # fmt: skip
"""Services whose messages render Markdown (Apprise converts it where they differ)."""


@dataclass(frozen=True)
class Destination:
    """One place updates go: its name, its Apprise URL (a secret), who it serves."""

    name: str
    url: str
    audiences: tuple[str, ...]
    format: UpdateFormat

    @property
    def shown(self) -> str:
        """The destination as it may be printed or stored: name and redacted URL."""
        return f"{self.name} ({redact_url(self.url)})"

    def __repr__(self) -> str:  # a stray repr in a log or traceback must not leak the URL
        return f"Destination({self.name!r}, {redact_url(self.url)!r}, {self.audiences!r})"


def redact_url(url: str) -> str:
    """``scheme://host`` and nothing else; a host that is itself a token becomes ``…``."""
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname or ""
    except ValueError:
        return "(unreadable URL)"
    scheme = parts.scheme or "?"
    looks_like_host = host == "localhost" or "." in host or ":" in host
    return f"{scheme}://{host if looks_like_host else '…'}"


def format_for(url: str) -> UpdateFormat:
    """The markup a service reads, from its URL's scheme (plain when unknown)."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme in _SLACK_SCHEMES or parts.hostname == "hooks.slack.com":
        return UpdateFormat.SLACK
    if scheme in _MARKDOWN_SCHEMES:
        return UpdateFormat.MARKDOWN
    return UpdateFormat.PLAIN


def destinations_path() -> Path:
    """Where the destinations are read from (it need not exist)."""
    return config_dir() / DESTINATIONS_NAME


def load_destinations(path: Path | None = None) -> list[Destination]:
    """Every destination in the file ([] when there is none); raises ``ConfigError``."""
    path = path or destinations_path()
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read ({exc.strerror or exc})") from None
    with os.fdopen(fd, "rb") as handle:
        mode = os.fstat(handle.fileno()).st_mode  # the file read, not a swapped-in one
        raw_bytes = handle.read()
    try:
        raw = tomllib.loads(raw_bytes.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from None
    found = _build(raw, path)
    if found and mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise ConfigError(
            f"{path} holds webhook URLs (secrets) but is readable by others "
            f"(mode {stat.S_IMODE(mode):04o}); fix it with: chmod 600 {path}"
        )
    return found


def _build(raw: dict[str, Any], path: Path) -> list[Destination]:
    unknown = set(raw) - {"destinations"}
    if unknown:
        raise ConfigError(f"{path}: unknown table {sorted(unknown)[0]!r}; use [destinations.NAME]")
    table = raw.get("destinations", {})
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: 'destinations' must be tables: [destinations.NAME]")
    found: list[Destination] = []
    for name, entry in table.items():
        where = f"{path}: destination {name!r}"
        if not isinstance(entry, dict):
            raise ConfigError(f"{where} must be a table with url and audiences")
        extra = set(entry) - {"url", "audiences", "format"}
        if extra:
            raise ConfigError(f"{where}: unknown key {sorted(extra)[0]!r}")
        url = entry.get("url")
        if not isinstance(url, str) or "://" not in url:
            raise ConfigError(f"{where}: url must be an Apprise URL such as slack://…")
        audiences = entry.get("audiences")
        if (
            not isinstance(audiences, list)
            or not audiences
            or any(a not in AUDIENCES for a in audiences)
        ):
            raise ConfigError(f"{where}: audiences must be a list of: {', '.join(AUDIENCES)}")
        fmt = entry.get("format", "")
        try:
            chosen = parse_format(fmt) if fmt else format_for(url)
        except (InvalidInputError, AttributeError):
            raise ConfigError(f"{where}: format must be plain, markdown or slack") from None
        found.append(Destination(name, url.strip(), tuple(audiences), chosen))
    return found


def for_audience(destinations: list[Destination], audience: str) -> list[Destination]:
    """The destinations that serve ``audience``, in file order."""
    return [d for d in destinations if audience in d.audiences]
