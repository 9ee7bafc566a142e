"""The command aids from a shell: the handoff brief, resolution criteria, closing, nudges.

No textual here. Each command works on the latest open incident unless ``--incident`` says.
"""

from __future__ import annotations

import click

from incident_tui.cli.session import at_option, echo, incident_option, session
from incident_tui.core import operations as ops
from incident_tui.core.clipboard import copy_text
from incident_tui.core.errors import InvalidInputError
from incident_tui.core.handoff import handoff_brief
from incident_tui.core.models import Status, parse_enum
from incident_tui.core.nudges import active
from incident_tui.core.playbook import RESOLUTION_CRITERIA, criterion, unticked
from incident_tui.core.sanitize import inert


@click.command()
@click.option("--copy", is_flag=True, help="Also copy it (clipboard tool, else tmux; a file).")
@incident_option
def brief(copy: bool, incident_id: str | None) -> None:
    """Print the handoff brief: status, severity, hypothesis, last updates, actions, roles."""
    handle = session().incident(incident_id)
    text = handoff_brief(handle.record(), handle.clock.now())
    echo(text, nl=False)
    if copy:
        echo(copy_text(text).summary(), err=True)


@click.command()
@click.argument("keys", nargs=-1, metavar="[KEY]...")
@click.option("--untick", is_flag=True, help="Untick the given criteria instead.")
@at_option
@incident_option
def criteria(keys: tuple[str, ...], untick: bool, at: str | None, incident_id: str | None) -> None:
    """Show the resolution criteria, or tick the ones named by KEY."""
    current = session()
    handle = current.incident(incident_id)
    for key in keys:
        criterion(key)  # every key checked before anything is written
    for key in keys:
        ops.tick_criterion(handle, key, not untick, at=current.time(at))
    checklist = handle.incident.checklist
    for item in RESOLUTION_CRITERIA:
        box = "[x]" if checklist.get(item.key) else "[ ]"
        echo(f"{box} {item.key:<20} {item.text}")


@click.command("close")
@click.option("--aar", default="", help="AAR date: YYYY-MM-DD or +N days (default: +7).")
@at_option
@incident_option
def close(aar: str, at: str | None, incident_id: str | None) -> None:
    """Close the incident and schedule the AAR, in one write; warns about open actions and
    unticked criteria."""
    current = session()
    handle = current.incident(incident_id)
    window = current.config.aar
    aar_date = window.parse(aar, current.store.clock.now().astimezone().date())
    event = ops.close(handle, aar_date, at=current.time(at), window=window)
    record = handle.record()
    for missing in unticked(record.incident):
        echo(f"warning: not ticked: {missing.key}", err=True)
    for item in record.action_items:
        if not item.done:
            echo(f"open action: {inert(item.text)} ({inert(item.owner) or 'no owner'})", err=True)
    echo(f"closed {record.incident.id}; {event.data['note']}")


@click.command("reopen")
@click.option(
    "--status",
    "state",
    default="investigating",
    show_default=True,
    help="Reopen to investigating, identified, monitoring or resolved.",
)
@click.option("--note", default="", help="Why it is reopened.")
@at_option
@click.argument("incident_id", required=False, metavar="[ID]")
def reopen(state: str, note: str, at: str | None, incident_id: str | None) -> None:
    """Reopen a closed incident (ID, or the most recently declared closed one)."""
    current = session()
    store = current.store
    if incident_id is None:
        closed = [s for s in store.list_incidents(include_closed=True) if not s.status.is_open]
        if not closed:
            raise InvalidInputError("no closed incident to reopen")
        incident_id = closed[0].id
    handle = store.open(store.resolve_id(incident_id))
    status = parse_enum(Status, state, "status")
    echo(inert(ops.reopen(handle, status, note, at=current.time(at)).text))


@click.command()
@click.argument("key", required=False)
@at_option
@incident_option
def nudges(key: str | None, at: str | None, incident_id: str | None) -> None:
    """List what needs attention (key, urgency, message); with KEY, dismiss that nudge."""
    current = session()
    handle = current.incident(incident_id)
    if key is None:
        for nudge in active(handle.record(), handle.clock.now()):
            echo(f"{nudge.key:<20} {nudge.urgency.label:<7} {inert(nudge.message)}")
        return
    ops.dismiss_nudge(handle, key, at=current.time(at))
    echo(f"dismissed {key}")


COMMANDS = (brief, criteria, close, reopen, nudges)
"""Registered on the ``incident-tui`` group by ``cli.py``."""
