"""Commands that change an incident: each parses its input, calls one core operation and
prints the result. No rule lives here; ``incident_tui.core.operations`` holds them all."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import click

from incident_tui.cli.session import at_option, echo, incident_option, session
from incident_tui.core import operations as ops
from incident_tui.core.errors import InvalidInputError
from incident_tui.core.models import (
    Audience,
    DetectionSource,
    EventKind,
    Role,
    Severity,
    Status,
    parse_enum,
)
from incident_tui.core.sanitize import inert
from incident_tui.core.timeparse import parse_due


@click.command()
@click.argument("title")
@click.option("--sev", default=None, metavar="1-4", help="Severity (default from config: 1).")
@click.option("--impact", default="", help="Customer impact: who, how many, how.")
@click.option(
    "--source",
    default="alert",
    show_default=True,
    metavar="SOURCE",
    help="How it was detected: alert, customer, internal, third-party.",
)
@click.option("--detected-at", metavar="TIME", help="When it was detected (default: now).")
@click.option(
    "--responder", default="", metavar="NAME", help="First responder: becomes IC and acknowledges."
)
def new(
    title: str, sev: str | None, impact: str, source: str, detected_at: str | None, responder: str
) -> None:
    """Declare an incident; prints its id alone on one line."""
    current = session()
    severity = Severity.parse(sev) if sev is not None else current.config.default_severity
    handle = ops.declare(
        current.store,
        title,
        severity=severity,
        impact=impact,
        source=parse_enum(DetectionSource, source, "detection source"),
        detected_at=current.time(detected_at),
        responder=responder,
    )
    echo(handle.id)


@click.command()
@click.argument("text")
@click.option(
    "--kind",
    default=None,
    help="note (default), action, decision, mitigation, comms, severity, status, role or system.",
)
@at_option
@click.option(
    "--audience",
    metavar="AUDIENCE",
    help="An update was sent to internal, stakeholders or external (same as `update`).",
)
@click.option("--author", metavar="NAME", help="Who wrote it (default: $INCIDENT_TUI_AUTHOR).")
@incident_option
def log(
    text: str,
    kind: str | None,
    at: str | None,
    audience: str | None,
    author: str | None,
    incident_id: str | None,
) -> None:
    """Add a timeline event; prints the event's id."""
    current = session()
    event_kind = parse_enum(EventKind, kind or ("comms" if audience else "note"), "event kind")
    handle = current.incident(incident_id)
    if audience is not None:
        if event_kind is not EventKind.COMMS:
            raise InvalidInputError("--audience records a sent update; it needs --kind comms")
        event = ops.record_update(handle, audience, text, at=current.time(at), author=author)
    else:
        event = ops.log(handle, text, kind=event_kind, at=current.time(at), author=author)
    echo(event.id)


@click.command()
@click.argument("audience")
@click.argument("text")
@at_option
@incident_option
def update(audience: str, text: str, at: str | None, incident_id: str | None) -> None:
    """Record an update sent to AUDIENCE (internal, stakeholders, external; or team, org,
    customers...); restarts that audience's countdown. Prints the event's id."""
    current = session()
    which = Audience.parse(audience)
    event = ops.record_update(current.incident(incident_id), which, text, at=current.time(at))
    echo(event.id)


@click.command()
@click.argument("audience")
@click.argument("minutes", type=click.IntRange(1, 24 * 60), metavar="MINUTES")
@at_option
@incident_option
def snooze(audience: str, minutes: int, at: str | None, incident_id: str | None) -> None:
    """Push AUDIENCE's update reminder back by MINUTES (logged)."""
    current = session()
    event = ops.snooze(current.incident(incident_id), audience, minutes, at=current.time(at))
    echo(inert(event.text))


@click.command()
@click.argument("event_id", metavar="EVENT")
@click.argument("text")
@at_option
@incident_option
def amend(event_id: str, text: str, at: str | None, incident_id: str | None) -> None:
    """Correct the text of timeline EVENT (its id or a unique tail); the original stays."""
    current = session()
    event = ops.amend(current.incident(incident_id), event_id, text, at=current.time(at))
    echo(event.id)


@click.command()
@click.argument("event_id", metavar="EVENT")
@click.option("--why", required=True, help="Why it is struck (required).")
@at_option
@incident_option
def strike(event_id: str, why: str, at: str | None, incident_id: str | None) -> None:
    """Strike timeline EVENT written in error: it stays, marked struck, and counts for nothing."""
    current = session()
    event = ops.strike(current.incident(incident_id), event_id, why, at=current.time(at))
    echo(event.id)


@click.command()
@click.argument("level")
@click.option("--reason", default="", help="Why the severity changed.")
@at_option
@incident_option
def sev(level: str, reason: str, at: str | None, incident_id: str | None) -> None:
    """Change severity (1-4); the change and reason go on the timeline."""
    current = session()
    severity = Severity.parse(level)
    handle = current.incident(incident_id)
    echo(inert(ops.set_severity(handle, severity, reason, at=current.time(at)).text))


@click.command()
@click.argument("state")
@click.option("--note", default="", help="A note for the timeline.")
@at_option
@incident_option
def status(state: str, note: str, at: str | None, incident_id: str | None) -> None:
    """Move the incident to investigating, identified, monitoring or resolved (to close it,
    use `close`)."""
    current = session()
    new_status = parse_enum(Status, state, "status")
    handle = current.incident(incident_id)
    echo(inert(ops.set_status(handle, new_status, note, at=current.time(at)).text))


