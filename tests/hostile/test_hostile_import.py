"""``incident-tui import``: the schema refuses a wrong record with one line naming the field,
and a refused import leaves the data dir exactly as it was."""

from __future__ import annotations

import copy
import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest
from hostile_helpers import assert_inert, assert_one_error_line, hostile_text, run, snapshot
from hypothesis import given, settings
from hypothesis import strategies as st

from incident_tui.core.schema import MAX_IMPORT_BYTES


@pytest.fixture
def exported(data: Path) -> dict[str, Any]:
    """A complete record with one of everything, as ``export --format json`` writes it."""
    for args in (
        ["log", "Hypothesis: the pool", "--author", "bo"],
        ["decide", "Roll back", "--why", "errors"],
        ["action", "Add an alert", "--owner", "cy", "--due", "2026-12-01"],
        ["role", "comms", "dee"],
    ):
        assert run(data, *args).code == 0
    record: dict[str, Any] = json.loads(run(data, "export", "--format", "json").out)
    return record


def _import(tmp_path: Path, record: Any) -> tuple[Path, Any]:
    target = tmp_path / "fresh"
    target.mkdir(exist_ok=True)
    source = tmp_path / "in.json"
    source.write_bytes(record if isinstance(record, bytes) else json.dumps(record).encode())
    before = snapshot(target)
    return target, (run(target / "data", "import", str(source)), before)


WRONG_TYPES = [
    (("incident", "title"), 12345, "incident.title"),
    (("incident", "severity"), 9, "incident.severity"),
    (("incident", "severity"), "2", "incident.severity"),
    (("incident", "status"), "fixed", "incident.status"),
    (("incident", "detected_at"), "yesterday", "incident.detected_at"),
    (("incident", "detected_at"), "2026-11-28T14:00:00", "incident.detected_at"),
    (("incident", "id"), "INC-20260101-1\n", "incident.id"),
    (("incident", "id"), "INC-2026010\u0661-1", "incident.id"),
    (("incident", "id"), None, "incident.id"),
    (("incident", "checklist"), ["a"], "incident.checklist"),
    (("incident",), ["a", "list"], "incident"),
    (("events",), {"not": "a list"}, "events"),
    (("events", 0, "kind"), "party", "events[0].kind"),
    (("events", 0, "text"), ["x"], "events[0].text"),
    (("events", 0, "data"), [1, 2], "events[0].data"),
    (("roles", 0, "role"), "boss", "roles[0].role"),
    (("roles", 0, "released"), "yes", "roles[0].released"),
    (("decisions", 0, "reversible"), "maybe", "decisions[0].reversible"),
    (("action_items", 0, "due"), 17, "action_items[0].due"),
    (("action_items", 0, "done"), 1, "action_items[0].done"),
    (("events", 0, "occurred_at"), "0001-01-01T00:00:00+00:00", "events[0].occurred_at"),
    (("action_items", 0, "due"), "9999-12-31T00:00:00+00:00", "action_items[0].due"),
]


@pytest.mark.parametrize(("path", "value", "field"), WRONG_TYPES)
def test_a_wrong_field_is_refused_naming_it(
    exported: dict[str, Any], tmp_path: Path, path: tuple[Any, ...], value: Any, field: str
) -> None:
    record = copy.deepcopy(exported)
    record["incident"]["id"] = "INC-20261201-7"  # not the one already in the source dir
    holder = record
    for key in path[:-1]:
        holder = holder[key]
    holder[path[-1]] = value
    target, (outcome, before) = _import(tmp_path, record)
    assert_one_error_line(outcome, "in.json", field)
    assert (
        snapshot(target) == before
        or not (target / "data" / "incidents").exists()
        or [p.name for p in (target / "data" / "incidents").glob("*.db")] == []
    )


def test_the_record_itself_round_trips(exported: dict[str, Any], tmp_path: Path) -> None:
    target, (outcome, _) = _import(tmp_path, exported)
    assert outcome.code == 0, outcome
    again = json.loads(run(target / "data", "export", "--format", "json").out)
    assert again == exported


def test_deep_nesting_gives_one_line(exported: dict[str, Any], tmp_path: Path) -> None:
    deep: Any = 1
    for _ in range(300):
        deep = {"a": deep}
    exported["events"][0]["data"] = deep
    _, (outcome, _) = _import(tmp_path, exported)
    assert_one_error_line(outcome, "events[0].data", "nested")
    very_deep = b'{"format":"incident-tui/record","version":1,"incident":' + b"[" * 200_000
    _, (outcome, _) = _import(tmp_path, very_deep)
    assert_one_error_line(outcome, "in.json")


def test_an_oversized_import_is_refused_before_it_is_read(data: Path, tmp_path: Path) -> None:
    huge = tmp_path / "huge.json"
    with open(huge, "wb") as handle:  # sparse: 200 MB that take no disk
        handle.truncate(200 * 1024 * 1024)
    started = time.perf_counter()
    outcome = run(data, "import", str(huge))
    assert_one_error_line(outcome, "huge.json", "too large")
    assert time.perf_counter() - started < 2.0


def test_an_oversized_import_on_stdin_is_refused(data: Path) -> None:
    outcome = run(data, "import", "-", stdin=b" " * (MAX_IMPORT_BYTES + 10))
    assert_one_error_line(outcome, "too large")


def test_a_100k_event_incident_of_about_30_mb_still_imports(
    exported: dict[str, Any], tmp_path: Path
) -> None:
    template = exported["events"][0]
    exported["events"] = [
        {**template, "id": f"01J{n:023d}", "text": f"event {n} " + "x" * 180}
        for n in range(100_000)
    ]
    exported["incident"]["id"] = "INC-20261201-9"
    body = json.dumps(exported).encode()
    assert 25 * 1024 * 1024 < len(body) < MAX_IMPORT_BYTES
    target, (outcome, _) = _import(tmp_path, body)
    assert outcome.code == 0, outcome.err
    assert run(target / "data", "show", "INC-20261201-9").code == 0


@settings(max_examples=15, deadline=None)
@given(
    field=st.sampled_from(["title", "impact", "summary"]),
    text=hostile_text,
    junk=st.one_of(st.integers(), st.floats(allow_nan=True), st.booleans(), st.lists(st.none())),
)
def test_any_value_is_either_imported_inert_or_refused(field: str, text: str, junk: Any) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        data = root / "data"
        record = {
            "format": "incident-tui/record",
            "version": 1,
            "incident": {
                "id": "INC-20261128-3",
                "title": "t",
                "severity": 2,
                "status": "investigating",
                "detected_at": "2026-11-28T13:00:00+00:00",
                "declared_at": "2026-11-28T13:05:00+00:00",
            },
            "events": [],
            "roles": [],
            "decisions": [],
            "action_items": [],
        }
        for value in (text, junk):
            record["incident"][field] = value
            source = root / "in.json"
            source.write_bytes(json.dumps(record).encode())
            outcome = run(data, "import", str(source))
            assert_inert(outcome.out + outcome.err)
            if isinstance(value, str):
                assert outcome.code == 0, outcome
                reads = (["show", "3"], ["export", "3"], ["list"], ["brief", "--incident", "3"])
                for args in reads:
                    shown = run(data, *args)
                    assert shown.code == 0, (args, shown)
                    assert_inert(shown.out + shown.err, " ".join(args))
                os.unlink(data / "incidents" / "INC-20261128-3.db")
            else:
                assert_one_error_line(outcome, f"incident.{field}")
