"""The command aids from a shell: the handoff brief, resolution criteria, closing, nudges.

No textual here. Each command works on the latest open incident unless ``--incident`` says.
"""

from __future__ import annotations

import click

from incident_tui.cli.session import incident_option, session
from incident_tui.core.attention import active
from incident_tui.core.clipboard import copy_text
from incident_tui.core.config import load_config
from incident_tui.core.errors import InvalidInputError
from incident_tui.core.handoff import handoff_brief
from incident_tui.core.models import EventKind, Status
from incident_tui.core.nudges import dismissal
from incident_tui.core.playbook import RESOLUTION_CRITERIA, criterion, parse_aar_date, unticked


@click.command()
@click.option("--copy", is_flag=True, help="Also copy it (clipboard tool, else tmux; a file).")
@incident_option
def brief(copy: bool, incident_id: str | None) -> None:
    """Print the handoff brief: status, severity, hypothesis, last updates, actions, roles."""
    handle = session().incident(incident_id)
    text = handoff_brief(handle.record(), handle.clock.now(), config=load_config().config)
    click.echo(text, nl=False)
    if copy:
        click.echo(copy_text(text).summary(), err=True)


@click.command()
@click.argument("keys", nargs=-1, metavar="[KEY]...")
@click.option("--untick", is_flag=True, help="Untick the given criteria instead.")
@incident_option
def criteria(keys: tuple[str, ...], untick: bool, incident_id: str | None) -> None:
    """Show the resolution criteria, or tick the ones named by KEY."""
    handle = session().incident(incident_id)
    for key in keys:
        criterion(key)  # every key checked before anything is written
    for key in keys:
        handle.tick(key, not untick)
    checklist = handle.incident.checklist
    for item in RESOLUTION_CRITERIA:
        box = "[x]" if checklist.get(item.key) else "[ ]"
        click.echo(f"{box} {item.key:<20} {item.text}")


@click.command("close")
@click.option("--aar", default="", help="AAR date: YYYY-MM-DD or +N days (default: +7).")
@incident_option
def close(aar: str, incident_id: str | None) -> None:
    """Close the incident and schedule the AAR; warns about open actions and unticked criteria."""
    handle = session().incident(incident_id)
    record = handle.record()
    if record.incident.status is Status.CLOSED:
        raise InvalidInputError(f"{record.incident.id} is already closed")
    today = handle.clock.now().astimezone().date()
    aar_date = parse_aar_date(aar, today)
    open_items = [item for item in record.action_items if not item.done]
    for missing in unticked(record.incident):
        click.echo(f"warning: not ticked: {missing.key}", err=True)
    for item in open_items:
        click.echo(f"open action: {item.text} ({item.owner or 'no owner'})", err=True)
    handle.update_header(aar_date=aar_date)
    note = f"AAR on {aar_date.isoformat()}"
    if open_items:
        note += f"; {len(open_items)} action items open"
    handle.set_status(Status.CLOSED, note)
    click.echo(f"closed {record.incident.id}; AAR on {aar_date.isoformat()}")


@click.command()
@click.argument("key", required=False)
@incident_option
def nudges(key: str | None, incident_id: str | None) -> None:
    """List what needs attention (key, urgency, message); with KEY, dismiss that nudge."""
    handle = session().incident(incident_id)
    shown = active(handle.record(), handle.clock.now(), load_config().config)
    if key is None:
        width = max((len(nudge.key) for nudge in shown), default=0)
        for nudge in shown:
            click.echo(f"{nudge.key:<{width}}  {nudge.urgency.label:<7} {nudge.message}")
        return
    match = next((n for n in shown if n.key == key), None)
    if match is None:
        keys = ", ".join(n.key for n in shown) or "none"
        raise InvalidInputError(f"no active nudge {key!r}; active: {keys}")
    text, data = dismissal(match)
    handle.log(text, kind=EventKind.SYSTEM, data=data)
    click.echo(f"dismissed {key}")


COMMANDS = (brief, criteria, close, nudges)
"""Registered on the ``incident-tui`` group by ``cli.py``."""
