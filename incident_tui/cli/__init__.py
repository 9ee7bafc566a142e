"""The ``incident-tui`` command line: declare, log and export from any shell.

Nothing here imports textual at import time, so a scribe's ``incident-tui log`` stays fast;
the TUI is loaded only when the command runs with no subcommand, or as ``demo``/``open``.

Exit status: 0 on success; 1 with one ``error: ...`` line on stderr when the core rejects the
input or a file cannot be read or written; 2 for usage errors (click's own).
"""

from __future__ import annotations

import importlib
import shutil
import tempfile
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, NoReturn

import click

from incident_tui import __version__
from incident_tui.cli.records import export, import_, list_, show
from incident_tui.cli.session import Session, incident_option, make_clock, session
from incident_tui.core.config import AUDIENCES
from incident_tui.core.errors import IncidentError, InvalidInputError, StoreError
from incident_tui.core.models import (
    DetectionSource,
    EventKind,
    Role,
    Severity,
    Status,
    parse_enum,
)
from incident_tui.core.store import ENV_DATA_DIR, IncidentStore
from incident_tui.core.timeparse import parse_time


def fail(message: str) -> NoReturn:
    """Print one ``error: ...`` line on stderr and exit 1."""
    click.echo(f"error: {' '.join(message.split())}", err=True)
    raise SystemExit(1)


LAZY_COMMANDS = {
    "template": "incident_tui.cli.comms:template",
    "config": "incident_tui.cli.comms:config",
    "brief": "incident_tui.cli.aids:brief",
    "criteria": "incident_tui.cli.aids:criteria",
    "close": "incident_tui.cli.aids:close",
    "nudges": "incident_tui.cli.aids:nudges",
    "serve": "incident_tui.cli.serve:serve",
}
"""Commands imported only when run (or listed by --help): a scribe's ``log`` skips their imports."""


