"""``incident-tui template`` and ``incident-tui config``: status updates and settings from a shell.

No textual here: the clipboard chain is the core's (local tool, tmux buffer, file); OSC 52 is
left to the TUI, which owns the terminal.
"""

from __future__ import annotations

import click

from incident_tui.cli.session import echo, incident_option, session
from incident_tui.core import operations as ops
from incident_tui.core.clipboard import copy_text
from incident_tui.core.commslint import lint_update
from incident_tui.core.config import config_path, load_config, read_config, write_default_config
from incident_tui.core.errors import IncidentError
from incident_tui.core.models import Audience
from incident_tui.core.templates import comms_event, fill_update, parse_format, parse_state


@click.command()
@click.argument("state", metavar="STATE")
@click.option(
    "--audience",
    default="external",
    show_default=True,
    help="internal, stakeholders or external.",
)
@click.option(
    "--format",
    "fmt",
    default="plain",
    show_default=True,
    help="plain, markdown or slack.",
)
@click.option(
    "--copy",
    is_flag=True,
    help="Copy it (clipboard tool, else tmux buffer; always a 0600 file) and log the update.",
)
@click.option(
    "--post",
    is_flag=True,
    help="Post it to the audience's destinations (destinations.toml) and copy it; logged "
    "with each destination's outcome. Exit 1 if any post failed.",
)
@incident_option
def template(
    state: str, audience: str, fmt: str, copy: bool, post: bool, incident_id: str | None
) -> None:
    """Print the status update for STATE (investigating, identified, monitoring, resolved).

    Every placeholder is filled from the incident. Warnings about wording go to stderr and
    never stop the copy. With --copy the update is logged as a comms event, which restarts
    that audience's countdown.
    """
    chosen_state = parse_state(state)
    chosen_audience = Audience.parse(audience)
    chosen_format = parse_format(fmt)
    loaded = load_config()
    if loaded.error:
        echo(f"warning: {loaded.error}; using the built-in defaults", err=True)
    config = loaded.config
    handle = session().incident(incident_id)
    record = handle.record()
    text = fill_update(
        record, chosen_audience, chosen_state, chosen_format, handle.clock.now(), config
    )
    echo(text)
    for warning in lint_update(text, chosen_audience, chosen_state, record.incident):
        echo(f"warning: {warning.message}", err=True)
    if not (copy or post):
        return
    result = copy_text(text, timeout=config.clipboard_timeout)
    summary, data = comms_event(chosen_audience, chosen_state, chosen_format, text, result.method)
    data["confirmed"] = result.confirmed is not None
    failure: str | None = None
    if post:
        from incident_tui.cli.posting import post_from_cli

        note, posted, failure = post_from_cli(
            record, chosen_audience, chosen_state, chosen_format, text, handle.clock.now(), config
        )
        summary += f" · {note}"
        data.update(posted)
    ops.record_update(handle, chosen_audience, text, summary=summary, details=data)
    echo(result.summary(), err=True)
    if failure:
        raise IncidentError(failure)


@click.command()
@click.option("--path", "show_path", is_flag=True, help="Print where the config file is read from.")
@click.option("--init", is_flag=True, help="Write the defaults there as a commented TOML file.")
@click.option("--check", is_flag=True, help="Read the file strictly; exit 1 naming a bad line.")
def config(show_path: bool, init: bool, check: bool) -> None:
    """Where the settings live (cadences, template wording, clipboard timeout)."""
    path = config_path()
    if init:
        echo(f"wrote {write_default_config(path)}")
    elif check:
        read_config(path)  # raises a one-line ConfigError naming the line
        state = "valid" if path.exists() else "absent (built-in defaults apply)"
        echo(f"{path}: {state}")
    else:
        if not show_path:
            echo("(use --init to write the defaults, --check to validate)", err=True)
        echo(str(path))
