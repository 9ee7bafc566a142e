"""One timeline event as the line drawn for it: time, kind, author and text, fitted to the
pane's width (narrow panes drop the seconds, shorten the kind and leave the author out)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

from incident_tui.core.models import TimelineEvent
from incident_tui.ui.palette import Palette
from incident_tui.ui.text import clock_time, printable

if TYPE_CHECKING:  # rules load with the record, not at start-up
    from incident_tui.core.rules import Correction

_KIND_WIDTH = 10
_AUTHOR_WIDTH = 14
_AUTHOR_MIN_PANE = 64
"""Below this width the author column is dropped to leave room for the text."""
_COMPACT_PANE = 40
"""Below this width times lose their seconds and kinds are cut to four letters."""


def event_line(
    event: TimelineEvent, width: int, utc: bool, palette: Palette, fix: Correction | None
) -> Text:
    """The row for ``event`` (``fix``: its amendment or strike, if any), cut to ``width``."""
    line = Text(no_wrap=True, overflow="ellipsis", end="")
    compact = width < _COMPACT_PANE  # a narrow terminal: HH:MM and a four-letter kind
    moment = clock_time(event.occurred_at, utc)
    line.append(moment[:5] if compact else moment, style="bold")
    line.append(" ")
    kind_style = palette.kind.get(event.kind, "")
    kind_width = 4 if compact else _KIND_WIDTH
    line.append(event.kind.value.upper()[:kind_width].ljust(kind_width), style=kind_style)
    line.append(" ")
    if width >= _AUTHOR_MIN_PANE:
        author = printable(event.author)
        if len(author) > _AUTHOR_WIDTH - 1:
            author = author[: _AUTHOR_WIDTH - 2] + "…"
        line.append(author.ljust(_AUTHOR_WIDTH), style=palette.muted)
    if fix is not None and fix.struck:
        line.append("STRUCK ", style="bold")
        line.append(printable(event.text), style="strike")
    elif fix is not None and fix.amended:
        line.append(printable(fix.text))
        line.append(" (amended)", style="italic")
    else:
        line.append(printable(event.text))
    line.truncate(width, overflow="ellipsis")
    return line
