"""Communications on the IC's screen: the ``c`` composer, ``z`` snooze, and update countdowns.

:class:`CommsScreen` is a base for the IC's screen: it adds the two keys (with ids, so they
reach the footer, the help and the command palette) and mounts :class:`UpdateCountdowns`,
which draws per-audience countdowns into the header strip, raises one reminder per overdue
period and says so when a severity change changes the cadence.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from rich.text import Text
from textual.binding import Binding
from textual.widget import Widget

from incident_tui.core.errors import IncidentError
from incident_tui.core.models import IncidentRecord, Severity
from incident_tui.ui.clipboard_ui import Copier, CopyOutcome, default_copier, start_copy
from incident_tui.ui.loading import BackgroundLoadScreen, after_load
from incident_tui.ui.widgets.header import IncidentHeader

# The cadence rules and the config file load with the first record, not at start-up: a large
# incident's first frame shows only its header (see ui/loading.py).
if TYPE_CHECKING:  # the dialogs load when first opened (start-up time; see screens/main.py)
    from incident_tui.core.cadence import Countdown
    from incident_tui.core.clock import Clock
    from incident_tui.core.config import Config
    from incident_tui.ui.controller import IncidentController
    from incident_tui.ui.modals.compose import ComposedUpdate
    from incident_tui.ui.modals.snooze import SnoozeDraft


def countdown_text(items: list[Countdown]) -> Text:
    """``ext LATE 2m  int 12:00  stk 27:00``: late ones first, in bold red."""
    # Late ones first: the header is cut at the right edge on narrow terminals.
    active = sorted((item for item in items if item.active), key=lambda item: not item.overdue)
    if not active:
        return Text("updates as needed", style="dim")
    text = Text()
    for index, item in enumerate(active):
        if index:
            text.append("  ")
        style = "bold white on red" if item.overdue else "bold"
        text.append(item.short(), style=style)
    return text


def most_pressing(items: list[Countdown]) -> str:
    """The audience whose update is due first (internal when none has a countdown)."""
    active = [item for item in items if item.due_at is not None]
    if not active:
        return "internal"
    return min(active, key=lambda item: (item.due_at, item.audience)).audience


class UpdateCountdowns(Widget):
    """Invisible: keeps the header's countdowns current and raises the reminders."""

    DEFAULT_CSS = "UpdateCountdowns { display: none; }"

    def __init__(self, config: Callable[[], Config]) -> None:
        super().__init__(classes="record-view ticking", id="update-countdowns")
        self._config = config
        self.record: IncidentRecord | None = None
        self.items: list[Countdown] = []
        """The countdowns as last computed, internal first."""
        self._reminded: set[str] = set()
        self._seen_severity: tuple[str, Severity] | None = None

    @property
    def config(self) -> Config:
        """The user's config (read on first use)."""
        return self._config()

    def on_mount(self) -> None:
        screen = self.screen
        record = getattr(screen, "record", None)
        clock = getattr(screen, "clock", None)
        if isinstance(record, IncidentRecord) and clock is not None:
            self.show_record(record, clock.now(), False)

    def show_record(self, record: IncidentRecord | None, now: datetime, utc: bool) -> None:
        """A new version of the record: recompute, and notice a severity change."""
        self.record = record
        if record is not None:
            seen = (record.incident.id, record.incident.severity)
            previous = self._seen_severity
            if previous is not None and previous[0] == seen[0] and previous[1] != seen[1]:
                from incident_tui.core.cadence import describe_cadence

                self.notify(
                    describe_cadence(seen[1], self.config) + "; countdowns recomputed",
                    title="Update cadence changed",
                )
            self._seen_severity = seen
        self.tick(now)

    def tick(self, now: datetime) -> None:
        """Redraw the countdowns; remind once when one becomes overdue."""
        header = self.screen.query_one(IncidentHeader)
        if self.record is None:
            self.items = []
            header.extra = ""
            return
        from incident_tui.core.cadence import countdowns, is_active

        items = countdowns(self.record, now, self.config)
        if not is_active(self.record) and not any(item.active for item in items):
            # Closed, or resolved with every final update sent: the countdowns stop.
            self.items = []
            header.extra = ""
            return
        self.items = items
        header.extra = countdown_text(self.items)
        for item in self.items:
            key = item.overdue_key
            if key is None or key in self._reminded:
                continue
            self._reminded.add(key)
            self.notify(
                f"{item.label} update is overdue; press c to post it (z snoozes)",
                title="Update overdue",
                severity="warning",
                timeout=10,
            )


