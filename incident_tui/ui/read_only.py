"""The viewer's app (``open --read-only``): the same live screen, every write key disabled.

Stakeholders watch the incident through the viewer link; they see the timeline, countdowns,
roles, decisions and action items change as the IC's team writes, and can write nothing.
"""

from __future__ import annotations

VIEW_ACTIONS = frozenset(
    {
        "help",
        "export",
        "toggle_utc",
        "quit",
        "command_palette",
        # Textual's own screen keys: moving focus and copying a selection.
        "focus_next",
        "focus_previous",
        "copy_text",
        "maximize",
        "minimize",
    }
)
"""The IC screen's actions a viewer keeps; every other one may write, so it is disabled."""

FOOTER_LABEL = "READ-ONLY VIEW"
"""What the footer says first in the viewer's app."""


def allows(read_only: bool, action: str) -> bool:
    """Whether ``action`` may run: always in the normal app, only view actions read-only."""
    return not read_only or action in VIEW_ACTIONS
