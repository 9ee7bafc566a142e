"""Operations on the response: severity, status, roles, decisions and action items."""

from __future__ import annotations

from datetime import datetime

from incident_tui.core import rules
from incident_tui.core.errors import InvalidInputError
from incident_tui.core.models import (
    ActionItem,
    Decision,
    EventKind,
    Role,
    RoleAssignment,
    Severity,
    Status,
    TimelineEvent,
)
from incident_tui.core.store import IncidentFile


def set_severity(
    incident: IncidentFile, severity: Severity, reason: str = "", at: datetime | None = None
) -> TimelineEvent:
    """Change severity; the change and its reason go on the timeline."""
    reason = reason.strip()
    with incident.write() as w:
        moment = rules.occurred_at(at, w.now)
        header = w.header()
        previous = header.severity
        if not header.status.is_open:
            raise InvalidInputError("the incident is closed; reopen it first")
        if previous == severity:
            raise InvalidInputError(f"severity is already {severity.label}")
        w.put_header(header.with_changes(severity=severity))
        verb = "raised" if severity < previous else "lowered"
        text = f"Severity {verb} from {previous.label} to {severity.label}"
        return w.add_event(
            EventKind.SEVERITY,
            f"{text}: {reason}" if reason else text,
            moment,
            {"from": int(previous), "to": int(severity), "reason": reason},
        )


def set_status(
    incident: IncidentFile, status: Status, note: str = "", at: datetime | None = None
) -> TimelineEvent:
    """Move to investigating, identified, monitoring or resolved (closing is :func:`close`)."""
    note = note.strip()
    with incident.write() as w:
        moment = rules.occurred_at(at, w.now)
        header = w.header()
        changes = rules.status_changes(header, status, moment)
        w.put_header(header.with_changes(**changes))
        return w.add_event(
            EventKind.STATUS,
            rules.status_text(header.status, status, note),
            moment,
            {"from": header.status.value, "to": status.value, "note": note},
        )


def assign_role(
    incident: IncidentFile, role: Role, name: str, at: datetime | None = None
) -> TimelineEvent:
    """Give a role to someone; for a single-holder role this is a handoff from the holder."""
    name = rules.require_text(name, "name")
    with incident.write() as w:
        moment = rules.occurred_at(at, w.now)
        current = w.record().current_roles()[role]
        previous = None if role is Role.SME else (current[0] if current else None)
        if name in current:
            raise InvalidInputError(f"{name} already holds {role.label}")
        w.add_role(RoleAssignment(w.new_id(), role, name, moment, previous=previous))
        if previous:
            text = f"{role.label} handed off from {previous} to {name}"
        elif role is Role.SME:
            text = f"{name} pulled in as {role.label}"
        else:
            text = f"{name} is {role.label}"
        return w.add_event(
            EventKind.ROLE, text, moment, {"role": role.value, "name": name, "previous": previous}
        )


def release_role(
    incident: IncidentFile, role: Role, name: str, at: datetime | None = None
) -> TimelineEvent:
    """Someone gives up a role (an SME released, or a role left empty)."""
    name = rules.require_text(name, "name")
    with incident.write() as w:
        moment = rules.occurred_at(at, w.now)
        if name not in w.record().current_roles()[role]:
            raise InvalidInputError(f"{name} does not hold {role.label}")
        w.add_role(RoleAssignment(w.new_id(), role, name, moment, released=True))
        return w.add_event(
            EventKind.ROLE,
            f"{name} released from {role.label}",
            moment,
            {"role": role.value, "name": name, "released": True},
        )


