"""Commands that read or move whole records: ``list``, ``show``, ``export`` and ``import``."""

from __future__ import annotations

import os
import sys
from datetime import UTC
from pathlib import Path

import click
import orjson

from incident_tui.cli.session import echo, session
from incident_tui.cli.show import list_lines, show_lines
from incident_tui.core.attention_rules import attention_json
from incident_tui.core.cadence import updates_due
from incident_tui.core.clock import to_iso
from incident_tui.core.config import Config, load_config
from incident_tui.core.errors import InvalidInputError, StoreError
from incident_tui.core.export import from_json
from incident_tui.core.operations import export as export_record
from incident_tui.core.operations import render
from incident_tui.core.record_schema import check_record, too_big
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
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print the complete record as JSON, with the computed updates_due and attention.",
)
def show(incident_id: str | None, as_json: bool) -> None:
    """Show one incident: header, what needs attention, roles, recent timeline, open actions."""
    current = session()
    handle = current.incident(incident_id)
    now = current.store.clock.now()
    config = _config()
    if as_json:
        record = handle.record()  # the complete record: every event
        raw = record.to_dict()
        check_record(raw)
        raw["updates_due"] = updates_due(record, now, config)
        raw["attention"] = attention_json(record, now, config)
        echo(json_inert(orjson.dumps(raw, option=orjson.OPT_INDENT_2).decode()))
    else:
        # The state and the last rows: read from the saved facts, not every event.
        echo("\n".join(show_lines(handle.glance(), now, config)))


def _config() -> Config:
    """The user's settings; a broken file is reported on stderr and the defaults used."""
    loaded = load_config()
    if loaded.error:
        echo(f"warning: {loaded.error}; using the built-in defaults", err=True)
    return loaded.config


@click.command()
@click.argument("incident_id", required=False, metavar="[ID]")
@click.option("--format", "fmt", type=click.Choice(["md", "json"]), default="md", show_default=True)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, allow_dash=True),
    help="Write to FILE (replaced atomically, never a device or link; - for standard output).",
)
@click.option(
    "--utc/--local",
    "utc",
    default=None,
    help="Times in UTC or in the local zone (default: export.utc in the config, else local).",
)
def export(incident_id: str | None, fmt: str, output: Path | None, utc: bool | None) -> None:
    """Export the incident summary (Markdown for the AAR) or the complete record (JSON)."""
    current = session()
    record = current.incident(incident_id).record()
    now = current.store.clock.now()
    tz = UTC if (_config().export_utc if utc is None else utc) else None
    if output is None or str(output) == "-":
        echo(render(record, fmt, now, tz), nl=False)
        return
    echo(str(export_record(record, output, now, fmt, tz=tz)))


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
