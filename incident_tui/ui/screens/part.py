"""What the IC screen's parts share: state bound from the screen, forms, and the messages up.

A part is an invisible widget that owns one concern (entries, comms, aids, switching). The
screen pushes the record, the clock's time and the UTC toggle down with ``data_bind``; a part
opens dialogs, calls the controller, and tells the screen what happened with a message. It
never reaches into the screen or a sibling.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, TypeVar

from textual.message import Message
from textual.reactive import reactive
from textual.screen import ModalScreen
from textual.widget import Widget

from incident_tui.core.clock import Clock
from incident_tui.core.errors import IncidentError, InvalidInputError
from incident_tui.core.models import IncidentRecord
from incident_tui.ui.controller import IncidentController
from incident_tui.ui.loading import BackgroundLoadScreen
from incident_tui.ui.modals.base import FormModal, When
from incident_tui.ui.text import clock_time, one_line

if TYPE_CHECKING:  # the config loads with the first record (start-up time)
    from incident_tui.core.config import Config

DraftT = TypeVar("DraftT")


class ScreenPart(Widget):
    """Base of the parts: bound state, the form round trip, and waiting for the load."""

    DEFAULT_CSS = "ScreenPart { display: none; }"

    record: reactive[IncidentRecord | None] = reactive(None, always_update=True)
    """The incident as last read (bound from the screen)."""
    now: reactive[datetime | None] = reactive(None, repaint=False)
    """The clock's time at the last tick (bound from the screen)."""
    utc: reactive[bool] = reactive(False)
    """Times shown in UTC (bound from the screen)."""
    config: reactive[Config | None] = reactive(None)
    """The user's config (bound from the screen, which reads it with the first record)."""

    @dataclass
    class Written(Message):
        """Something was saved: the screen re-reads the incident."""

    @dataclass
    class Opened(Message):
        """Another incident (or a newly declared one) is now the open one."""

        record: IncidentRecord | None

    @dataclass
    class ActionChosen(Message):
        """The user chose an action elsewhere (a nudge, say): the screen runs it by id."""

        action_id: str

    def __init__(self, controller: IncidentController, clock: Clock) -> None:
        super().__init__()
        self.controller = controller
        self.clock = clock

    @property
    def comms_config(self) -> Config:
        """The config in force (the defaults until the screen has read the user's)."""
        if self.config is None:
            from incident_tui.core.config import Config

            return Config()
        return self.config

    def run_when_loaded(self, callback: Callable[[], object]) -> bool:
        """Queue ``callback`` while the screen is still reading the incident (see loading)."""
        screen = self.screen
        return isinstance(screen, BackgroundLoadScreen) and screen.run_when_loaded(callback)

    @property
    def reading_incident(self) -> bool:
        """True while the screen is still reading a large incident."""
        screen = self.screen
        return isinstance(screen, BackgroundLoadScreen) and screen.record_loading

    def has_incident(self) -> bool:
        """True when an incident is open; otherwise say how to get one."""
        if self.controller.incident is None:
            self.notify("No incident open: press i to declare one.", severity="warning")
            return False
        return True

    def form(
        self,
        make: Callable[[DraftT, str], ModalScreen[DraftT | None]],
        draft: DraftT,
        save: Callable[..., object],
        error: str = "",
        when: When | None = None,
    ) -> None:
        """Open a form; save its draft; on failure say why and reopen it with the typed text.

        When ``save`` takes ``at``, the form gets a "When" field holding the moment of the
        keypress (now, or ``when.pressed``), which the scribe may change, and ``save`` is
        called with the moment chosen.
        """
        timed = "at" in inspect.signature(save).parameters
        if timed and when is None:
            when = self.when_now(self.clock.now())
        failed: list[str] = []

        def write(result: DraftT) -> None:
            """Save the draft and show it at once; a failure is kept for ``done``."""
            try:
                if when is not None and when.chosen is not None:
                    save(result, at=when.chosen)
                else:
                    save(result)
            except (IncidentError, OSError) as exc:
                failed.append(one_line(exc))
                return
            self.show_written()

        def done(result: DraftT | None) -> None:
            if result is None:
                return  # Esc: nothing is written
            if not saved_on_close:
                write(result)
            if failed:  # the dialog is closed now: say why, and open it again as typed
                message = failed[-1]
                self.notify(message, title="Not saved", severity="error", timeout=8)
                self.form(make, result, save, message, when)

        modal = make(draft, error)
        saved_on_close = isinstance(modal, FormModal)
        if isinstance(modal, FormModal):
            modal.when = when
            modal.on_save = write  # before the dialog is gone (see FormModal.on_save)
        self.app.push_screen(modal, done)

    def when_now(self, pressed: datetime) -> When:
        """The "When" field for a key pressed at ``pressed``."""
        from incident_tui.core.timeparse import parse_time

        utc = bool(getattr(self.screen, "utc", False))
        shown = clock_time(pressed, utc) + (" UTC" if utc else "")

        def parse(text: str) -> datetime:
            # The screen shows UTC: a clock time typed there is UTC too, not local time.
            now = self.clock.now()
            moment = parse_time(text.removesuffix(" UTC"), now, UTC if utc else None)
            if moment > now:
                raise InvalidInputError("a time cannot be in the future: it has not happened yet")
            return moment

        return When(pressed, shown, parse)

    def written(self) -> None:
        """Tell the screen something was saved."""
        self.post_message(self.Written())

    def show_written(self) -> None:
        """Have the screen show what was just saved now, in this turn of the event loop.

        A dialog saves as it closes (see ``form``): were the screen told by a message, the
        frame that uncovers it would be drawn before the message arrives, without the new
        entry, and a second frame (a layout and a full repaint) would follow with it.
        """
        screen = self.screen
        if isinstance(screen, BackgroundLoadScreen):
            screen.reload()
        else:
            self.written()
