"""The Textual app: opens the store's incident on the IC's screen."""

from __future__ import annotations

import gc
import os

from textual.app import App
from textual.binding import Binding
from textual.notifications import SeverityLevel

from incident_tui.core.clock import Clock
from incident_tui.core.errors import IncidentError, StoreError
from incident_tui.core.preferences import Preferences, load_preferences, save_preferences
from incident_tui.core.store import ENV_AUTHOR, IncidentStore
from incident_tui.serve.browser import in_browser
from incident_tui.ui.commands import IncidentCommands
from incident_tui.ui.controller import LOAD_IN_BACKGROUND_BYTES, IncidentController
from incident_tui.ui.loading import BackgroundLoadScreen, LoadFailed
from incident_tui.ui.screens.main import IncidentScreen
from incident_tui.ui.text import toast_text


class IncidentApp(App[None]):
    """The IC's cockpit for one data dir; starts on the declare form when nothing is open."""

    CSS_PATH = "app.tcss"
    TITLE = "incident-tui"
    COMMANDS = App.COMMANDS | {IncidentCommands}
    HORIZONTAL_BREAKPOINTS = [(0, "-tiny"), (70, "-narrow"), (110, "-wide"), (170, "-huge")]
    BINDINGS = [Binding("ctrl+p", "command_palette", "Commands", id="app.palette", show=False)]

    def __init__(
        self,
        store: IncidentStore,
        incident_id: str | None = None,
        clock: Clock | None = None,
        *,
        background_from: int = LOAD_IN_BACKGROUND_BYTES,
        read_only: bool = False,
    ) -> None:
        """Open ``incident_id`` (None: the latest open one); a file of ``background_from``
        bytes or more is read after the first frame."""
        super().__init__()
        self.read_only = read_only
        """The viewer's app: every key that could write is disabled (see ui/read_only.py)."""
        self.store = store
        self.clock: Clock = clock or store.clock
        self.controller = IncidentController(store, self.clock)
        self._header_first = self.controller.open_header_first(incident_id, background_from)
        remembered = load_preferences().theme
        if remembered in self.available_themes:
            self.theme = remembered
        self._theme_saved = self.theme
        self.load_error: IncidentError | OSError | None = None
        """Why the incident could not be read in the background (the app then ends)."""

    def watch_theme(self, theme: str) -> None:
        """Remember the theme chosen (from the command palette) for the next run."""
        if theme == getattr(self, "_theme_saved", theme):
            return
        self._theme_saved = theme
        try:
            save_preferences(Preferences(theme=theme))
        except OSError as exc:
            self.notify(f"not saved: {exc.strerror or exc}", title="Theme", markup=False)

    def get_default_screen(self) -> IncidentScreen:
        """The IC's screen is the app's first screen (no blank screen under it to draw)."""
        return IncidentScreen(self.controller, self.clock, self._header_first)

    def on_ready(self) -> None:
        """The first frame is on screen: a large incident's events can be read now."""
        screen = self.screen
        if isinstance(screen, BackgroundLoadScreen):
            screen.start_reading()
        if in_browser() and not self.read_only and not os.environ.get(ENV_AUTHOR):
            from incident_tui.ui.modals.name import NameModal

            self.push_screen(NameModal(), self.sign_as)

    def sign_as(self, name: str | None) -> None:
        """Every event written from here on carries ``name`` as its author."""
        if name:
            self.controller.sign_as(name)
            self.sub_title = name

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Every toast is plain text: user names and titles in a message are never read as
        markup, and control characters are made visible. Every ``notify`` in the app ends
        here (a screen's or a widget's passes on to its app's), so the calls need not say
        ``markup=False`` one by one; ``markup`` is taken for Textual's signature and ignored."""
        super().notify(
            toast_text(message),
            title=toast_text(title),
            severity=severity,
            timeout=timeout,
            markup=False,
        )

    def on_load_failed(self, message: LoadFailed) -> None:
        """The same outcome as a failed open before the app started: end with the error."""
        self.load_error = message.error
        self.exit(return_code=1)


def run_app(
    store: IncidentStore, incident_id: str | None = None, *, read_only: bool = False
) -> None:
    """Run the app full-screen until the user quits (the CLI calls this)."""
    app = IncidentApp(store, incident_id, read_only=read_only)
    # Everything imported so far lives as long as the process: move it out of the cyclic
    # collector's sight, so a full collection during the first frame (one came due there,
    # about 25 ms) walks only what the app creates from here on.
    gc.freeze()
    app.run()
    error = app.load_error
    if isinstance(error, OSError):
        raise StoreError(f"cannot read the incident: {error.strerror or error}")
    if error is not None:
        raise error
    if app.return_code:
        raise IncidentError(crash_message(app))


def crash_message(app: IncidentApp) -> str:
    """The line after a crash (Textual has printed the traceback): where the incident is, and
    that everything saved is safe, since each entry is on disk before the app shows it."""
    incident = app.controller.incident
    where = (
        f"{incident.id} is in {app.store.path_for(incident.id)}"
        if incident is not None
        else f"incidents are in {app.store.incidents_dir}"
    )
    return (
        f"the app crashed; {where}; nothing saved was lost (every entry is written to disk "
        "as it is made); reopen it with: incident-tui open"
    )
