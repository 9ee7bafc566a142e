"""Commands that read or move whole records: ``list``, ``show``, ``export`` and ``import``."""

from __future__ import annotations

from pathlib import Path

import click
import orjson

from incident_tui.cli.session import session
from incident_tui.cli.show import list_lines, show_lines
from incident_tui.core.clock import to_iso
from incident_tui.core.errors import StoreError
from incident_tui.core.export import from_json, to_json
from incident_tui.core.operations import export as export_record
from incident_tui.core.operations import render


@click.command("list")
@click.option("--all", "include_closed", is_flag=True, help="Include closed incidents.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def list_(include_closed: bool, as_json: bool) -> None:
    """List incidents, newest first (open ones unless --all)."""
    summaries = session().store.list_incidents(include_closed=include_closed)
    if as_json:
        rows = [
            {
                "id": s.id,
                "title": s.title,
                "severity": int(s.severity),
                "status": s.status.value,
                "declared_at": to_iso(s.declared_at),
                "detected_at": to_iso(s.detected_at),
            }
            for s in summaries
        ]
        click.echo(orjson.dumps(rows, option=orjson.OPT_INDENT_2).decode())
    elif summaries:
        click.echo("\n".join(list_lines(summaries)))
    elif include_closed:
        click.echo("no incidents")
    else:
        click.echo("no open incidents (use --all to include closed ones)")


@click.command()
@click.argument("incident_id", required=False, metavar="[ID]")
@click.option("--json", "as_json", is_flag=True, help="Print the complete record as JSON.")
def show(incident_id: str | None, as_json: bool) -> None:
    """Show one incident: header, roles, recent timeline, open action items."""
    current = session()
    record = current.incident(incident_id).record()
    if as_json:
        click.echo(to_json(record), nl=False)
    else:
        click.echo("\n".join(show_lines(record, current.store.clock.now())))


@click.command()
@click.argument("incident_id", required=False, metavar="[ID]")
@click.option("--format", "fmt", type=click.Choice(["md", "json"]), default="md", show_default=True)
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write to FILE.")
def export(incident_id: str | None, fmt: str, output: Path | None) -> None:
    """Export the incident summary (Markdown for the AAR) or the complete record (JSON)."""
    current = session()
    record = current.incident(incident_id).record()
    now = current.store.clock.now()
    if output is None:
        click.echo(render(record, fmt, now), nl=False)
        return
    click.echo(str(export_record(record, output, now, fmt)))


@click.command("import")
@click.argument("file", type=click.Path(path_type=Path))
def import_(file: Path) -> None:
    """Recreate an incident from a JSON export; prints its id."""
    try:
        raw = file.read_bytes()
    except OSError as exc:
        raise StoreError(f"{file}: cannot read ({exc.strerror or exc})") from None
    record = from_json(raw, source=str(file))
    click.echo(session().store.import_record(record).id)
