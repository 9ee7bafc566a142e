"""Whole records through the schema: an import decoded and checked strictly, an export checked
before it is handed out. The documents themselves are described in :mod:`.schema`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec

from incident_tui.core.models import IncidentRecord, sort_events
from incident_tui.core.schema import (
    IMPORT_YEARS,
    MAX_DEPTH,
    MAX_IMPORT_BYTES,
    RecordDoc,
    SchemaError,
    action_of,
    convert,
    decision_of,
    describe,
    event_of,
    incident_of,
    role_of,
    too_deep,
)


def record_from_json(body: bytes) -> IncidentRecord:
    """Decode and check an exported record, strictly; raises :class:`SchemaError`."""
    if len(body) > MAX_IMPORT_BYTES:
        raise SchemaError(too_big(len(body)))
    try:
        doc = msgspec.json.decode(body, type=RecordDoc)
    except msgspec.ValidationError as exc:
        message = str(exc)
        if message.startswith("Expected `object`") and " - at `" not in message:
            raise SchemaError("not an incident-tui record (expected a JSON object)") from None
        if any(
            mark in message
            for mark in ("field `format`", "field `version`", "`$.format`", "`$.version`")
        ):
            raise SchemaError(
                "not an incident-tui record (format/version missing or unknown)"
            ) from None
        raise SchemaError(f"the record has the wrong shape ({describe(exc)})") from None
    except msgspec.DecodeError as exc:
        raise SchemaError(f"not valid JSON ({describe(exc)})") from None
    except RecursionError:
        raise SchemaError("the record is nested too deeply to be an incident record") from None
    _check_import_bounds(doc)
    try:
        return IncidentRecord(
            incident=incident_of(doc.incident),
            events=tuple(sort_events(event_of(e) for e in doc.events)),
            roles=tuple(role_of(r) for r in doc.roles),
            decisions=tuple(decision_of(d) for d in doc.decisions),
            action_items=tuple(action_of(a) for a in doc.action_items),
        )
    except SchemaError as exc:
        raise SchemaError(f"the record has the wrong shape ({exc})") from None


def too_big(size: int) -> str:
    """The one line for an import over the size limit."""
    return (
        f"too large to be an incident record ({size // (1024 * 1024)} MB; "
        f"the limit is {MAX_IMPORT_BYTES // (1024 * 1024)} MB)"
    )


def _check_import_bounds(doc: RecordDoc) -> None:
    low, high = IMPORT_YEARS

    def check(moment: datetime | None, field: str) -> None:
        if moment is not None and not low <= moment.year <= high:
            raise SchemaError(
                f"the record has the wrong shape ({field}: {moment.isoformat()} is outside "
                f"the years {low}-{high})"
            )

    incident = doc.incident
    for name in (
        "detected_at",
        "declared_at",
        "acknowledged_at",
        "mitigated_at",
        "verified_at",
        "resolved_at",
        "closed_at",
    ):
        check(getattr(incident, name), f"incident.{name}")
    for i, event in enumerate(doc.events):
        check(event.occurred_at, f"events[{i}].occurred_at")
        check(event.recorded_at, f"events[{i}].recorded_at")
        if event.data and too_deep(event.data):
            raise SchemaError(
                f"the record has the wrong shape (events[{i}].data: nested more than "
                f"{MAX_DEPTH} levels deep)"
            )
    for i, role in enumerate(doc.roles):
        check(role.assigned_at, f"roles[{i}].assigned_at")
    for i, decision in enumerate(doc.decisions):
        check(decision.decided_at, f"decisions[{i}].decided_at")
    for i, item in enumerate(doc.action_items):
        check(item.created_at, f"action_items[{i}].created_at")
        check(item.due, f"action_items[{i}].due")
        check(item.done_at, f"action_items[{i}].done_at")


def check_record(raw: dict[str, Any]) -> None:
    """Check a record about to be exported against the same schema an import applies."""
    convert(raw, RecordDoc)
