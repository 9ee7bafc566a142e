"""``incident-tui edit``: the header fields, including the ones the updates are written from."""

from __future__ import annotations

from typing import Any

import click

from incident_tui.cli.session import at_option, echo, incident_option, session
from incident_tui.core import operations as ops
from incident_tui.core.sanitize import inert


@click.command()
@click.option("--title", help="A new title.")
@click.option("--impact", help="Customer impact: who, how many, how.")
@click.option(
    "--scope", help='Customer-facing scope, a noun phrase: "card payments for EU customers".'
)
@click.option(
    "--status-note",
    "--hypothesis",
    "status_note",
    help="The current status note or working hypothesis (the handoff brief's hypothesis).",
)
@click.option("--workaround", help="What affected users can do meanwhile.")
@click.option("--eta", help='When a fix is expected, e.g. "16:30 UTC" ("" for no ETA yet).')
@click.option("--data-at-risk", "data_at_risk", help="Which data may be lost or wrong.")
@click.option("--summary", help="The 1-2 paragraph summary for the export.")
@click.option("--source", help="How it was detected: alert, customer, internal, third-party.")
@click.option("--aar", "aar", metavar="DATE", help="AAR date: YYYY-MM-DD or +N days.")
@at_option
@incident_option
def edit(aar: str | None, at: str | None, incident_id: str | None, **fields: str | None) -> None:
    """Change header fields (timeline: old -> new); an empty value clears an update field."""
    current = session()
    changes: dict[str, Any] = {key: value for key, value in fields.items() if value is not None}
    window = current.config.aar
    if aar is not None:
        changes["aar_date"] = window.parse(aar, current.store.clock.now().astimezone().date())
    if not changes:
        raise click.UsageError(
            "nothing to change; give --title, --impact, --scope, --status-note, --workaround, "
            "--eta, --data-at-risk, --summary, --source or --aar"
        )
    handle = current.incident(incident_id)
    event = ops.edit_header(handle, at=current.time(at), window=window, **changes)
    echo(inert(event.text))
