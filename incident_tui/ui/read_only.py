"""The viewer's app (``open --read-only``): the same live screen, every write key disabled.

Stakeholders watch the incident through the viewer link; they see the timeline, countdowns,
roles, decisions and action items change as the IC's team writes, and can write nothing.
Which of the screen's own actions only look is said once, in the registry
(``IncidentAction.writes`` in ``ui/actions.py``).
"""

from __future__ import annotations

VIEW_ACTIONS = frozenset(
    {
        "command_palette",
        # Textual's own screen keys: moving focus and copying a selection.
        "focus_next",
        "focus_previous",
        "copy_text",
        "maximize",
        "minimize",
    }
)
"""Actions outside the registry that a viewer keeps (none of them writes)."""

FOOTER_LABEL = "READ-ONLY VIEW"
"""What the footer says first in the viewer's app."""


def allows(read_only: bool, action: str, parameters: tuple[object, ...] = ()) -> bool:
    """Whether ``action`` may run: always in the normal app; read-only, only what only looks.

    The screen's keys all run ``perform('<id>')``: the registry says whether that id writes.
    """
    if not read_only:
        return True
    if action == "perform":
        from incident_tui.ui.actions import BY_ID

        found = BY_ID.get(str(parameters[0])) if parameters else None
        return found is not None and not found.writes
    return action in VIEW_ACTIONS


def viewing(node: object) -> bool:
    """True when ``node`` (a widget or screen) is in the viewer's app: its panes then name no
    key that writes ("press r", "Press a to add one")."""
    return bool(getattr(getattr(node, "app", None), "read_only", False))
