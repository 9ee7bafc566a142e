"""The command aids on the IC's screen: mitigate, verify, resolution checklist and close,
roles and the handoff brief, and acting on nudges.

One part of the IC's screen (see ``screens/part.py``); its keys are in ``ui/actions.py``.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from textual import work

from incident_tui.core.errors import IncidentError
from incident_tui.core.models import EventKind, Role, Status
from incident_tui.core.store import IncidentFile
from incident_tui.ui.loading import after_load
from incident_tui.ui.screens.part import ScreenPart
from incident_tui.ui.text import one_line as _one_line

if TYPE_CHECKING:  # the dialogs load when first opened (start-up time; see screens/main.py)
    from incident_tui.core.nudges import Nudge
    from incident_tui.ui.modals.role import RoleDraft


class CommandAids(ScreenPart):
    """The aids' actions: mitigate, verify, checklist and close, handoffs and roles, nudges."""

    # -- plumbing ----------------------------------------------------------------------------

    def _incident_file(self) -> IncidentFile | None:
        if self.controller.incident is None:
            self.notify("No incident open: press i to declare one.", severity="warning")
        return self.controller.incident

    # -- m and v: mitigation -----------------------------------------------------------------

    @after_load
    def action_mitigation(self) -> None:
        """``m``: choose a mitigation pattern; it is logged as applied (a milestone)."""
        incident = self._incident_file()
        if incident is None:
            return

        from incident_tui.core.playbook import MITIGATIONS, mitigation, mitigation_text
        from incident_tui.ui.modals.mitigation import MitigationDraft, MitigationModal

        def save(draft: MitigationDraft, at: datetime | None = None) -> None:
            text = mitigation_text(mitigation(draft.pattern), draft.detail)
            self.controller.apply_mitigation(text, at=at)

        self.form(
            lambda draft, error: MitigationModal(draft, error),
            MitigationDraft(pattern=MITIGATIONS[0].key),
            save,
        )

    @after_load
    def action_verify(self) -> None:
        """``v``: mark the mitigation verified, which also ticks that resolution criterion."""
        incident = self._incident_file()
        if incident is None:
            return
        from incident_tui.core.playbook import mitigation_what
        from incident_tui.ui.modals.verify import VerifyModal

        applied = incident.record().events_of(EventKind.MITIGATION)
        # "Applied: Roll back", not "Applied: Mitigation applied: Roll back".
        latest = next(
            (
                mitigation_what(e.text)
                for e in reversed(applied)
                if e.data.get("milestone") == "mitigated"
            ),
            None,
        )

        def save(how: str, at: datetime | None = None) -> None:
            self.controller.verify_mitigation(how, at=at)

        self.form(lambda text, error: VerifyModal(latest, text, error), "", save)

    # -- k: resolution checklist and closing --------------------------------------------------

    @after_load
    def action_checklist(self) -> None:
        """``k``: tick resolution criteria; ``c`` in the dialog goes on to close the incident."""
        incident = self._incident_file()
        if incident is None:
            return
        header = incident.incident
        if header.status is Status.CLOSED:
            self.notify("This incident is already closed.", severity="warning")
            return
        from incident_tui.core.playbook import checklist_state
        from incident_tui.ui.modals.checklist import ChecklistModal, ChecklistResult

        def save_tick(key: str, ticked: bool) -> str | None:
            try:
                self.controller.tick_criteria({key: ticked})
            except (IncidentError, OSError) as exc:
                return _one_line(exc)
            self.written()
            return None

        def done(result: ChecklistResult | None) -> None:
            if result is not None and result.close:
                self.close_incident()

        modal = ChecklistModal(
            checklist_state(incident.record()),
            verified=header.verified_at is not None,
            save_tick=save_tick,
        )
        self.app.push_screen(modal, done)

    def close_incident(self) -> None:
        """Ask for the AAR date (listing open action items), then close the incident."""
        incident = self._incident_file()
        if incident is None:
            return
        from incident_tui.core.playbook import RESOLUTION_CRITERIA, checklist_state
        from incident_tui.ui.modals.close import CloseDraft, CloseModal

        record = incident.record()
        today = self.clock.now().astimezone().date()
        open_items = [item for item in record.action_items if not item.done]
        state = checklist_state(record)
        missing = [c for c in RESOLUTION_CRITERIA if not state[c.key]]

        def save(draft: CloseDraft, at: datetime | None = None) -> None:
            self.controller.close(draft.aar_date, at=at)

        window = self.controller.config.aar  # the user's [aar] window, not the built-in one
        self.form(
            lambda draft, error: CloseModal(draft, today, open_items, missing, error, window),
            CloseDraft(aar_date=window.default_date(today)),
            save,
        )

    # -- h and r: handoffs -------------------------------------------------------------------

    @after_load
    def action_handoff(self) -> None:
        """``h``: the handoff brief, ready to copy."""
        from incident_tui.core.handoff import handoff_brief

        incident = self._incident_file()
        if incident is not None:
            config = self.comms_config
            self.show_brief(handoff_brief(incident.record(), self.clock.now(), config=config))

    def show_brief(self, brief: str, title: str = "Handoff brief") -> None:
        """Show a brief; copying it (``y``) goes through the clipboard chain."""
        from incident_tui.ui.modals.handoff import HandoffModal

        def done(text: str | None) -> None:
            if text is not None:
                self.copy_brief(text)

        self.app.push_screen(HandoffModal(brief, title), done)

    @work(thread=True, exclusive=True, group="copy-brief")
    def copy_brief(self, text: str) -> None:
        """Copy off the UI thread: a clipboard tool may take a second or hang on a bad display."""
        from incident_tui.core.clipboard import copy_text

        result = copy_text(text)
        if result.wants_osc52:
            self.app.call_from_thread(self.app.copy_to_clipboard, text)
        self.app.call_from_thread(self.notify, result.summary(), title="Handoff brief")

    def assign_role_offering_brief(self, draft: RoleDraft, at: datetime | None = None) -> None:
        """Assign a role; when it was a handoff, offer the brief for the new holder at once."""
        before = self.controller.holders()[draft.role]
        self.controller.assign_role(draft, at=at)
        if draft.role is Role.SME or not before:
            return
        incident = self.controller.incident
        if incident is not None:
            from incident_tui.core.handoff import handoff_brief

            brief = handoff_brief(
                incident.record(),
                self.clock.now(),
                draft.role,
                before[0],
                draft.name.strip(),
                self.comms_config,
            )
            title = f"Handoff brief for {draft.name.strip()} ({draft.role.label})"
            self.call_after_refresh(self.show_brief, brief, title)

    @after_load
    def action_role(self) -> None:
        """``r``: assign or hand off a role; an empty IC is offered first."""
        if self._incident_file() is None:
            return
        holders = self.controller.holders()
        self.open_role_form(next((r for r in (Role.IC, Role.SCRIBE) if not holders[r]), Role.IC))

    def open_role_form(self, role: Role) -> None:
        """The role dialog with ``role`` preselected (acting on a "no IC" nudge, say)."""
        from incident_tui.ui.modals.role import RoleDraft, RoleModal

        holders = self.controller.holders()
        self.form(
            lambda draft, error: RoleModal(draft, holders, error),
            RoleDraft(role=role),
            self.assign_role_offering_brief,
        )

    # -- n: nudges ---------------------------------------------------------------------------

    @after_load
    def action_nudge(self) -> None:
        """``n``: act on the most pressing nudge, or dismiss it (the dismissal is logged)."""
        from incident_tui.core.attention_rules import active

        incident = self._incident_file()
        if incident is None:
            return
        config = self.comms_config
        shown = active(incident.record(), self.clock.now(), config)
        if not shown:
            self.notify("Nothing needs attention right now.")
            return
        top = shown[0]
        from incident_tui.ui.modals.nudge import ACT, DISMISS, NudgeModal

        def done(choice: str | None) -> None:
            if choice == DISMISS:
                try:
                    self.controller.dismiss_nudge(top.key, config)
                except (IncidentError, OSError) as exc:
                    self.notify(_one_line(exc), title="Not saved", severity="error")
                    return
                self.written()
            elif choice == ACT:
                self.act_on(top)

        self.app.push_screen(NudgeModal(top, shown[1:]), done)

    def act_on(self, nudge: Nudge) -> None:
        """Do what a nudge suggests: open the right dialog, or acknowledge straight away."""
        from incident_tui.core.nudges import Act

        act = nudge.act
        kind = act.kind
        if kind is Act.ROLE and act.role is not None:
            self.open_role_form(act.role)
        elif kind is Act.ACK:
            if self._incident_file() is None:
                return
            try:
                self.controller.acknowledge()
            except (IncidentError, OSError) as exc:
                self.notify(_one_line(exc), title="Not saved", severity="error")
                return
            self.written()
        elif kind is Act.VERIFY:
            self.action_verify()
        elif kind is Act.CHECKLIST:
            self.action_checklist()
        elif kind is Act.NOTE:
            self.post_message(self.ActionChosen("incident.event"))
        elif kind is Act.COMMS and act.audience is not None:
            self.open_comms(act.audience)

    def open_comms(self, audience: str) -> None:
        """Open the update composer (the ``c`` key), saying which audience is waiting."""
        self.notify(f"Write the {audience} update.", title="Send an update")
        self.post_message(self.ActionChosen("incident.compose_update"))
