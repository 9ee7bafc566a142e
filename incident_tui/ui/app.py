"""The Textual app: opens the store's incident on the IC's screen."""

from __future__ import annotations

from textual.app import App
from textual.binding import Binding

from incident_tui.core.clock import Clock
from incident_tui.core.store import IncidentStore
from incident_tui.ui.commands import IncidentCommands
from incident_tui.ui.controller import IncidentController
from incident_tui.ui.screens.main import IncidentScreen


class IncidentApp(App[None]):
    """The IC's cockpit for one data dir; starts on the declare form when nothing is open."""

    CSS_PATH = "app.tcss"
    TITLE = "incident-tui"
    COMMANDS = App.COMMANDS | {IncidentCommands}
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]
    BINDINGS = [Binding("ctrl+p", "command_palette", "Commands", id="app.palette", show=False)]

    def __init__(
        self, store: IncidentStore, incident_id: str | None = None, clock: Clock | None = None
    ) -> None:
        super().__init__()
        self.store = store
        self.clock: Clock = clock or store.clock
        self.controller = IncidentController(store, self.clock)
        self.controller.open(incident_id)

    def on_mount(self) -> None:
        self.push_screen(IncidentScreen(self.controller, self.clock))


def run_app(store: IncidentStore, incident_id: str | None = None) -> None:
    """Run the app full-screen until the user quits (the CLI calls this)."""
    IncidentApp(store, incident_id).run()
