"""One operation per thing a person does to an incident; the CLI and the app both call these.

Each validates its input, applies the playbook's rules (pure, in :mod:`incident_tui.core.rules`)
and commits as one journal transaction, so a crash never leaves half a change. Every write
takes ``at``: when it happened (default now); the recording time is always the write's own.
"""

from incident_tui.core.operations.exporting import default_path, export, render, write_private
from incident_tui.core.operations.lifecycle import (
    acknowledge,
    apply_mitigation,
    close,
    declare,
    edit_header,
    mark,
    reopen,
    tick_criterion,
    verify_mitigation,
)
from incident_tui.core.operations.response import (
    add_action_item,
    assign_role,
    complete_action_item,
    decide,
    edit_action_item,
    release_role,
    set_severity,
    set_status,
)
from incident_tui.core.operations.timeline import (
    amend,
    dismiss_nudge,
    log,
    record_update,
    snooze,
    strike,
)

__all__ = [
    "acknowledge",
    "add_action_item",
    "amend",
    "apply_mitigation",
    "assign_role",
    "close",
    "complete_action_item",
    "decide",
    "declare",
    "default_path",
    "dismiss_nudge",
    "edit_action_item",
    "edit_header",
    "export",
    "log",
    "mark",
    "record_update",
    "release_role",
    "render",
    "reopen",
    "set_severity",
    "set_status",
    "snooze",
    "strike",
    "tick_criterion",
    "verify_mitigation",
    "write_private",
]
