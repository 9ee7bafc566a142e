"""The IC's screen: panes get the record pushed down; keys open modals; the controller writes."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen

from incident_tui.core.clock import Clock
from incident_tui.core.errors import IncidentError
from incident_tui.core.models import Incident, IncidentRecord, Role
from incident_tui.ui.comms import COMMS_BINDINGS, CommsScreen
from incident_tui.ui.controller import IncidentController
from incident_tui.ui.loading import after_load
from incident_tui.ui.screens.aids import AID_BINDINGS, CommandAidsScreen
from incident_tui.ui.screens.switching import SwitchingScreen
from incident_tui.ui.text import clock_time, zone_label
from incident_tui.ui.text import one_line as _one_line
from incident_tui.ui.widgets.attention import AttentionStrip
from incident_tui.ui.widgets.decisions import DecisionLog
from incident_tui.ui.widgets.footer import KeyFooter
from incident_tui.ui.widgets.header import IncidentHeader
from incident_tui.ui.widgets.roles import RoleBoard
from incident_tui.ui.widgets.rubric import SeverityRubric
from incident_tui.ui.widgets.timeline import TimelineView

# The dialogs are imported by the actions that open them, not here: together with the
# widgets they use they cost about a quarter of the app's own start-up time, and none of
# them is on screen in the first frame (the loader warms them up once the incident is in).

GENERIC_ACTIONS = frozenset(
    binding.action for binding in Screen.BINDINGS if isinstance(binding, Binding)
)
"""Keys every Textual screen has (focus next/previous, copy); left out of the help."""

POLL_SECONDS = 0.5
"""How often the file is stat'ed for writes by other processes (shows up within a second)."""


