"""Every action on the IC's screen, written once: its id, key, words and the part that runs it.

The screen's bindings, the footer (which draws the bindings), the help screen and the
command palette are all built from :data:`ACTIONS`, so a key is never listed twice and a new
action shows up everywhere at once. Users may remap keys by id (Textual's keymap).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from textual.binding import Binding, BindingType

Part = Literal["screen", "entries", "comms", "aids", "switching"]
"""Who runs an action: the screen itself or one of its parts (see ``screens/main.py``)."""


@dataclass(frozen=True)
class IncidentAction:
    """One thing the IC can do from the screen."""

    id: str
    """Stable id (``incident.event``): keymaps and tests name actions by it."""
    key: str
    """The default key."""
    name: str
    """The method run: ``action_<name>`` on the part that owns it."""
    part: Part
    description: str
    """One or two words, for the footer."""
    tooltip: str
    """One sentence, for the help screen and the command palette."""
    key_display: str | None = None
    show: bool = True
    """Shown in the footer (all actions are in the help and the palette)."""
    writes: bool = True
    """It may write to the incident; False: it only looks (a viewer keeps it, ``read_only.py``)."""

    @property
    def binding_action(self) -> str:
        """The action string the screen's binding runs."""
        return f"perform('{self.id}')"

    @property
    def shown_key(self) -> str:
        """The key as the help screen and the palette write it."""
        return self.key_display or self.key


ACTIONS: tuple[IncidentAction, ...] = (
    IncidentAction(
        "incident.help", "question_mark", "help", "screen", "Help",
        "This list of keys", key_display="?", writes=False,
    ),
    IncidentAction(
        "incident.event", "t", "new_event", "entries", "Event",
        "New timeline event; its time is taken when t is pressed",
    ),
    # Posting the next update is the most repeated task: keep it in view.
    IncidentAction(
        "incident.compose_update", "c", "compose_update", "comms", "Update",
        "Compose a status update for one audience; copy it, or post it (ctrl+o) to its chats; "
        "restarts its countdown",
    ),
    IncidentAction(
        "incident.snooze_update", "z", "snooze_update", "comms", "Snooze",
        "Snooze one audience's update reminder for a chosen time (logged)",
    ),
    IncidentAction(
        "incident.decision", "d", "decision", "entries", "Decision",
        "Record a decision: what, why and who decided",
    ),
    IncidentAction(
        "incident.action_item", "a", "action_item", "entries", "Action",
        "Add a follow-up action item with an owner and a due time",
    ),
    IncidentAction(
        "incident.action_items", "A", "action_items", "entries", "Actions",
        "The action items: mark one done (or open again)", show=False,
    ),
    IncidentAction(
        "incident.role", "r", "role", "aids", "Role",
        "Assign a role or hand it off (IC, comms, ops, scribe, SME)",
    ),
    IncidentAction(
        "incident.severity", "s", "severity", "entries", "Severity",
        "Change the severity, with a reason",
    ),
    IncidentAction(
        "incident.status", "p", "status", "entries", "Status",
        "Set the status: investigating, identified, monitoring, resolved; reopens a closed one",
    ),
    IncidentAction(
        "incident.edit", "e", "edit", "entries", "Edit",
        "Edit the title, impact, summary or AAR date (logged old -> new)", show=False,
    ),
    IncidentAction(
        "incident.mitigation", "m", "mitigation", "aids", "Mitigate",
        "Mitigation patterns and first tries by symptom; pick one to log it applied",
    ),
    IncidentAction(
        "incident.verify", "v", "verify", "aids", "Verified",
        "Mark the mitigation verified (the user flow tested, not only dashboards)",
    ),
    IncidentAction(
        "incident.checklist", "k", "checklist", "aids", "Resolve",
        "Resolution criteria checklist; close the incident and set the AAR date",
    ),
    IncidentAction(
        "incident.handoff", "h", "handoff", "aids", "Handoff",
        "Handoff brief: status, hypothesis, last updates, open actions, who is engaged",
        writes=False,
    ),
    IncidentAction(
        "incident.nudge", "n", "nudge", "aids", "Nudge",
        "Act on or dismiss the top item in the attention strip",
    ),
    IncidentAction(
        "incident.search", "slash", "search", "screen", "Search",
        "Search the timeline (text, author, kind); the title counts the matches",
        key_display="/", writes=False,
    ),
    IncidentAction(
        "incident.search_next", "right_square_bracket", "search_next", "screen", "Next match",
        "Jump to the next search match", key_display="]", show=False, writes=False,
    ),
    IncidentAction(
        "incident.search_previous", "left_square_bracket", "search_previous", "screen",
        "Previous match", "Jump to the previous search match", key_display="[", show=False,
        writes=False,
    ),
    IncidentAction(
        "incident.export", "x", "export", "entries", "Export",
        "Export the incident summary to a Markdown file and show its path", writes=False,
    ),
    IncidentAction(
        "incident.switch", "i", "switch", "switching", "Incidents",
        "Switch to another open incident, or declare a new one",
    ),
    IncidentAction(
        "incident.toggle_utc", "u", "toggle_utc", "screen", "UTC",
        "Show times in UTC or in local time", writes=False,
    ),
    IncidentAction(
        "incident.quit", "q", "quit", "screen", "Quit", "Quit; everything is already saved",
        writes=False,
    ),
)  # fmt: skip
"""The screen's actions in the order the footer and the help list them."""

BY_ID: dict[str, IncidentAction] = {action.id: action for action in ACTIONS}

OPENS_TEXT_FORM = frozenset(
    {"incident.event", "incident.decision", "incident.action_item", "incident.search"}
)
"""Actions whose form starts in a text field: keys typed right after their key go into it."""

EXTRA_HELP: tuple[tuple[str, str, str], ...] = (
    ("ctrl+p", "Commands", "Command palette: every action above, searchable"),
    ("Esc", "Cancel", "Close a dialog without saving anything"),
)
"""Keys that are not the screen's own but belong in its help."""


def screen_bindings() -> list[BindingType]:
    """The IC screen's ``BINDINGS``."""
    return [
        Binding(
            action.key,
            action.binding_action,
            action.description,
            show=action.show,
            key_display=action.key_display,
            id=action.id,
            tooltip=action.tooltip,
        )
        for action in ACTIONS
    ]


def help_rows(keys: dict[str, str] | None = None) -> list[tuple[str, str, str]]:
    """(key, action, explanation) for the help screen; ``keys`` maps ids to remapped keys."""
    keys = keys or {}
    rows = [
        (keys.get(action.id, action.shown_key), action.description, action.tooltip)
        for action in ACTIONS
    ]
    return rows + list(EXTRA_HELP)
