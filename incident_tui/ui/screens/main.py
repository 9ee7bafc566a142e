"""The IC's screen: state held here and bound down to the panes; parts run the actions.

The screen owns the state (the record, the clock's time, the UTC toggle, the countdowns) as
reactives and binds them into the panes with ``data_bind``; it owns no rule and writes
nothing. What the IC does is run by one of its parts (``entries``, ``comms``, ``aids``,
``switching``), each an invisible widget that opens dialogs, calls the controller and posts
a message back (:class:`ScreenPart.Written`, ``Opened``, ``ActionChosen``). The keys, the
help and the command palette all come from one registry, ``ui/actions.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.reactive import reactive

from incident_tui.core.clock import Clock
from incident_tui.core.errors import IncidentError
from incident_tui.core.models import Incident, IncidentRecord
from incident_tui.ui import actions
from incident_tui.ui.comms import CommsPart
from incident_tui.ui.controller import IncidentController
from incident_tui.ui.loading import BackgroundLoadScreen, after_load
from incident_tui.ui.palette import Palette, default_palette, palette_of
from incident_tui.ui.read_only import allows
from incident_tui.ui.screens.aids import CommandAids
from incident_tui.ui.screens.entries import EntriesPart
from incident_tui.ui.screens.part import ScreenPart
from incident_tui.ui.screens.switching import SwitchingPart
from incident_tui.ui.text import one_line
from incident_tui.ui.widgets.action_items import ActionItemsPane
from incident_tui.ui.widgets.attention import AttentionStrip
from incident_tui.ui.widgets.decisions import DecisionLog
from incident_tui.ui.widgets.footer import KeyFooter
from incident_tui.ui.widgets.header import IncidentHeader
from incident_tui.ui.widgets.roles import RoleBoard
from incident_tui.ui.widgets.rubric import SeverityRubric
from incident_tui.ui.widgets.timeline import TimelineView

if TYPE_CHECKING:  # read with the first record, not at start-up (see ui/loading.py)
    from incident_tui.core.config import Config

POLL_SECONDS = 0.5
"""How often the file is stat'ed for writes by other processes (shows up within a second)."""


