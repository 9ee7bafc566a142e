"""The severity rubric, always visible, with the incident's current level highlighted."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group
from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from incident_tui.core.models import Incident, Severity
from incident_tui.core.rubric import RUBRIC
from incident_tui.ui.palette import Palette, default_palette

if TYPE_CHECKING:  # the config (and tomllib) loads with the first record, off the first frame
    from incident_tui.core.config import Config


class SeverityRubric(Static):
    """All four levels: definition, ack target and cadence; the current one also its response.

    The current level is marked, bold and fully wrapped; the others keep to one line each
    so the whole rubric fits in the sidebar without scrolling.
    """

    incident: reactive[Incident | None] = reactive(None, always_update=True, repaint=False)
    """The open incident (its severity is the one highlighted); bound from the screen."""
    config: reactive[Config | None] = reactive(None)
    palette: reactive[Palette] = reactive(default_palette)
    """Colours from the theme (bound from the screen)."""
    """The user's config: the update cadences shown are the configured ones."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.current: Severity | None = None
        self._drawn: object = None

    def watch_incident(self) -> None:
        self._redraw()

    def watch_config(self) -> None:
        self._redraw()

    def watch_palette(self) -> None:
        self._redraw()

    def _redraw(self) -> None:
        current = self.incident.severity if self.incident else None
        key = (current, self.config, self.palette)
        if key == self._drawn:
            return
        self.current = current
        self._drawn = key
        self.update(self.rubric_text(current, self.config, self.palette))

    @staticmethod
    def rubric_text(
        current: Severity | None, config: Config | None = None, palette: Palette | None = None
    ) -> Group:
        """The rubric as text, the current level marked and expanded.

        The update cadences come from ``config`` (left out until it has been read).
        """
        palette = palette or default_palette()
        muted = palette.muted
        parts: list[Text] = []
        for severity, level in RUBRIC.items():
            is_current = severity == current
            head = Text(no_wrap=True, overflow="ellipsis")
            marker = "▶ " if is_current else "  "
            head.append(marker, style="bold")
            head.append(f" {level.label} ", style=palette.severity[severity])
            head.append(f" ack {level.ack_target}", style="bold" if is_current else muted)
            if config is not None:
                head.append(f" · {_every(severity, config)}", style="bold" if is_current else muted)
            parts.append(head)
            if is_current:
                parts.append(Text(f"  {level.definition}"))
                if config is not None:
                    parts.append(Text(f"  Updates: {_per_audience(severity, config)}"))
                parts.append(Text(f"  Response: {level.response}", style="italic"))
            else:
                # Other levels stay one line each so all four fit without scrolling.
                parts.append(
                    Text(f"  {level.definition}", style=muted, no_wrap=True, overflow="ellipsis")
                )
        return Group(*parts)


def _every(severity: Severity, config: Config) -> str:
    """The most frequent configured update, ``every 15m``, or ``as needed``."""
    from incident_tui.core.config import AUDIENCES
    from incident_tui.core.timeparse import format_duration

    intervals = [i for a in AUDIENCES if (i := config.interval(severity, a)) is not None]
    return f"every {format_duration(min(intervals))}" if intervals else "as needed"


def _per_audience(severity: Severity, config: Config) -> str:
    """``int 15m · stk 30m · ext 30m`` as configured (the header's countdown tags)."""
    from incident_tui.core.config import AUDIENCES
    from incident_tui.core.timeparse import format_duration

    shown = []
    for audience in AUDIENCES:
        interval = config.interval(severity, audience)
        every = format_duration(interval) if interval else "as needed"
        shown.append(f"{_TAGS.get(audience, audience)} {every}")
    return " · ".join(shown)


_TAGS = {"internal": "int", "stakeholders": "stk", "external": "ext"}
