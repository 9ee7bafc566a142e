"""The severity rubric, always visible, with the incident's current level highlighted."""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual.widgets import Static

from incident_tui.core.models import Severity
from incident_tui.core.rubric import RUBRIC
from incident_tui.ui.text import SEVERITY_STYLES


class SeverityRubric(Static):
    """All four levels: definition, ack target and cadence; the current one also its response.

    The current level is marked, bold and fully wrapped; the others keep to one line each
    so the whole rubric fits in the sidebar without scrolling.
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.current: Severity | None = None
        self._drawn = False

    def show_severity(self, severity: Severity | None) -> None:
        """Highlight ``severity`` (or nothing when no incident is open)."""
        if severity == self.current and self._drawn:
            return
        self.current = severity
        self._drawn = True
        self.update(self.rubric_text(severity))

    @staticmethod
    def rubric_text(current: Severity | None) -> Group:
        """The rubric as text, the current level marked and expanded."""
        parts: list[Text] = []
        for severity, level in RUBRIC.items():
            is_current = severity == current
            head = Text(no_wrap=True, overflow="ellipsis")
            marker = "▶ " if is_current else "  "
            head.append(marker, style="bold")
            head.append(f" {level.label} ", style=SEVERITY_STYLES[severity])
            head.append(
                f" ack {level.ack_target} · {level.cadence}",
                style="bold" if is_current else "dim",
            )
            parts.append(head)
            if is_current:
                parts.append(Text(f"  {level.definition}"))
                parts.append(Text(f"  Response: {level.response}", style="italic"))
            else:
                # Other levels stay one line each so all four fit without scrolling.
                parts.append(
                    Text(f"  {level.definition}", style="dim", no_wrap=True, overflow="ellipsis")
                )
        return Group(*parts)
