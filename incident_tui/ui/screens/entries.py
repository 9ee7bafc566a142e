"""The IC screen's part for entries: events, decisions, action items, severity, status, export."""

from __future__ import annotations

from datetime import datetime

from incident_tui.core.errors import IncidentError
from incident_tui.core.models import ActionItem, Role, Status, TimelineEvent
from incident_tui.serve.browser import in_browser
from incident_tui.ui.loading import after_load
from incident_tui.ui.screens.part import ScreenPart
from incident_tui.ui.text import one_line

# The dialogs are imported by the actions that open them, not here: together with the
# widgets they use they cost about a quarter of the app's own start-up time, and none of
# them is on screen in the first frame (the loader warms them up once the incident is in).


class EntriesPart(ScreenPart):
    """``t``, ``d``, ``a``, ``s``, ``p`` and ``x``: one form (or file) each, saved at once."""

    def action_new_event(self) -> None:
        """``t``: capture the time now, then ask for the text."""
        self.event_form(self.clock.now())  # the keypress is the moment, not the Enter

    @after_load
    def event_form(self, occurred_at: datetime) -> None:
        """The event dialog for a moment already captured."""
        if not self.has_incident():
            return
        from incident_tui.ui.modals.event import EventDraft, EventModal

        self.form(
            lambda draft, error: EventModal(draft, error),
            EventDraft(occurred_at=occurred_at),
            self.controller.log_event,
            when=self.when_now(occurred_at),  # the moment t was pressed, not the Enter
        )

    @after_load
    def action_decision(self) -> None:
        """``d``: record a decision."""
        if self.has_incident():
            from incident_tui.ui.modals.decision import DecisionDraft, DecisionModal

            ic = self.controller.holders()[Role.IC]
            self.form(
                lambda draft, error: DecisionModal(draft, error),
                DecisionDraft(decided_by=ic[0] if ic else ""),
                self.controller.decide,
            )

    @after_load
    def action_action_item(self) -> None:
        """``a``: add an action item."""
        if self.has_incident():
            from incident_tui.ui.modals.action_item import ActionItemDraft, ActionItemModal

            self.form(
                lambda draft, error: ActionItemModal(draft, error),
                ActionItemDraft(),
                self.controller.add_action_item,
            )

    @after_load
    def action_severity(self) -> None:
        """``s``: change severity."""
        if not self.has_incident() or self.record is None:
            return
        from incident_tui.ui.modals.severity import SeverityDraft, SeverityModal

        current = self.record.incident.severity
        self.form(
            lambda draft, error: SeverityModal(draft, current, error),
            SeverityDraft(severity=current),
            self.controller.set_severity,
        )

    @after_load
    def action_status(self) -> None:
        """``p``: set the status; the next one along is offered first."""
        if not self.has_incident() or self.record is None:
            return
        from incident_tui.ui.modals.status import SETTABLE, StatusDraft, StatusModal

        current = self.record.incident.status
        if current is Status.CLOSED:  # the same dialog reopens it (investigating by default)

            def reopen(draft: StatusDraft, at: datetime | None = None) -> None:
                self.controller.reopen(status=draft.status, note=draft.note, at=at)

            self.form(
                lambda draft, error: StatusModal(draft, current, error),
                StatusDraft(status=Status.INVESTIGATING),
                reopen,
            )
            return
        following = (
            [s for s in SETTABLE if SETTABLE.index(s) > SETTABLE.index(current)]
            if (current in SETTABLE)
            else []
        )
        self.form(
            lambda draft, error: StatusModal(draft, current, error),
            StatusDraft(status=following[0] if following else current),
            self.controller.set_status,
        )

    @after_load
    def action_edit(self) -> None:
        """``e``: edit the header; only the fields changed are saved."""
        if not self.has_incident() or self.record is None:
            return
        from incident_tui.ui.modals.edit_header import EditHeaderModal, HeaderDraft

        before = HeaderDraft.of(self.record.incident)

        def save(draft: HeaderDraft, at: datetime | None = None) -> None:
            self.controller.edit_header(at=at, **draft.changes_from(before))

        self.form(lambda draft, error: EditHeaderModal(draft, error), before, save)

    @after_load
    def action_action_items(self) -> None:
        """``A``: the action items; Space marks one done, saved at once."""
        if not self.has_incident() or self.record is None:
            return
        from incident_tui.ui.modals.action_item import ActionItemDraft
        from incident_tui.ui.modals.action_items import ActionItemsModal

        def save_done(item_id: str, done: bool) -> ActionItem | str:
            try:
                item = self.controller.complete_action_item(item_id, done)
            except (IncidentError, OSError) as exc:
                return one_line(exc)
            self.written()
            return item

        def save_edit(
            item_id: str, before: ActionItemDraft, after: ActionItemDraft
        ) -> ActionItem | str:
            try:
                item = self.controller.edit_action_item(item_id, before, after)
            except (IncidentError, OSError) as exc:
                return one_line(exc)
            self.written()
            return item

        items = list(self.record.action_items)
        self.app.push_screen(
            ActionItemsModal(items, self.clock.now(), self.utc, save_done, save_edit)
        )

    def show_event(self, event: TimelineEvent) -> None:
        """One timeline row in full (Enter or a click on it)."""
        from incident_tui.core.rules import corrections, effective_text
        from incident_tui.ui.modals.row_detail import RowDetailModal

        record = self.record
        amendments = [
            e
            for e in (record.events if record else [])
            if event.id in (e.data.get("amends"), e.data.get("strikes"))
        ]
        current = effective_text(event, corrections(record)) if record else event.text

        def done(how: str | None) -> None:
            if how in ("amend", "strike") and not read_only:
                self.correct(event, current, striking=how == "strike")

        read_only = bool(getattr(self.app, "read_only", False))
        modal = RowDetailModal(event, amendments, self.utc, current, can_correct=not read_only)
        self.app.push_screen(modal, done)

    def correct(self, event: TimelineEvent, current: str, striking: bool) -> None:
        """Amend a row's text or strike it, through the controller (append-only)."""
        from incident_tui.ui.modals.correction import CorrectionModal

        def save(text: str, at: datetime | None = None) -> None:
            if striking:
                self.controller.strike(event.id, text, at=at)
            else:
                self.controller.amend(event.id, text, at=at)

        self.form(
            lambda text, error: CorrectionModal(striking, text, error),
            "" if striking else current,
            save,
        )

    @after_load
    def action_export(self) -> None:
        """``x``: write the Markdown summary and show where it went."""
        if not self.has_incident():
            return
        if in_browser() and self.record is not None:
            # A served tab: the file goes to the person at the browser, not the server's disk.
            from incident_tui.ui.browser_share import deliver_export

            name = deliver_export(self.app, self.record, self.clock.now())
            self.notify(f"{name} sent to your browser", title="Exported", timeout=10)
            return
        try:
            path = self.controller.export_markdown(utc=self.comms_config.export_utc)
        except (IncidentError, OSError, ImportError) as exc:
            self.notify(one_line(exc), title="Export failed", severity="error", timeout=8)
            return
        self.notify(str(path), title="Exported", timeout=10)