@click.command()
@click.argument("role")
@click.argument("name")
@click.option("--release", is_flag=True, help="NAME gives the role up instead of taking it.")
@at_option
@incident_option
def role(role: str, name: str, release: bool, at: str | None, incident_id: str | None) -> None:
    """Assign ROLE (ic, comms, ops, scribe, sme) to NAME; a held role is handed off."""
    current = session()
    which = parse_enum(Role, role, "role")
    handle = current.incident(incident_id)
    operation = ops.release_role if release else ops.assign_role
    echo(inert(operation(handle, which, name, at=current.time(at)).text))


@click.command()
@click.argument("text")
@click.option("--why", default="", help="The reason.")
@click.option("--by", "by", default="", metavar="NAME", help="Who decided (default: the IC).")
@click.option("--alternatives", default="", help="What else was on the table.")
@click.option("--reversible/--irreversible", default=None, help="Can it be undone?")
@at_option
@incident_option
def decide(
    text: str,
    why: str,
    by: str,
    alternatives: str,
    reversible: bool | None,
    at: str | None,
    incident_id: str | None,
) -> None:
    """Record a decision; prints its id."""
    current = session()
    decision = ops.decide(
        current.incident(incident_id),
        text,
        why=why,
        decided_by=by,
        alternatives=alternatives,
        reversible=reversible,
        at=current.time(at),
    )
    echo(decision.id)


class ActionGroup(click.Group):
    """``action TEXT`` adds an item (as before); ``action done ID`` ticks one."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("-h", "--help"):
            args = ["add", *args]
        return super().parse_args(ctx, args)


@click.group(cls=ActionGroup)
def action() -> None:
    """Action items: `action TEXT [--owner NAME] [--due TIME]` adds one; `action done ID`."""


@action.command("add")
@click.argument("text")
@click.option("--owner", default="", metavar="NAME", help="Who follows it up.")
@click.option("--due", metavar="TIME", help="Due date: ISO-8601 date/time, or HH:MM (next).")
@at_option
@incident_option
def action_add(
    text: str, owner: str, due: str | None, at: str | None, incident_id: str | None
) -> None:
    """Add a follow-up action item; prints its id."""
    current = session()
    item = ops.add_action_item(
        current.incident(incident_id),
        text,
        owner=owner,
        due=due_time(due, current.store.clock.now()),
        at=current.time(at),
    )
    echo(item.id)


def due_time(text: str | None, now: datetime) -> datetime | None:
    """A due time: like TIME, except a bare HH:MM means the *next* such moment (and +2h
    means two hours from now); the same rule as the app's ``a`` dialog."""
    return None if text is None else parse_due(text, now)


def _done(action_id: str, undo: bool, at: str | None, incident_id: str | None) -> None:
    current = session()
    item = ops.complete_action_item(
        current.incident(incident_id), action_id, done=not undo, at=current.time(at)
    )
    echo(f"{'open' if undo else 'done'}: {inert(item.text)}")


_DONE_PARAMS: list[Any] = [
    click.argument("action_id"),
    click.option("--undo", is_flag=True, help="Mark it open again."),
    at_option,
    incident_option,
]


def _done_command(name: str) -> click.Command:
    def run(action_id: str, undo: bool, at: str | None, incident_id: str | None) -> None:
        """Tick an action item (its id, or the short id that show prints)."""
        _done(action_id, undo, at, incident_id)

    for decorate in reversed(_DONE_PARAMS):
        run = decorate(run)
    return click.command(name)(run)


@action.command("edit")
@click.argument("action_id")
@click.option("--text", "text", metavar="TEXT", help="New wording of the action item.")
@click.option("--owner", metavar="NAME", help="New owner ('' for none).")
@click.option("--due", metavar="TIME", help="New due time (as for add), or 'none' to remove it.")
@at_option
@incident_option
def action_edit(
    action_id: str,
    text: str | None,
    owner: str | None,
    due: str | None,
    at: str | None,
    incident_id: str | None,
) -> None:
    """Change an action item's text, owner or due time; the timeline shows old -> new."""
    current = session()
    clear = due is not None and due.strip().lower() == "none"
    item = ops.edit_action_item(
        current.incident(incident_id),
        action_id,
        text=text,
        owner=owner,
        due=None if clear else due_time(due, current.store.clock.now()),
        at=current.time(at),
        clear_due=clear,
    )
    echo(f"edited: {inert(item.text)}")


done = _done_command("done")
action.add_command(_done_command("done"))


@click.command()
@at_option
@incident_option
def ack(at: str | None, incident_id: str | None) -> None:
    """Acknowledge the incident (a timeline milestone)."""
    current = session()
    echo(inert(ops.acknowledge(current.incident(incident_id), at=current.time(at)).text))


@click.command()
@click.argument("milestone", type=click.Choice(["acknowledged", "mitigated", "verified"]))
@at_option
@click.option("--note", default="", help="What was done or how it was checked.")
@incident_option
def mark(milestone: str, at: str | None, note: str, incident_id: str | None) -> None:
    """Stamp a milestone: acknowledged, mitigated (applied) or verified (also ticks the
    "mitigation verified" criterion, like the app's v)."""
    current = session()
    event = ops.mark(current.incident(incident_id), milestone, note, at=current.time(at))
    echo(inert(event.text))


COMMANDS = (
    snooze,
    new,
    log,
    update,
    amend,
    strike,
    sev,
    status,
    role,
    decide,
    action,
    done,
    ack,
    mark,
)
"""Registered on the ``incident-tui`` group."""