class IncidentScreen(CommsScreen, CommandAidsScreen, SwitchingScreen):
    """Header, attention slot, timeline, role board, rubric, decision log and footer.

    Extension points for other panes: a widget with class ``record-view`` gets
    ``show_record(record, now, utc)`` after every change; one with class ``ticking`` gets
    ``tick(now)`` every second. ``#attention`` is an empty strip under the header.
    """

    BINDINGS = [
        Binding(
            "question_mark",
            "help",
            "Help",
            id="incident.help",
            key_display="?",
            tooltip="This list of keys",
        ),
        Binding(
            "t",
            "new_event",
            "Event",
            id="incident.event",
            tooltip="New timeline event; its time is taken when t is pressed",
        ),
        *COMMS_BINDINGS,  # posting the next update is the most repeated task: keep it in view
        Binding(
            "d",
            "decision",
            "Decision",
            id="incident.decision",
            tooltip="Record a decision: what, why and who decided",
        ),
        Binding(
            "a",
            "action_item",
            "Action",
            id="incident.action_item",
            tooltip="Add a follow-up action item with an owner",
        ),
        Binding(
            "r",
            "role",
            "Role",
            id="incident.role",
            tooltip="Assign a role or hand it off (IC, comms, ops, scribe, SME)",
        ),
        Binding(
            "s",
            "severity",
            "Severity",
            id="incident.severity",
            tooltip="Change the severity, with a reason",
        ),
        Binding(
            "p",
            "status",
            "Status",
            id="incident.status",
            tooltip="Set the status: investigating, identified, monitoring, resolved",
        ),
        *AID_BINDINGS,
        Binding(
            "x",
            "export",
            "Export",
            id="incident.export",
            tooltip="Export the incident summary to a Markdown file and show its path",
        ),
        Binding(
            "i",
            "switch",
            "Incidents",
            id="incident.switch",
            tooltip="Switch to another open incident, or declare a new one",
        ),
        Binding(
            "u",
            "toggle_utc",
            "UTC",
            id="incident.toggle_utc",
            tooltip="Show times in UTC or in local time",
        ),
        Binding(
            "q", "quit", "Quit", id="incident.quit", tooltip="Quit; everything is already saved"
        ),
    ]

    def __init__(
        self, controller: IncidentController, clock: Clock, header: Incident | None = None
    ) -> None:
        super().__init__()
        self.controller = controller
        self.clock = clock
        self._header_first = header
        """The header of an incident to be read after the first frame (a large one)."""
        self.record: IncidentRecord | None = None
        """The incident as last read from disk."""
        self.utc = False
        """Times shown in UTC instead of local time."""

    def compose(self) -> ComposeResult:
        yield IncidentHeader(id="header")
        with Vertical(id="attention"):
            yield AttentionStrip(id="attention-strip", classes="record-view ticking")
        with Horizontal(id="body"):
            yield TimelineView(id="timeline")
            with Vertical(id="sidebar"):
                yield RoleBoard(id="roles")
                with VerticalScroll(id="rubric-pane"):
                    yield SeverityRubric(id="rubric")
                with VerticalScroll(id="decision-pane"):
                    yield DecisionLog(id="decisions")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#roles").border_title = "Roles"
        self.query_one("#rubric-pane").border_title = "Severity rubric"
        self.query_one("#decision-pane").border_title = "Decisions"
        self.query_one(TimelineView).focus()
        self.set_interval(1.0, self._tick)
        self.set_interval(POLL_SECONDS, self._poll)
        if self._header_first is not None:
            self._show_header_only(self._header_first)
            self.load_in_background()
            return
        self.show(self.controller.record())
        if self.record is None:
            self.call_after_refresh(self.action_declare)
        else:
            self.call_after_refresh(self.warm_up)

    def _show_header_only(self, incident: Incident) -> None:
        """The first frame of a large incident: its header now, the rest once read."""
        now = self.clock.now()
        timeline = self.query_one(TimelineView)
        timeline.placeholder = "Reading the timeline…"
        timeline.border_title = f"Timeline · reading… · {zone_label(self.utc, now)}"
        self.query_one(IncidentHeader).show_incident(incident, now, self.utc)
        self.query_one(SeverityRubric).show_severity(incident.severity)
        # One line per role, as when filled, so the sidebar does not jump when they arrive.
        self.query_one(RoleBoard).update(Text("reading…" + "\n" * (len(Role) - 1), style="dim"))
        self.query_one(DecisionLog).update(Text("reading…", style="dim"))

    # -- state pushed down ----------------------------------------------------------------

    def show(self, record: IncidentRecord | None) -> None:
        """Push ``record`` into every pane."""
        self.record = record
        now = self.clock.now()
        timeline = self.query_one(TimelineView)
        timeline.show_record(record, self.utc)
        count = len(record.events) if record else 0
        timeline.border_title = f"Timeline · {count} events · {zone_label(self.utc, now)}"
        self.query_one(IncidentHeader).show_record(record, now, self.utc)
        self.query_one(RoleBoard).show_record(record)
        self.query_one(SeverityRubric).show_severity(record.incident.severity if record else None)
        if self.query_one(DecisionLog).show_record(record, self.utc):
            self.query_one("#decision-pane", VerticalScroll).scroll_end(animate=False)
        for view in self.query(".record-view"):
            view.show_record(record, now, self.utc)  # type: ignore[attr-defined]

    def reload(self) -> None:
        """Re-read the open incident after a write."""
        self.show(self.controller.record())

    def _tick(self) -> None:
        now = self.clock.now()
        self.query_one(IncidentHeader).tick(now)
        for view in self.query(".ticking"):
            view.tick(now)  # type: ignore[attr-defined]

    def _poll(self) -> None:
        try:
            record = self.controller.poll()
        except IncidentError as exc:
            self.notify(_one_line(exc), title="Cannot read the incident", severity="error")
            return
        if record is not None:
            self.show(record)

    # -- writing through modals -----------------------------------------------------------

    def _has_incident(self) -> bool:
        if self.controller.incident is None:
            self.notify("No incident open: press i to declare one.", severity="warning")
            return False
        return True

    def action_new_event(self) -> None:
        """``t``: capture the time now, then ask for the text."""
        self._event_form(self.clock.now())  # the keypress is the moment, not the Enter

    @after_load
    def _event_form(self, occurred_at: datetime) -> None:
        if not self._has_incident():
            return
        from incident_tui.ui.modals.event import EventDraft, EventModal

        shown = clock_time(occurred_at, self.utc) + (" UTC" if self.utc else "")
        self._form(
            lambda draft, error: EventModal(draft, shown, error),
            EventDraft(occurred_at=occurred_at),
            self.controller.log_event,
        )

    @after_load
    def action_decision(self) -> None:
        """``d``: record a decision."""
        if self._has_incident():
            from incident_tui.ui.modals.decision import DecisionDraft, DecisionModal

            ic = self.controller.holders()[Role.IC]
            self._form(
                lambda draft, error: DecisionModal(draft, error),
                DecisionDraft(decided_by=ic[0] if ic else ""),
                self.controller.decide,
            )

    @after_load
    def action_action_item(self) -> None:
        """``a``: add an action item."""
        if self._has_incident():
            from incident_tui.ui.modals.action_item import ActionItemDraft, ActionItemModal

            self._form(
                lambda draft, error: ActionItemModal(draft, error),
                ActionItemDraft(),
                self.controller.add_action_item,
            )

    @after_load
    def action_role(self) -> None:
        """``r``: assign or hand off a role; an empty IC is offered first."""
        if not self._has_incident():
            return
        from incident_tui.ui.modals.role import RoleDraft, RoleModal

        holders = self.controller.holders()
        first_gap = next((r for r in (Role.IC, Role.SCRIBE) if not holders[r]), Role.IC)
        self._form(
            lambda draft, error: RoleModal(draft, holders, error),
            RoleDraft(role=first_gap),
            self.assign_role_offering_brief,
        )

    @after_load
    def action_severity(self) -> None:
        """``s``: change severity."""
        if not self._has_incident() or self.record is None:
            return
        from incident_tui.ui.modals.severity import SeverityDraft, SeverityModal

        current = self.record.incident.severity
        self._form(
            lambda draft, error: SeverityModal(draft, current, error),
            SeverityDraft(severity=current),
            self.controller.set_severity,
        )

    @after_load
    def action_status(self) -> None:
        """``p``: set the status; the next one along is offered first."""
        if not self._has_incident() or self.record is None:
            return
        from incident_tui.ui.modals.status import SETTABLE, StatusDraft, StatusModal

        current = self.record.incident.status
        following = (
            [s for s in SETTABLE if SETTABLE.index(s) > SETTABLE.index(current)]
            if (current in SETTABLE)
            else []
        )
        self._form(
            lambda draft, error: StatusModal(draft, current, error),
            StatusDraft(status=following[0] if following else current),
            self.controller.set_status,
        )

    @after_load
    def action_export(self) -> None:
        """``x``: write the Markdown summary and show where it went."""
        if not self._has_incident():
            return
        try:
            path = self.controller.export_markdown(utc=self.comms_config.export_utc)
        except (IncidentError, OSError, ImportError) as exc:
            self.notify(_one_line(exc), title="Export failed", severity="error", timeout=8)
            return
        self.notify(str(path), title="Exported", timeout=10)

    @after_load
    def action_toggle_utc(self) -> None:
        """``u``: local time / UTC."""
        self.utc = not self.utc
        self.show(self.record)

    def action_help(self) -> None:
        """``?``: every key and what it does."""
        from incident_tui.ui.modals.help import HelpModal

        rows: list[tuple[str, str, str]] = []
        seen: set[str] = set()
        for key, active in self.active_bindings.items():
            binding = active.binding
            # Only the screen's own keys: focus and copy keys are the same everywhere.
            if active.node is not self or not binding.description or binding.action in seen:
                continue
            if binding.action in GENERIC_ACTIONS:
                continue
            seen.add(binding.action)
            shown = binding.key_display or self.app.get_key_display(binding)
            rows.append((shown or key, binding.description, binding.tooltip))
        rows.append(("ctrl+p", "Commands", "Command palette: every action above, searchable"))
        rows.append(("Esc", "Cancel", "Close a dialog without saving anything"))
        self.app.push_screen(HelpModal(rows))

    def action_quit(self) -> None:
        """``q``: leave; every change was written when it was made."""
        self.app.exit()
