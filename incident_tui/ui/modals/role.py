"""``r``: assign a role, or hand it off from whoever holds it now."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Input, Select, Static

from incident_tui.core.models import Role
from incident_tui.ui.modals.base import FormModal, labelled
from incident_tui.ui.text import plain


@dataclass(frozen=True)
class RoleDraft:
    """A role and the person taking it."""

    role: Role = Role.IC
    name: str = ""


class RoleModal(FormModal[RoleDraft]):
    """Pick the role and type the name; the current holders are shown for the handoff."""

    TITLE_TEXT = "Assign or hand off a role"

    def __init__(self, draft: RoleDraft, holders: dict[Role, list[str]], error: str = "") -> None:
        super().__init__(error)
        self.draft = draft
        self.holders = holders

    def compose_fields(self) -> ComposeResult:
        yield labelled("Role")
        yield Select(
            [(role.label, role) for role in Role],
            value=self.draft.role,
            allow_blank=False,
            id="role",
        )
        yield Static(self._holder_text(self.draft.role), classes="form-note", id="holder")
        yield labelled("Name")
        yield Input(self.draft.name, placeholder="who takes it", id="name")

    def on_mount(self) -> None:
        self.query_one("#name", Input).focus()

    def _holder_text(self, role: Role) -> Text:
        names = self.holders.get(role, [])
        if not names:
            return Text("nobody holds it now", style="dim italic")
        verb = "pulled in alongside " if role is Role.SME else "handed off from "
        return Text.assemble(verb, plain(", ".join(names), style="bold"))

    def on_select_changed(self, event: Select.Changed) -> None:
        if isinstance(event.value, Role):
            self.query_one("#holder", Static).update(self._holder_text(event.value))

    def collect(self) -> RoleDraft | None:
        name = self.value("name")
        if not name.strip():
            self.complain("Type who takes the role (or Esc to cancel).")
            return None
        role = self.query_one("#role", Select).value
        return RoleDraft(role=role if isinstance(role, Role) else Role.IC, name=name)