class IncidentScreen(BackgroundLoadScreen):
    """Header, attention strip, timeline, role board, rubric, decision log and footer.

    The state set on every write and tick (record, incident, countdowns) does not repaint
    the screen or its panes by itself: each pane repaints when what it shows changed, so a
    new event redraws the timeline and whatever else it changed, not every pane.
    """

    BINDINGS = actions.screen_bindings()

    record: reactive[IncidentRecord | None] = reactive(
        None, always_update=True, init=False, repaint=False
    )
    """The incident as last read from disk."""
    incident: reactive[Incident | None] = reactive(
        None, always_update=True, init=False, repaint=False
    )
    """The incident's header: ahead of ``record`` while a large incident is read."""
    now: reactive[datetime | None] = reactive(None, init=False, repaint=False)
    """The clock's time at the last tick."""
    utc: reactive[bool] = reactive(False, init=False)
    """Times shown in UTC instead of local time."""
    reading: reactive[bool] = reactive(False, init=False)
    """A large incident's events are still being read."""
    countdowns: reactive[Text | str] = reactive[Text | str](
        "", init=False, always_update=True, repaint=False
    )
    """The per-audience update countdowns, drawn in the header."""
    config: reactive[Config | None] = reactive(None, init=False)
    """The user's config, read with the first record."""
    search: reactive[str] = reactive("", init=False)
    """What the timeline search looks for ("" when not searching)."""
    palette: reactive[Palette] = reactive(default_palette, init=False)
    """The colours of the urgent text, from the theme (see ``ui/palette.py``)."""

    def __init__(
        self, controller: IncidentController, clock: Clock, header: Incident | None = None
    ) -> None:
        super().__init__()
        self.controller = controller
        self.clock = clock
        self._header_first = header
        """The header of an incident to be read after the first frame (a large one)."""
        self.set_reactive(IncidentScreen.now, clock.now())
        self.set_reactive(IncidentScreen.incident, header)
        self.set_reactive(IncidentScreen.reading, header is not None)
        self._burst: list[events.Key] | None = None
        """Keys typed right after a key that opens a text form, held for that form."""

    @property
    def read_only(self) -> bool:
        """The viewer's app (``open --read-only``): nothing can be written from this screen."""
        return bool(getattr(self.app, "read_only", False))

    def allows(self, action_id: str) -> bool:
        """Whether the registry's action ``action_id`` may run here (see ``ui/read_only.py``)."""
        return allows(self.read_only, "perform", (action_id,))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """In the viewer's app every key that could write is disabled (and not shown)."""
        return allows(self.read_only, action, parameters)

    def compose(self) -> ComposeResult:
        cls = IncidentScreen
        parts: tuple[ScreenPart, ...] = (
            EntriesPart(self.controller, self.clock),
            CommsPart(self.controller, self.clock).data_bind(cls.palette),
            CommandAids(self.controller, self.clock),
            SwitchingPart(self.controller, self.clock),
        )
        for part in parts:
            yield part.data_bind(cls.record, cls.now, cls.utc, cls.config)
        yield IncidentHeader(id="header").data_bind(
            cls.incident, cls.now, cls.utc, cls.palette, extra=cls.countdowns
        )
        with Vertical(id="attention"):
            yield AttentionStrip(id="attention-strip").data_bind(
                cls.record, cls.now, cls.palette, cls.config
            )
        with Horizontal(id="body"):
            yield TimelineView(id="timeline").data_bind(
                cls.record, cls.utc, cls.now, cls.reading, cls.palette, cls.search
            )
            with Vertical(id="sidebar"):
                yield RoleBoard(id="roles").data_bind(cls.record, cls.reading, cls.palette)
                with VerticalScroll(id="action-pane"):
                    yield ActionItemsPane(id="action-items").data_bind(
                        cls.record, cls.now, cls.utc, cls.palette
                    )
                with VerticalScroll(id="rubric-pane"):
                    yield SeverityRubric(id="rubric").data_bind(
                        cls.incident, cls.config, cls.palette
                    )
                with VerticalScroll(id="decision-pane"):
                    yield DecisionLog(id="decisions").data_bind(
                        cls.record, cls.utc, cls.reading, cls.palette
                    )
        yield KeyFooter()

    def on_mount(self) -> None:
        self.palette = palette_of(self.app)
        self.app.theme_changed_signal.subscribe(self, self._theme_changed)
        self.query_one("#roles").border_title = "Roles"
        self.query_one("#rubric-pane").border_title = "Severity rubric"
        self.query_one("#decision-pane").border_title = "Decisions"
        self.query_one(TimelineView).focus()
        self.set_interval(1.0, self._tick)
        self.set_interval(POLL_SECONDS, self._poll)
        if self._header_first is not None:
            self.load_in_background()
            return
        self.show(self.controller.record())
        if self.record is None:
            self.call_after_refresh(self.query_one(SwitchingPart).action_declare)
        else:
            self.call_after_refresh(self.warm_up)

    # -- state pushed down ----------------------------------------------------------------

    def _theme_changed(self, _theme: object) -> None:
        self.palette = palette_of(self.app)

    def show(self, record: IncidentRecord | None) -> None:
        """Make ``record`` the state every pane shows.

        The time is left to the next tick (within a second): setting it here as well would
        make every time-based pane (countdowns, nudges) work out the same record twice.
        """
        if self.config is None:
            self.config = self._read_config()
        self.reading = False
        self.incident = record.incident if record else None
        self.record = record

    def _read_config(self) -> Config:
        """The user's config; a broken file is reported and the defaults used."""
        from incident_tui.core.config import load_config

        loaded = load_config()
        if loaded.error:
            self.notify(loaded.error, title="Config not used", severity="error", timeout=12)
        return loaded.config

    def reload(self) -> None:
        """Re-read the open incident after a write."""
        self.show(self.controller.record())

    def _tick(self) -> None:
        self.now = self.clock.now()

    def _poll(self) -> None:
        try:
            record = self.controller.poll()
        except IncidentError as exc:
            self.notify(one_line(exc), title="Cannot read the incident", severity="error")
            return
        if record is not None:
            self.show(record)

    # -- what the parts say ---------------------------------------------------------------

    def on_screen_part_written(self, _message: ScreenPart.Written) -> None:
        self.reload()

    def on_screen_part_opened(self, message: ScreenPart.Opened) -> None:
        self.show(message.record)

    def on_screen_part_action_chosen(self, message: ScreenPart.ActionChosen) -> None:
        self.call_later(self.action_perform, message.action_id)

    def on_timeline_view_row_chosen(self, message: TimelineView.RowChosen) -> None:
        self.query_one(EntriesPart).show_event(message.event)

    def on_comms_part_countdowns_changed(self, message: CommsPart.CountdownsChanged) -> None:
        self.countdowns = message.countdowns

    def on_key(self, event: events.Key) -> None:
        """Keys typed in the same burst as a key that opens a text form (``t``, ``d``, ``a``,
        ``/``): a paste or a fast typist. They reach this screen before the form is open, so
        they are held here (not run as keys of this screen) and handed to the form."""
        if self._burst is not None:
            if event.key == "enter" or event.is_printable:
                event.stop()
                self._burst.append(events.Key(event.key, event.character))
            return
        bound = self.active_bindings.get(event.key)
        if bound is not None and bound.binding.id in actions.OPENS_TEXT_FORM:
            self._burst = []
            self.set_timer(1.0, self._end_burst)  # if no form opened after all

    def _end_burst(self) -> None:
        if self.record_loading and self._burst is not None:
            # The key's action waits for the incident: keep holding what is typed after it
            # for the form it opens then (see ``ran_waiting``).
            self.set_timer(1.0, self._end_burst)
            return
        self._burst = None

    def ran_waiting(self) -> None:
        """The keys pressed while the incident was read have run: what was typed after a
        form's key goes to the form now on top."""
        self._hand_burst()

    def _hand_burst(self) -> None:
        burst, self._burst = self._burst, None
        top = self.app.screen
        if burst and top is not self:
            for key in burst:
                top.post_message(key)

    # -- actions ----------------------------------------------------------------------------

    def action_perform(self, action_id: str) -> None:
        """Run the registry's action ``action_id`` on the part that owns it."""
        action = actions.BY_ID[action_id]
        if not self.allows(action_id):
            return  # the viewer's app: reached by a nudge or the palette, never by its key
        try:
            self._run(action)
        finally:
            # The form (if one opened) is on top now: the keys typed after its key go to it.
            # While the incident is still being read the form opens later: keep holding.
            if not (self.record_loading and self.app.screen is self):
                self._hand_burst()

    def _run(self, action: actions.IncidentAction) -> None:
        owner: object = self
        if action.part != "screen":
            owner = next(p for p in self.query(ScreenPart) if _PARTS[action.part] is type(p))
        method: Callable[[], Any] = getattr(owner, f"action_{action.name}")
        method()

    @after_load
    def action_toggle_utc(self) -> None:
        """``u``: local time / UTC."""
        self.utc = not self.utc

    @after_load
    def action_search(self) -> None:
        """``/``: search the timeline; an empty search ends it."""
        from incident_tui.ui.modals.search import SearchModal

        def done(query: str | None) -> None:
            if query is not None:
                self.search = query
                self.query_one(TimelineView).focus()

        self.app.push_screen(SearchModal(self.search), done)

    def action_search_next(self) -> None:
        """``]``: the next match."""
        self.query_one(TimelineView).jump_to_hit(1)

    def action_search_previous(self) -> None:
        """``[``: the previous match."""
        self.query_one(TimelineView).jump_to_hit(-1)

    def action_help(self) -> None:
        """``?``: every key and what it does (keys as remapped, if they were)."""
        from incident_tui.ui.modals.help import HelpModal

        keys = {
            active.binding.id: self.app.get_key_display(active.binding)
            for active in self.active_bindings.values()
            if active.node is self and active.binding.id
        }
        self.app.push_screen(HelpModal(actions.help_rows(keys)))

    def action_quit(self) -> None:
        """``q``: leave; every change was written when it was made."""
        self.app.exit()

    def open_incident_commands(self) -> list[tuple[str, str, Callable[[], Any]]]:
        """Command-palette entries for jumping to each other open incident."""
        return self.query_one(SwitchingPart).open_incident_commands()


_PARTS: dict[str, type[ScreenPart]] = {
    "entries": EntriesPart,
    "comms": CommsPart,
    "aids": CommandAids,
    "switching": SwitchingPart,
}
"""Which part class runs the actions of each ``IncidentAction.part``."""