def decide(
    incident: IncidentFile,
    what: str,
    why: str = "",
    decided_by: str = "",
    alternatives: str = "",
    reversible: bool | None = None,
    rubric: str | None = None,
    answer: str | None = None,
    at: datetime | None = None,
) -> Decision:
    """Record a decision (and a timeline row for it); by default the IC decided."""
    what = rules.require_text(what, "decision")
    why = why.strip()
    with incident.write() as w:
        moment = rules.occurred_at(at, w.now)
        by = decided_by.strip() or w.record().holder(Role.IC) or w.author
        decision = Decision(
            id=w.new_id(),
            what=what,
            why=why,
            decided_by=by,
            decided_at=moment,
            alternatives=alternatives.strip(),
            reversible=reversible,
            rubric=rubric,
            answer=answer,
        )
        w.add_decision(decision)
        w.add_event(
            EventKind.DECISION,
            f"Decided: {what}" + (f" (why: {why})" if why else ""),
            moment,
            {"decision_id": decision.id, "by": by},
            author=by,
        )
        return decision


def add_action_item(
    incident: IncidentFile,
    text: str,
    owner: str = "",
    due: datetime | None = None,
    at: datetime | None = None,
) -> ActionItem:
    """Add a follow-up action item, with an owner and a due time if known."""
    text = rules.require_text(text, "action item")
    owner = owner.strip()
    with incident.write() as w:
        moment = rules.occurred_at(at, w.now)
        item = ActionItem(w.new_id(), text, moment, owner, rules.due_at(due, w.now))
        w.add_action_item(item)
        w.add_event(
            EventKind.SYSTEM,
            f"Action item: {text}" + (f" (owner: {owner})" if owner else ""),
            moment,
            {"action_item_id": item.id},
        )
        return item


def _one_action_item(items: tuple[ActionItem, ...], item_ref: str) -> ActionItem:
    """The action item ``item_ref`` names: its id or a unique tail of it (``show``'s short id)."""
    wanted = item_ref.strip().upper()
    matches = [a for a in items if wanted and (a.id == wanted or a.id.endswith(wanted))]
    if len(matches) != 1:
        raise InvalidInputError(f"no single action item matches {item_ref!r}")
    return matches[0]


def edit_action_item(
    incident: IncidentFile,
    item_ref: str,
    text: str | None = None,
    owner: str | None = None,
    due: datetime | None = None,
    at: datetime | None = None,
    clear_due: bool = False,
) -> ActionItem:
    """Change an action item's text, owner or due time (``None`` leaves a field as it is;
    ``clear_due`` removes the due time). The timeline says what changed, old -> new."""
    with incident.write() as w:
        moment = rules.occurred_at(at, w.now)
        item = _one_action_item(w.record().action_items, item_ref)
        new_text = item.text if text is None else rules.require_text(text, "action item")
        new_owner = item.owner if owner is None else owner.strip()
        if clear_due:
            new_due = None
        elif due is None:
            new_due = item.due
        else:
            new_due = rules.due_at(due, w.now)
        changes = [
            f"{label}: {old or '(none)'} -> {new or '(none)'}"
            for label, old, new in (
                ("Text", item.text, new_text),
                ("Owner", item.owner, new_owner),
                ("Due", _due_text(item.due), _due_text(new_due)),
            )
            if old != new
        ]
        if not changes:
            raise InvalidInputError("nothing to change: that is what the action item says")
        updated = ActionItem(
            item.id, new_text, item.created_at, new_owner, new_due, item.done, item.done_at
        )
        w.put_action_item(updated)
        w.add_event(
            EventKind.SYSTEM,
            f"Action item edited ({new_text}): " + "; ".join(changes),
            moment,
            {"action_item_id": item.id},
        )
        return updated


def _due_text(due: datetime | None) -> str:
    return "" if due is None else due.isoformat(timespec="minutes")


def complete_action_item(
    incident: IncidentFile, item_ref: str, done: bool = True, at: datetime | None = None
) -> ActionItem:
    """Tick (or reopen) an action item, by id or the short id ``show`` prints."""
    with incident.write() as w:
        moment = rules.occurred_at(at, w.now)
        item = _one_action_item(w.record().action_items, item_ref)
        if item.done == done:
            raise InvalidInputError(f"that action item is already {'done' if done else 'open'}")
        updated = ActionItem(
            item.id,
            item.text,
            item.created_at,
            item.owner,
            item.due,
            done,
            moment if done else None,
        )
        w.put_action_item(updated)
        return updated
