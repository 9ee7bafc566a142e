"""Declaring an incident and switching between open ones (``i``, and the command palette).

Kept apart from ``main.py`` so the screen stays short: :class:`SwitchingScreen` is one of the
IC's screen's base classes.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from incident_tui.core.errors import IncidentError
from incident_tui.core.models import IncidentRecord
from incident_tui.ui.loading import BackgroundLoadScreen, after_load
from incident_tui.ui.text import one_line as _one_line

if TYPE_CHECKING:
    from incident_tui.ui.modals.declare import DeclareDraft


class SwitchingScreen(BackgroundLoadScreen):
    """Declare a new incident or show another open one; the IC's screen provides ``show``."""

    record: IncidentRecord | None

    @after_load
    def action_declare(self, draft: DeclareDraft | None = None, error: str = "") -> None:
        """Open the declare form; on success the new incident fills the screen."""
        from incident_tui.ui.modals.declare import DeclareDraft, DeclareModal

        def done(result: DeclareDraft | None) -> None:
            if result is None:
                return
            try:
                record = self.controller.declare(result)
            except (IncidentError, OSError) as exc:
                message = _one_line(exc)
                self.notify(message, title="Not declared", severity="error", timeout=8)
                self.action_declare(result, message)
                return
            self.show(record)
            self.notify(f"Declared {record.incident.id}", title="Incident declared")

        self.app.push_screen(
            DeclareModal(draft or DeclareDraft(severity=self.controller.default_severity()), error),
            done,
        )

    @after_load
    def action_switch(self) -> None:
        """``i``: switch to another open incident or declare a new one."""
        from incident_tui.ui.modals.switch import DECLARE_NEW, SwitchIncidentModal

        try:
            incidents = self.controller.open_incidents()
        except IncidentError as exc:
            self.notify(_one_line(exc), severity="error")
            return
        current = self.controller.incident.id if self.controller.incident else None

        def done(choice: str | None) -> None:
            if choice == DECLARE_NEW:
                self.action_declare()
            elif choice is not None:
                self.open_incident(choice)

        self.app.push_screen(SwitchIncidentModal(incidents, current), done)

    def open_incident(self, incident_id: str) -> None:
        """Show another incident."""
        try:
            record = self.controller.open(incident_id)
        except IncidentError as exc:
            self.notify(_one_line(exc), title="Cannot open", severity="error")
            return
        self.show(record)

    def open_incident_commands(self) -> list[tuple[str, str, Callable[[], Any]]]:
        """Command-palette entries for jumping to each other open incident."""
        if self.record_loading:
            return []  # the store is busy in the loader thread; the keys above still wait
        current = self.controller.incident.id if self.controller.incident else None
        try:
            incidents = self.controller.open_incidents()
        except IncidentError:
            return []
        return [
            (
                f"Open {s.id}: {s.title}",
                f"{s.severity.label} · {s.status.value}",
                partial(self.open_incident, s.id),
            )
            for s in incidents
            if s.id != current
        ]
