"""The ``incident-tui`` command line: declare, log and export from any shell.

Nothing here imports textual at import time, so a scribe's ``incident-tui log`` stays fast;
the TUI is loaded only when the command runs with no subcommand, or as ``demo``/``open``.

Exit status: 0 on success; 1 with one ``error: ...`` line on stderr when the core rejects the
input or a file cannot be read or written; 2 for usage errors (click's own).
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any, NoReturn

import click

from incident_tui import __version__
from incident_tui.cli.session import Session, make_clock, session
from incident_tui.cli.writes import COMMANDS as WRITE_COMMANDS
from incident_tui.core.errors import IncidentError, StoreError
from incident_tui.core.sanitize import inert, is_utf8
from incident_tui.core.store import ENV_DATA_DIR, IncidentStore


def fail(message: str) -> NoReturn:
    """Print one ``error: ...`` line on stderr and exit 1."""
    click.echo(f"error: {inert(message)}", err=True)
    raise SystemExit(1)


LAZY_COMMANDS = {
    "list": "incident_tui.cli.records:list_",
    "show": "incident_tui.cli.records:show",
    "export": "incident_tui.cli.records:export",
    "import": "incident_tui.cli.records:import_",
    "edit": "incident_tui.cli.edit:edit",
    "template": "incident_tui.cli.comms:template",
    "config": "incident_tui.cli.comms:config",
    "brief": "incident_tui.cli.aids:brief",
    "criteria": "incident_tui.cli.aids:criteria",
    "close": "incident_tui.cli.aids:close",
    "reopen": "incident_tui.cli.aids:reopen",
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

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        for number, arg in enumerate(args, start=1):
            if not is_utf8(arg):
                fail(f"argument {number} is not valid UTF-8: {arg!r}")
        return super().parse_args(ctx, args)

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
        finally:
            if isinstance(ctx.obj, Session) and ctx.obj.opened is not None:
                stale = ctx.obj.opened.index_stale
                if stale:
                    click.echo(f"warning: {inert(stale)}", err=True)


@click.group(
    cls=IncidentCommands,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.option(
    "--data-dir",
    type=click.Path(path_type=Path),  # a file here is the store's one-line error, exit 1
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
    import shutil
    import tempfile

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


for _command in WRITE_COMMANDS:
    main.add_command(_command)
