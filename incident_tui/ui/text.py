"""Turning stored user text and times into safe, display-ready Rich text.

Stored data is never altered: these helpers only change what is drawn.
"""

from __future__ import annotations

from datetime import UTC, datetime

from rich.text import Text
from textual.content import Content

from incident_tui.core.models import Severity
from incident_tui.core.sanitize import inert_lines
from incident_tui.ui.palette import Palette

_BREAKS_SHOWN = {0x0A: "\u240a", 0x09: "\u2409"}


def printable(text: str) -> str:
    """``text`` made inert by the core's one sanitiser (controls visible, bidi neutralised),
    with line breaks and tabs shown as symbols too: a pane row stays one row."""
    return inert_lines(text).translate(_BREAKS_SHOWN)


def plain_content(text: str) -> Content:
    """User text as Textual ``Content`` that is never parsed as markup (palette entries)."""
    return Content(printable(text))


def toast_text(text: str) -> str:
    """A toast's message or title: inert, and shown with ``markup=False`` by the app."""
    return inert_lines(text)


def one_line(exc: BaseException) -> str:
    """An error as the one line shown to the user (an OS error says it was not saved)."""
    if isinstance(exc, OSError):
        return f"not saved: {exc.strerror or exc}"
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def plain(text: str, style: str = "") -> Text:
    """User text as a Rich ``Text``: never parsed as markup, control characters made visible."""
    return Text(printable(text), style=style, no_wrap=False)


def clock_time(moment: datetime, utc: bool) -> str:
    """``HH:MM:SS`` in local time, or in UTC when ``utc`` is set."""
    shown = moment.astimezone(UTC) if utc else moment.astimezone()
    return shown.strftime("%H:%M:%S")


def short_time(moment: datetime, utc: bool) -> str:
    """``HH:MM`` in local time or UTC."""
    return clock_time(moment, utc)[:5]


def zone_label(utc: bool, now: datetime) -> str:
    """Which clock the times are in, as shown above the timeline."""
    if utc:
        return "UTC"
    name = now.astimezone().tzname() or "local"
    return f"local ({name})"


def elapsed(seconds: float) -> str:
    """A ticking stopwatch: ``0:40:12``, or ``2d 03:10:00`` past a day."""
    total = max(0, int(seconds))
    days, rest = divmod(total, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    clock = f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{days}d {clock}" if days else clock


def severity_badge(severity: Severity, palette: Palette) -> Text:
    """`` SEV-1 `` on its colour."""
    return Text(f" {severity.label} ", style=palette.severity[severity])
