"""Communications on the IC's screen: the ``c`` composer, ``z`` snooze, and update countdowns.

:class:`CommsPart` is one part of the IC's screen (see ``screens/part.py``): it computes the
per-audience countdowns the header draws, raises one reminder per overdue period, says so
when a severity change changes the cadence, and runs ``c`` and ``z`` (keys in ``actions.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from rich.text import Text
from textual.message import Message
from textual.notifications import Notification
from textual.reactive import reactive

from incident_tui.core.clock import Clock
from incident_tui.core.errors import IncidentError
from incident_tui.core.models import IncidentRecord, Severity
from incident_tui.ui.clipboard_ui import Copier, CopyOutcome, default_copier, start_copy
from incident_tui.ui.controller import IncidentController
from incident_tui.ui.loading import after_load
from incident_tui.ui.palette import Palette, default_palette
from incident_tui.ui.screens.part import ScreenPart
from incident_tui.ui.toasts import raise_toast, withdraw_toast

# The cadence rules and the config file load with the first record, not at start-up: a large
# incident's first frame shows only its header (see ui/loading.py).
if TYPE_CHECKING:  # the dialogs load when first opened (start-up time; see screens/main.py)
    from incident_tui.core.cadence import Countdown
    from incident_tui.core.posting import PostOutcome
    from incident_tui.ui.modals.compose import ComposedUpdate
    from incident_tui.ui.modals.snooze import SnoozeDraft


def countdown_text(items: list[Countdown], palette: Palette) -> Text:
    """``ext LATE 2m  int 12:00  stk 27:00``: late ones first, in bold red."""
    # Late ones first: the header is cut at the right edge on narrow terminals.
    active = sorted((item for item in items if item.active), key=lambda item: not item.overdue)
    if not active:
        return Text("updates as needed", style=palette.muted)
    text = Text()
    for index, item in enumerate(active):
        if index:
            text.append("  ")
        style = palette.late if item.overdue else "bold"
        text.append(item.short(), style=style)
    return text


def most_pressing(items: list[Countdown]) -> str:
    """The audience whose update is due first (internal when none has a countdown)."""
    active = [item for item in items if item.due_at is not None]
    if not active:
        return "internal"
    return min(active, key=lambda item: (item.due_at, item.audience)).audience


class CommsPart(ScreenPart):
    """Posting updates on schedule: the countdowns, one reminder per overdue period, ``c``, ``z``.

    The countdowns go up to the screen (for the header) as :class:`CountdownsChanged`.
    """

    palette: reactive[Palette] = reactive(default_palette)
    """Colours from the theme (bound from the screen)."""

    copier: Copier = staticmethod(default_copier)
    """Runs the clipboard chain; tests swap in one bound to their own environment."""

    @dataclass
    class CountdownsChanged(Message):
        """The per-audience countdowns changed (drawn in the header)."""

        countdowns: Text | str

    def __init__(self, controller: IncidentController, clock: Clock) -> None:
        super().__init__(controller, clock)
        self.items: list[Countdown] = []
        """The countdowns as last computed, internal first."""
        self._reminded: set[str] = set()
        self._reminders: dict[str, Notification] = {}
        """The overdue reminders on screen, by overdue period."""
        self._seen_severity: tuple[str, Severity] | None = None
        self._shown: object = None

    def watch_record(self, record: IncidentRecord | None) -> None:
        """A new version of the record: recompute, and notice a severity change."""
        if record is not None:
            seen = (record.incident.id, record.incident.severity)
            previous = self._seen_severity
            if previous is not None and previous[0] == seen[0] and previous[1] != seen[1]:
                from incident_tui.core.cadence import describe_cadence

                self.notify(
                    describe_cadence(seen[1], self.comms_config) + "; countdowns recomputed",
                    title="Update cadence changed",
                )
            self._seen_severity = seen
        self.tick()

    def watch_now(self) -> None:
        self.tick()

    def watch_config(self) -> None:
        self.tick()

    def watch_palette(self) -> None:
        self.tick()

    def tick(self) -> None:
        """Recompute the countdowns; remind once when one becomes overdue."""
        record, now = self.record, self.now
        if record is None or now is None:
            self._show([], "")
            return
        from incident_tui.core.cadence import countdowns, is_active

        items = countdowns(record, now, self.comms_config)
        if not is_active(record) and not any(item.active for item in items):
            # Closed, or resolved with every final update sent: the countdowns stop.
            self._show([], "")
            self._withdraw_stale(set())
            return
        self._show(items, countdown_text(items, self.palette))
        overdue = {key for item in items if (key := item.overdue_key) is not None}
        for item in items:
            key = item.overdue_key
            if key is None or key in self._reminded:
                continue
            self._reminded.add(key)
            hint = (
                "" if getattr(self.app, "read_only", False) else "; press c to post it (z snoozes)"
            )
            self._reminders[key] = raise_toast(
                self,
                f"{item.label} update is overdue{hint}",
                title="Update overdue",
                severity="warning",
                timeout=10,
            )
        self._withdraw_stale(overdue)

    def _withdraw_stale(self, overdue: set[str]) -> None:
        """Take back the reminders whose update has been posted or snoozed since."""
        for key in [key for key in self._reminders if key not in overdue]:
            withdraw_toast(self, self._reminders.pop(key))

    def _show(self, items: list[Countdown], text: Text | str) -> None:
        self.items = items
        # Rich's Text equality ignores the base style: compare it too (a theme change).
        key = (text.plain, text.spans, str(text.style)) if isinstance(text, Text) else text
        if key != self._shown:
            self._shown = key
            self.post_message(self.CountdownsChanged(text))

    def _countdowns(self) -> list[Countdown]:
        return self.items

    @after_load
    def action_compose_update(self) -> None:
        """``c``: open the composer for the audience due first; copy what comes back."""
        record = self.record
        if record is None or not self.has_incident():
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
        from incident_tui.core.posting import post_summary
        from incident_tui.core.templates import comms_event
        from incident_tui.ui.modals.compose import ManualCopyModal
        from incident_tui.ui.posting_ui import start_post

        record, now, config = self.record, self.clock.now(), self.comms_config

        def done(outcome: CopyOutcome) -> None:
            if update.post and record is not None:
                # Copied first, so a failed post never loses the text; logged once both end.
                start_post(self, update, record, now, config, partial(log, outcome))
            else:
                log(outcome, [], None)

        def log(outcome: CopyOutcome, posted: list[PostOutcome], post_error: str | None) -> None:
            summary, data = comms_event(
                update.audience, update.state, update.fmt, update.text, outcome.method
            )
            data["confirmed"] = outcome.confirmed
            if update.post:
                summary += " · " + ("NOT posted" if post_error else post_summary(posted))
                data["posted"] = [item.as_data() for item in posted]
                if post_error:
                    data["post_error"] = post_error
                self.report_post(posted, post_error)
            try:
                self.controller.record_update(
                    update.audience, update.text, summary=summary, details=data
                )
            except IncidentError as exc:
                self.notify(str(exc), title="Update not logged", severity="error", timeout=10)
                return
            self.written()
            if outcome.confirmed:
                self.notify(outcome.toast(), title="Update copied")
            else:
                self.notify(outcome.toast(), title="Clipboard not confirmed", severity="warning")
                self.app.push_screen(ManualCopyModal(update.text, outcome.note))

        start_copy(self, update.text, self.comms_config.clipboard_timeout, done, self.copier)

    def report_post(self, posted: list[PostOutcome], error: str | None) -> None:
        """Say at once where the update went, and why not where it failed."""
        from incident_tui.core.posting import post_summary

        failed = [item.line() for item in posted if not item.ok]
        if error or failed:
            self.notify(
                error or "\n".join(failed),
                title="Update NOT posted everywhere (it was copied)",
                severity="error",
                timeout=20,
            )
        elif posted:
            self.notify(post_summary(posted).capitalize(), title="Update posted")

    @after_load
    def action_snooze_update(self) -> None:
        """``z``: push one audience's reminder back; the snooze goes on the timeline."""
        if self.record is None or not self.has_incident():
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
            self.written()
            self.notify(snooze_text(draft.audience, minutes, until), title="Snoozed")

        self.app.push_screen(SnoozeModal(audience, duration, error), done)