COMMS_BINDINGS = [
    Binding(
        "c",
        "compose_update",
        "Update",
        id="incident.compose_update",
        tooltip="Compose a status update for one audience and copy it; restarts its countdown",
    ),
    Binding(
        "z",
        "snooze_update",
        "Snooze",
        id="incident.snooze_update",
        tooltip="Snooze one audience's update reminder for a chosen time (logged)",
    ),
]
"""The communications keys; the IC's screen splices them into its ``BINDINGS``."""


class CommsScreen(BackgroundLoadScreen):
    """Base for the IC's screen: the keys and glue for posting updates on schedule."""

    # Provided by the IC's screen.
    record: IncidentRecord | None
    controller: IncidentController
    clock: Clock

    copier: Copier = staticmethod(default_copier)
    """Runs the clipboard chain; tests swap in one bound to their own environment."""

    _comms_config: Config | None = None

    def reload(self) -> None:
        """Re-read the incident after a write (the IC's screen provides it)."""
        raise NotImplementedError

    @property
    def comms_config(self) -> Config:
        """The user's config, read once; a broken file is reported and the defaults used."""
        if self._comms_config is None:
            from incident_tui.core.config import load_config

            loaded = load_config()
            if loaded.error:
                self.notify(loaded.error, title="Config not used", severity="error", timeout=12)
            self._comms_config = loaded.config
        return self._comms_config

    def on_mount(self) -> None:
        self.mount(UpdateCountdowns(lambda: self.comms_config))

    def _countdowns(self) -> list[Countdown]:
        return self.query_one(UpdateCountdowns).items

    @after_load
    def action_compose_update(self) -> None:
        """``c``: open the composer for the audience due first; copy what comes back."""
        record = self.record
        if record is None or self.controller.incident is None:
            self.notify("No incident open: press i to declare one.", severity="warning")
            return
        from incident_tui.core.cadence import suggested_audience
        from incident_tui.ui.modals.compose import ComposeModal

        now = self.clock.now()
        modal = ComposeModal(
            record,
            now,
            self.comms_config,
            audience=suggested_audience(record, now, self.comms_config),
        )
        self.app.push_screen(modal, self._copy_update)

    def _copy_update(self, update: ComposedUpdate | None) -> None:
        if update is None:
            return  # Esc: nothing copied, nothing logged
        incident = self.controller.incident
        if incident is None:
            return
        from incident_tui.core.templates import comms_event
        from incident_tui.ui.modals.compose import ManualCopyModal

        def done(outcome: CopyOutcome) -> None:
            summary, data = comms_event(
                update.audience, update.state, update.fmt, update.text, outcome.method
            )
            data["confirmed"] = outcome.confirmed
            try:
                self.controller.record_update(
                    update.audience, update.text, summary=summary, details=data
                )
            except IncidentError as exc:
                self.notify(str(exc), title="Update not logged", severity="error", timeout=10)
                return
            self.reload()
            if outcome.confirmed:
                self.notify(outcome.toast(), title="Update copied")
            else:
                self.notify(outcome.toast(), title="Clipboard not confirmed", severity="warning")
                self.app.push_screen(ManualCopyModal(update.text, outcome.result.summary()))

        start_copy(self, update.text, self.comms_config.clipboard_timeout, done, self.copier)

    @after_load
    def action_snooze_update(self) -> None:
        """``z``: push one audience's reminder back; the snooze goes on the timeline."""
        if self.record is None or self.controller.incident is None:
            self.notify("No incident open: press i to declare one.", severity="warning")
            return
        items = self._countdowns()
        if not any(item.active for item in items):
            self.notify("No update countdown is running, so there is nothing to snooze.")
            return
        overdue = [item.audience for item in items if item.overdue]
        audience = overdue[0] if overdue else most_pressing(items)
        self._snooze_form(audience, "10m", "")

    def _snooze_form(self, audience: str, duration: str, error: str) -> None:
        from incident_tui.core.cadence import snooze_text
        from incident_tui.ui.modals.snooze import SnoozeModal

        def done(draft: SnoozeDraft | None) -> None:
            incident = self.controller.incident
            if draft is None or incident is None:
                return
            now = self.clock.now()
            until = now + draft.duration
            minutes = int(draft.duration.total_seconds() // 60)
            try:
                self.controller.snooze(draft.audience, minutes)
            except IncidentError as exc:
                self._snooze_form(draft.audience, f"{minutes}m", str(exc))
                return
            self.reload()
            self.notify(snooze_text(draft.audience, minutes, until), title="Snoozed")

        self.app.push_screen(SnoozeModal(audience, duration, error), done)
