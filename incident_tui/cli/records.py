"""Commands that read or move whole records: ``list``, ``show``, ``export`` and ``import``."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click
import orjson

from incident_tui.cli.session import echo, session
from incident_tui.cli.show import list_lines, show_lines
from incident_tui.core.clock import to_iso
from incident_tui.core.errors import InvalidInputError, StoreError
from incident_tui.core.export import from_json, to_json
from incident_tui.core.operations import export as export_record
from incident_tui.core.operations import render
from incident_tui.core.record_schema import too_big
from incident_tui.core.sanitize import json_inert
from incident_tui.core.schema import MAX_IMPORT_BYTES


@click.command("list")
@click.option("--all", "include_closed", is_flag=True, help="Include closed incidents.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def list_(include_closed: bool, as_json: bool) -> None:
    """List incidents, newest first (open ones unless --all)."""
    store = session().store
    summaries = store.list_incidents(include_closed=include_closed)
    for problem in store.unreadable:
        echo(f"warning: {problem} (not listed)", err=True)
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
        echo(json_inert(orjson.dumps(rows, option=orjson.OPT_INDENT_2).decode()))
    elif summaries:
        echo("\n".join(list_lines(summaries)))
    elif include_closed:
        echo("no incidents")
    else:
        echo("no open incidents (use --all to include closed ones)")


@click.command()
@click.argument("incident_id", required=False, metavar="[ID]")
@click.option("--json", "as_json", is_flag=True, help="Print the complete record as JSON.")
def show(incident_id: str | None, as_json: bool) -> None:
    """Show one incident: header, roles, recent timeline, open action items."""
    current = session()
    record = current.incident(incident_id).record()
    if as_json:
        echo(to_json(record), nl=False)
    else:
        echo("\n".join(show_lines(record, current.store.clock.now())))


@click.command()
@click.argument("incident_id", required=False, metavar="[ID]")
@click.option("--format", "fmt", type=click.Choice(["md", "json"]), default="md", show_default=True)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, allow_dash=True),
    help="Write to FILE (replaced atomically, never a device or link; - for standard output).",
)
def export(incident_id: str | None, fmt: str, output: Path | None) -> None:
    """Export the incident summary (Markdown for the AAR) or the complete record (JSON)."""
    current = session()
    record = current.incident(incident_id).record()
    now = current.store.clock.now()
    if output is None or str(output) == "-":
        echo(render(record, fmt, now), nl=False)
        return
    echo(str(export_record(record, output, now, fmt)))


@click.command("import")
@click.argument("file", type=click.Path(path_type=Path, allow_dash=True))
def import_(file: Path) -> None:
    """Recreate an incident from a JSON export; prints its id."""
    record = from_json(read_limited(file), source=str(file))
    echo(session().store.import_record(record).id)


def read_limited(file: Path) -> bytes:
    """The bytes of an import, refused before reading past the size limit."""
    try:
        if str(file) == "-":
            body = sys.stdin.buffer.read(MAX_IMPORT_BYTES + 1)
        else:
            with open(file, "rb") as handle:
                size = os.fstat(handle.fileno()).st_size
                if size > MAX_IMPORT_BYTES:
                    raise InvalidInputError(f"{file}: {too_big(size)}")
                body = handle.read(MAX_IMPORT_BYTES + 1)  # a pipe has no size to ask first
    except OSError as exc:
        raise StoreError(f"{file}: cannot read ({exc.strerror or exc})") from None
    if len(body) > MAX_IMPORT_BYTES:
        raise InvalidInputError(f"{file}: {too_big(len(body))} or more")
    return body