class IncidentCommands(click.Group):
    """A click group that turns the core's one-line errors into ``error: ...`` and exit 1."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = super().get_command(ctx, cmd_name)
        if command is None and cmd_name in LAZY_COMMANDS:
            module, attribute = LAZY_COMMANDS[cmd_name].split(":")
            command = getattr(importlib.import_module(module), attribute)
            self.add_command(command, cmd_name)
        return command

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except IncidentError as exc:
            fail(str(exc))
        except BrokenPipeError:
            raise
        except OSError as exc:
            where = f"{exc.filename}: " if exc.filename else ""
            fail(f"{where}{exc.strerror or exc}")


@click.group(
    cls=IncidentCommands,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    envvar=ENV_DATA_DIR,
    show_envvar=True,
    help="Where incidents are stored (default: the platform's user data dir).",
)
@click.option("--demo", is_flag=True, help="Open the TUI on a throwaway demo incident.")
@click.version_option(__version__, "--version", prog_name="incident-tui")
@click.pass_context
def main(ctx: click.Context, data_dir: Path | None, demo: bool) -> None:
    """A terminal cockpit for the incident commander of a live production incident.

    With no command, opens the full-screen app on the latest open incident. TIME is
    ISO-8601 or HH:MM[:SS] local time, meaning the most recent such moment.
    """
    ctx.obj = Session(data_dir)
    if demo:
        if ctx.invoked_subcommand is not None:
            raise click.UsageError("--demo opens the app; it cannot be combined with a command")
        run_demo()
    elif ctx.invoked_subcommand is None:
        run_tui(ctx.obj.store, None)


def run_tui(store: IncidentStore, incident_id: str | None, *, read_only: bool = False) -> None:
    """Open the full-screen app; textual is imported here and only here."""
    try:
        from incident_tui.ui.app import run_app
    except ImportError as exc:
        raise StoreError(f"the full-screen app cannot start: {exc}") from None
    run_app(store, incident_id=incident_id, read_only=read_only)


def run_demo() -> None:
    """Seed a demo incident in a throwaway data dir, open the app on it, then clean up."""
    from incident_tui.core.demo import seed_demo

    path = Path(tempfile.mkdtemp(prefix="incident-tui-demo-"))
    try:
        store = IncidentStore(path, clock=make_clock())
        seed_demo(store)
        run_tui(store, None)
    finally:
        shutil.rmtree(path, ignore_errors=True)


@main.command()
def demo() -> None:
    """Try the app on a seeded demo incident (nothing is kept)."""
    run_demo()


@main.command("open")
@click.argument("incident_id", required=False, metavar="[ID]")
@click.option(
    "--read-only", is_flag=True, help="Watch only: every key that could write is disabled."
)
def open_(incident_id: str | None, read_only: bool) -> None:
    """Open the full-screen app on one incident."""
    store = session().store
    run_tui(store, store.resolve_id(incident_id), read_only=read_only)


@main.command()
@click.argument("title")
@click.option("--sev", default="2", show_default=True, metavar="1-4", help="Severity.")
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
    title: str, sev: str, impact: str, source: str, detected_at: str | None, responder: str
) -> None:
    """Declare an incident; prints its id alone on one line."""
    current = session()
    handle = current.store.declare(
        title,
        severity=Severity.parse(sev),
        impact=impact,
        source=parse_enum(DetectionSource, source, "detection source"),
        detected_at=current.time(detected_at),
        responder=responder,
    )
    click.echo(handle.id)


@main.command()
@click.argument("text")
@click.option(
    "--kind",
    default=None,
    help="note (default), action, decision, mitigation, comms, severity, status, role or system.",
)
@click.option("--at", "at", metavar="TIME", help="When it happened (default: now).")
@click.option(
    "--audience",
    metavar="AUDIENCE",
    help="An update was sent to internal, stakeholders or external (implies --kind comms).",
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
    data: dict[str, Any] = {}
    if audience is not None:
        if event_kind is not EventKind.COMMS:
            raise InvalidInputError("--audience records a sent update; it needs --kind comms")
        wanted = audience.strip().lower()
        if wanted not in AUDIENCES:
            raise InvalidInputError(
                f"unknown audience {audience!r}; choose one of: {', '.join(AUDIENCES)}"
            )
        # The same shape the app writes, so nudges and the export see the update.
        data = {"audience": wanted, "text": text.strip()}
    event = current.incident(incident_id).log(
        text, kind=event_kind, occurred_at=current.time(at), data=data, author=author
    )
    click.echo(event.id)


@main.command()
@click.argument("level")
@click.option("--reason", default="", help="Why the severity changed.")
@incident_option
def sev(level: str, reason: str, incident_id: str | None) -> None:
    """Change severity (1-4); the change and reason go on the timeline."""
    severity = Severity.parse(level)
    click.echo(session().incident(incident_id).set_severity(severity, reason).text)


@main.command()
@click.argument("state")
@click.option("--note", default="", help="A note for the timeline.")
@incident_option
def status(state: str, note: str, incident_id: str | None) -> None:
    """Move the incident to investigating, identified, monitoring, resolved or closed."""
    new_status = parse_enum(Status, state, "status")
    click.echo(session().incident(incident_id).set_status(new_status, note).text)


@main.command()
@click.argument("role")
@click.argument("name")
@click.option("--release", is_flag=True, help="NAME gives the role up instead of taking it.")
@incident_option
def role(role: str, name: str, release: bool, incident_id: str | None) -> None:
    """Assign ROLE (ic, comms, ops, scribe, sme) to NAME; a held role is handed off."""
    which = parse_enum(Role, role, "role")
    handle = session().incident(incident_id)
    event = handle.release_role(which, name) if release else handle.assign_role(which, name)
    click.echo(event.text)


@main.command()
@click.argument("text")
@click.option("--why", default="", help="The reason.")
@click.option("--by", "by", default="", metavar="NAME", help="Who decided (default: the IC).")
@click.option("--alternatives", default="", help="What else was on the table.")
@click.option("--reversible/--irreversible", default=None, help="Can it be undone?")
@incident_option
def decide(
    text: str,
    why: str,
    by: str,
    alternatives: str,
    reversible: bool | None,
    incident_id: str | None,
) -> None:
    """Record a decision; prints its id."""
    handle = session().incident(incident_id)
    decision = handle.decide(
        text, why=why, decided_by=by, alternatives=alternatives, reversible=reversible
    )
    click.echo(decision.id)


@main.command()
@click.argument("text")
@click.option("--owner", default="", metavar="NAME", help="Who follows it up.")
@click.option("--due", metavar="TIME", help="Due date: ISO-8601 date/time, or HH:MM (next).")
@incident_option
def action(text: str, owner: str, due: str | None, incident_id: str | None) -> None:
    """Add a follow-up action item; prints its id."""
    current = session()
    item = current.incident(incident_id).add_action_item(
        text, owner=owner, due=due_time(due, current.store.clock.now())
    )
    click.echo(item.id)


def due_time(text: str | None, now: datetime) -> datetime | None:
    """A due time: like TIME, except a bare HH:MM means the *next* such moment."""
    if text is None:
        return None
    moment = parse_time(text, now)
    if ":" in text and "-" not in text and moment <= now:
        moment += timedelta(days=1)
    return moment


@main.command()
@click.argument("action_id")
@click.option("--undo", is_flag=True, help="Mark it open again.")
@incident_option
def done(action_id: str, undo: bool, incident_id: str | None) -> None:
    """Tick an action item (its id, or the short id that show prints)."""
    handle = session().incident(incident_id)
    item = handle.complete_action_item(action_id.strip().upper(), done=not undo)
    click.echo(f"{'open' if undo else 'done'}: {item.text}")


@main.command()
@click.option("--at", "at", metavar="TIME", help="When it was acknowledged (default: now).")
@incident_option
def ack(at: str | None, incident_id: str | None) -> None:
    """Acknowledge the incident (a timeline milestone)."""
    current = session()
    click.echo(current.incident(incident_id).mark("acknowledged", at=current.time(at)).text)


@main.command()
@click.argument("milestone", type=click.Choice(["acknowledged", "mitigated", "verified"]))
@click.option("--at", "at", metavar="TIME", help="When it happened (default: now).")
@click.option("--note", default="", help="What was done or how it was checked.")
@incident_option
def mark(milestone: str, at: str | None, note: str, incident_id: str | None) -> None:
    """Stamp a milestone: acknowledged, mitigated (applied) or verified."""
    current = session()
    event = current.incident(incident_id).mark(milestone, note, at=current.time(at))
    click.echo(event.text)


@main.command()
@click.option("--title", help="A new title.")
@click.option("--impact", help="Customer impact: who, how many, how.")
@click.option("--summary", help="The 1-2 paragraph summary for the export.")
@click.option("--aar", "aar", metavar="DATE", help="AAR date, YYYY-MM-DD.")
@incident_option
def edit(
    title: str | None,
    impact: str | None,
    summary: str | None,
    aar: str | None,
    incident_id: str | None,
) -> None:
    """Change the title, impact, summary or AAR date."""
    changes: dict[str, Any] = {
        key: value
        for key, value in (("title", title), ("impact", impact), ("summary", summary))
        if value is not None
    }
    if aar is not None:
        try:
            changes["aar_date"] = datetime.strptime(aar.strip(), "%Y-%m-%d").date()
        except ValueError:
            raise InvalidInputError(f"AAR date must be YYYY-MM-DD, not {aar!r}") from None
    if not changes:
        raise click.UsageError("nothing to change; give --title, --impact, --summary or --aar")
    incident = session().incident(incident_id).update_header(**changes)
    click.echo(f"updated {incident.id}")


for _command in (list_, show, export, import_):
    main.add_command(_command)
