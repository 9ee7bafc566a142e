"""What every ``incident-tui`` command shares: the clock, the lazy store, ``--incident``."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from incident_tui.core.clock import Clock, FrozenClock, SystemClock
from incident_tui.core.errors import InvalidInputError
from incident_tui.core.sanitize import inert_lines
from incident_tui.core.store import IncidentFile, IncidentStore, default_data_dir
from incident_tui.core.timeparse import parse_time

if TYPE_CHECKING:
    from incident_tui.core.config import Config

ENV_FROZEN_AT = "INCIDENT_TUI_FROZEN_AT"
"""Test hook: when set to an ISO-8601 time, the CLI's clock is frozen there."""

F = TypeVar("F", bound=Callable[..., Any])


def make_clock() -> Clock:
    """The wall clock, or a frozen one when ``$INCIDENT_TUI_FROZEN_AT`` is set (tests only)."""
    raw = os.environ.get(ENV_FROZEN_AT, "").strip()
    if not raw:
        return SystemClock()
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        raise InvalidInputError(f"{ENV_FROZEN_AT}={raw!r} is not an ISO-8601 time") from None
    return FrozenClock(moment if moment.tzinfo else moment.astimezone())


class Session:
    """What the group's options decide, handed to every command; the store opens lazily."""

    def __init__(self, data_dir: Path | None) -> None:
        self.data_dir = data_dir
        self._store: IncidentStore | None = None
        self._config: Config | None = None

    @property
    def opened(self) -> IncidentStore | None:
        """The store, if this invocation opened it."""
        return self._store

    @property
    def store(self) -> IncidentStore:
        if self._store is None:
            self._store = IncidentStore(self.data_dir or default_data_dir(), clock=make_clock())
        return self._store

    @property
    def config(self) -> Config:
        """The user's config; a broken file is reported on stderr and the defaults used."""
        if self._config is None:
            from incident_tui.core.config import load_config

            loaded = load_config()
            if loaded.error:
                click.echo(f"warning: {loaded.error}; using the built-in defaults", err=True)
            self._config = loaded.config
        return self._config

    def incident(self, incident_id: str | None) -> IncidentFile:
        """The named incident, or the most recent open one (only its header read so far)."""
        store = self.store
        return store.open(store.resolve_id(incident_id), read_all=False)

    def time(self, text: str | None) -> datetime | None:
        """A user's TIME (ISO-8601 or HH:MM meaning the latest such moment), or None."""
        return None if text is None else parse_time(text, self.store.clock.now())


def echo(text: str, *, err: bool = False, nl: bool = True) -> None:
    """Print to the terminal through the core's sanitiser: whatever user text a line holds,
    no control or bidi character reaches the terminal (line breaks are kept)."""
    click.echo(inert_lines(text), err=err, nl=nl)


def session() -> Session:
    """The current invocation's session."""
    return click.get_current_context().find_object(Session) or Session(None)


def incident_option(func: F) -> F:
    """``--incident ID``; the most recent open incident when left out."""
    return click.option(
        "--incident",
        "incident_id",
        metavar="ID",
        help="Incident id (a unique suffix like -2 works); default: the latest open one.",
    )(func)


def at_option(func: F) -> F:
    """``--at TIME``: when it happened (recorded-at is still the moment of writing)."""
    return click.option("--at", "at", metavar="TIME", help="When it happened (default: now).")(func)
