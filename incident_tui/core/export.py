"""The incident's exports: Markdown for the after-action review, JSON to rebuild it exactly.

The Markdown lives in :mod:`incident_tui.core.aar`; the escaping in
:mod:`incident_tui.core.markdown`. Both are re-exported here, where callers look first.
"""

from __future__ import annotations

import orjson

from incident_tui.core.aar import to_markdown
from incident_tui.core.errors import InvalidInputError
from incident_tui.core.markdown import block, inline
from incident_tui.core.models import IncidentRecord
from incident_tui.core.record_schema import check_record, record_from_json
from incident_tui.core.sanitize import inert, json_inert
from incident_tui.core.schema import SchemaError


def to_json(record: IncidentRecord) -> str:
    """The complete record as indented JSON, enough to rebuild the incident exactly.

    Checked against the schema an import applies, and with every character a terminal might
    obey written as a JSON escape, so printing it is as safe as printing the Markdown.
    """
    raw = record.to_dict()
    check_record(raw)
    return json_inert(orjson.dumps(raw, option=orjson.OPT_INDENT_2).decode()) + "\n"


def from_json(text: str | bytes, source: str = "input") -> IncidentRecord:
    """Rebuild a record from :func:`to_json` output; one-line error naming ``source`` if bad."""
    body = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    try:
        return record_from_json(body)
    except SchemaError as exc:
        raise InvalidInputError(f"{source}: {inert(str(exc))}") from None


__all__ = ["block", "from_json", "inline", "to_json", "to_markdown"]
