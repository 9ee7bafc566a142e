"""Keys pressed while a large incident is still being read wait for it, then run.

The IC's screen opens on the incident's header and reads the rest in a worker thread (see
``IncidentController.open_header_first``). An action that needs the whole incident is
wrapped in :func:`after_load`: pressed during the load, it is queued and runs once the
incident is in, so no key is lost and none acts on half an incident.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
from collections.abc import Callable
from functools import partial, wraps
from typing import TYPE_CHECKING, Concatenate, ParamSpec, Protocol, TypeVar

from textual import work
from textual.css.query import NoMatches
from textual.message import Message
from textual.screen import Screen

from incident_tui.core.errors import IncidentError
from incident_tui.ui.widgets.timeline import TimelineView

if TYPE_CHECKING:
    from incident_tui.core.models import IncidentRecord, TimelineEvent
    from incident_tui.core.store import IncidentFile
    from incident_tui.core.store.watch import Watcher
    from incident_tui.ui.controller import IncidentController

P = ParamSpec("P")

PREVIEW = 200
"""How many of the newest events a large incident shows before the rest is read."""

WITH_RECORD = ("incident_tui.core.nudges", "incident_tui.core.cadence")
"""Modules the panes need as soon as the record is in: the loader imports them with it."""

WARM_UP = (
    "incident_tui.ui.modals.event",
    "incident_tui.ui.modals.decision",
    "incident_tui.ui.modals.action_item",
    "incident_tui.ui.modals.role",
    "incident_tui.ui.modals.severity",
    "incident_tui.ui.modals.status",
    "incident_tui.ui.modals.compose",
    "incident_tui.ui.modals.help",
    "incident_tui.core.clipboard",
    "incident_tui.core.timeparse",
)
"""Modules left out of start-up, imported off the UI thread once the screen is up, so the
first ``t`` or ``c`` does not pay for them."""


class WaitsForLoad(Protocol):
    """A screen that may still be reading its incident."""

    def run_when_loaded(self, callback: Callable[[], object]) -> bool:
        """Queue ``callback`` and return True while loading; return False otherwise."""
        ...


S = TypeVar("S", bound=WaitsForLoad)


def after_load(action: Callable[Concatenate[S, P], None]) -> Callable[Concatenate[S, P], None]:
    """Run ``action`` now, or, while the incident is loading, as soon as it is loaded."""

    @wraps(action)
    def run(self: S, /, *args: P.args, **kwargs: P.kwargs) -> None:
        if not self.run_when_loaded(partial(run, self, *args, **kwargs)):
            action(self, *args, **kwargs)

    return run


class IncidentFileChanged(Message):
    """A ``*.db`` file in the incidents folder was written (by any process)."""


class LoadFailed(Message):
    """Reading the incident in the background failed; the app ends with ``error``."""

    def __init__(self, error: IncidentError | OSError) -> None:
        super().__init__()
        self.error = error


class BackgroundLoadScreen(Screen[None]):
    """Base of the IC's screen: reads a large incident after the first frame.

    The screen calls :meth:`load_in_background` when the controller deferred the read; until
    :meth:`show` gets the record, actions wrapped in :func:`after_load` wait in a queue.
    """

    controller: IncidentController

    record_loading = False
    """True from the first frame until the incident has been read."""

    _waiting: list[Callable[[], object]]
    _watcher: Watcher | None = None

    def show(self, record: IncidentRecord | None) -> None:
        """Push ``record`` into every pane (the IC's screen provides it)."""
        raise NotImplementedError

    def reload(self) -> None:
        """Show the incident as it is on disk now, after a write of ours (the IC's screen
        provides it)."""
        raise NotImplementedError

    def _poll(self) -> None:
        """Show what another process wrote, if anything (the IC's screen provides it)."""
        raise NotImplementedError

    # -- being told of other processes' writes ------------------------------------------

    def on_mount(self) -> None:
        self.call_after_refresh(self._watch_files)

    @work(thread=True, exclusive=True, group="watch-files")
    def _watch_files(self) -> None:
        """Have inotify wake the screen when an incident file changes, so another shell's
        ``log`` shows at once; the periodic ``stat`` poll stays as the fallback."""
        from incident_tui.core.store.watch import start_watching

        folder = self.controller.store.incidents_dir
        self._watcher = start_watching(
            folder, lambda _name: self.post_message(IncidentFileChanged())
        )

    def on_incident_file_changed(self, message: IncidentFileChanged) -> None:
        message.stop()
        self._poll()

    def on_unmount(self) -> None:
        if self._watcher is not None:
            self._watcher.stop()
            self._watcher = None

    def run_when_loaded(self, callback: Callable[[], object]) -> bool:
        """Queue ``callback`` while loading (and say so once); False when already loaded."""
        if not self.record_loading:
            return False
        if not self._waiting:
            self.notify("Still reading the incident; that key runs as soon as it is in.")
        self._waiting.append(callback)
        return True

    _reading = False

    def load_in_background(self) -> None:
        """Read the incident once the first frame (the header) is on screen.

        The app calls :meth:`start_reading` on Textual's ``Ready`` (sent when the first frame
        has been drawn); the screen's first idle moment is the fallback, whichever is first.
        Not before: the reading thread would compete with the first frame for the GIL.
        """
        self.record_loading = True
        self._waiting = []
        self.call_after_refresh(self.start_reading)

    def start_reading(self) -> None:
        """Start the background read (once; only after :meth:`load_in_background`)."""
        if self.record_loading and not self._reading:
            self._reading = True
            self._read_incident()

    @work(thread=True, exclusive=True, group="load-incident")
    def _read_incident(self) -> None:
        # Reading creates some 100,000 objects that all stay alive; with the cyclic collector
        # on, the growing heap is walked again and again (a third of the read at 10,000
        # events). Nothing on the UI thread needs it for these few tens of milliseconds.
        gc.disable()
        try:
            self._preview()
            incident, record = self.controller.finish_open()
            for name in WITH_RECORD:
                importlib.import_module(name)
        except (IncidentError, OSError) as exc:
            self.app.call_from_thread(self._failed, exc)
            return
        finally:
            # What was read lives as long as the incident is open and holds no cycles: out
            # of the collector's sight, a full collection while the IC types walks only
            # what is new (at 100,000 events such a pass took some 100 ms).
            gc.freeze()
            gc.enable()
        self.app.call_from_thread(self._loaded, incident, record)

    def _preview(self) -> None:
        """Show the newest rows first: read the last few events alone, draw them, then read
        the rest (about 30 ms against some 500 ms for 100,000 events). Keys still wait for
        the whole incident."""
        pending = self.controller.pending_id
        if pending is None:
            return
        try:
            recent = self.controller.store.open(pending, read_all=False).recent_events(PREVIEW)
        except (IncidentError, OSError):
            return  # the full read reports it
        if recent:
            self.app.call_from_thread(self._show_preview, recent)

    def _show_preview(self, events: list[TimelineEvent]) -> None:
        if self.record_loading:
            with contextlib.suppress(NoMatches):
                self.query_one(TimelineView).show_preview(events)

    def _loaded(self, incident: IncidentFile, record: IncidentRecord) -> None:
        self.controller.opened(incident)
        self.record_loading = self._reading = False
        try:
            self.show(record)
        except NoMatches:
            return  # the app quit while the incident was being read: its panes are gone
        waiting, self._waiting = self._waiting, []
        for callback in waiting:
            callback()
        self.ran_waiting()
        self.call_after_refresh(self.warm_up)

    def ran_waiting(self) -> None:
        """Called once the keys that waited for the incident have run (a hook)."""

    @work(thread=True, exclusive=True, group="warm-up")
    def warm_up(self) -> None:
        """Import the dialogs in the background (see ``WARM_UP``)."""
        for name in WARM_UP:
            importlib.import_module(name)
        # The screen, its panes and the dialogs' modules now live as long as the app: out of
        # the cyclic collector's sight, a full collection while the IC types walks only the
        # little that typing creates.
        gc.freeze()

    def _failed(self, error: IncidentError | OSError) -> None:
        self.record_loading = self._reading = False
        self._waiting = []
        self.post_message(LoadFailed(error))
