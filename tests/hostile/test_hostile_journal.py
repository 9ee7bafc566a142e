"""Hand-written bad lines in an incident file: the file is named (with its line) in one error,
never changed, and every other incident keeps working."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hostile_helpers import assert_inert, assert_one_error_line, run
from hypothesis import given, settings
from hypothesis import strategies as st

BAD = "INC-20261128-1"
GOOD = "INC-20261128-2"


@pytest.fixture
def two(data: Path) -> Path:
    """INC-...-1 (about to be damaged) and INC-...-2 (fine, and the latest)."""
    assert run(data, "new", "Search slow").out.strip() == GOOD
    return data


def _header(data: Path) -> dict[str, Any]:
    record = json.loads(run(data, "show", BAD, "--json").out)
    header: dict[str, Any] = record["incident"]
    return header


def _append(data: Path, *ops: list[Any]) -> Path:
    path = data / "incidents" / f"{BAD}.db"
    with open(path, "ab") as handle:
        handle.write(json.dumps({"ops": list(ops)}).encode() + b"\n")
    return path


def _line_count(path: Path) -> int:
    return path.read_bytes().count(b"\n")


HEADER_DAMAGE = [
    ("title", 12345, "title"),
    ("severity", 9, "severity"),
    ("status", None, "status"),
    ("id", "INC-20261128-1\n", "id"),
    ("detected_at", "2026-13-45", "detected_at"),
    ("checklist", ["a", "list"], "checklist"),
]


@pytest.mark.parametrize(("field", "value", "named"), HEADER_DAMAGE)
def test_a_damaged_header_names_file_line_and_field(
    two: Path, field: str, value: Any, named: str
) -> None:
    header = _header(two)
    header[field] = value
    path = _append(two, ["put", "incident", "1", header])
    damaged = path.read_bytes()
    outcome = run(two, "show", BAD)
    assert_one_error_line(outcome, str(path), f"line {_line_count(path)}", named)
    for args in (["export", BAD], ["log", "x", "--incident", BAD], ["brief", "--incident", BAD]):
        assert_one_error_line(run(two, *args), str(path))
    listed = run(two, "list")
    assert listed.code == 0 and listed.out.split()[0] == GOOD
    assert str(path) in listed.err and listed.err.count("\n") == 1
    for args in (["show", GOOD], ["log", "more", "--incident", GOOD], ["log", "latest"], ["brief"]):
        outcome = run(two, *args)
        assert outcome.code == 0, (args, outcome)
        assert_inert(outcome.out + outcome.err)
    assert path.read_bytes() == damaged


def test_a_missing_id_or_a_list_for_a_document(two: Path) -> None:
    header = _header(two)
    del header["id"]
    path = _append(two, ["put", "incident", "1", header])
    assert_one_error_line(run(two, "show", BAD), str(path), "id")
    path = _append(two, ["put", "events", "99", ["a", "list"]])
    assert_one_error_line(run(two, "show", BAD), str(path), f"line {_line_count(path)}")
    assert run(two, "show", GOOD).code == 0


def test_a_bad_event_names_the_line(two: Path) -> None:
    event = json.loads(run(two, "show", BAD, "--json").out)["events"][0]
    path = _append(two, ["put", "events", "50", {**event, "kind": "party"}])
    assert_one_error_line(run(two, "show", BAD), str(path), f"line {_line_count(path)}", "kind")
    deep: Any = 1
    for _ in range(300):
        deep = [deep]
    path = _append(two, ["put", "events", "50", {**event, "data": {"x": deep}}])
    assert_one_error_line(run(two, "show", BAD), str(path), "nested")


def test_a_time_out_of_range_already_on_disk_still_opens(two: Path) -> None:
    header = _header(two)
    header["detected_at"] = "0001-01-01T00:00:00+00:00"
    event = json.loads(run(two, "show", BAD, "--json").out)["events"][0]
    _append(
        two,
        ["put", "incident", "1", header],
        ["put", "events", "70", {**event, "occurred_at": "9999-12-31T23:59:59+00:00"}],
    )
    for args in (["show", BAD], ["export", BAD], ["brief", "--incident", BAD], ["list"]):
        outcome = run(two, *args)
        assert outcome.code == 0, (args, outcome)
        assert_inert(outcome.out + outcome.err)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner),
    max_leaves=8,
)


@settings(max_examples=15, deadline=None)
@given(
    table=st.sampled_from(["incident", "events", "roles", "decisions", "action_items"]),
    field=st.sampled_from(
        ["id", "title", "severity", "status", "kind", "text", "role", "name", "what", "due"]
    ),
    value=json_values,
)
def test_any_value_in_any_document_never_crashes_a_reader(
    table: str, field: str, value: Any
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        run(data, "new", "Checkout errors", "--responder", "ana")
        run(data, "action", "Fix", "--owner", "bo")
        run(data, "decide", "Roll back")
        record = json.loads(run(data, "show", BAD, "--json").out)
        source = {
            "incident": record["incident"],
            "events": record["events"][0],
            "roles": record["roles"][0],
            "decisions": record["decisions"][0],
            "action_items": record["action_items"][0],
        }[table]
        _append(data, ["put", table, "1", {**source, field: value}])
        path = data / "incidents" / f"{BAD}.db"
        before = path.read_bytes()
        for args in (["show"], ["list"], ["export"], ["brief"], ["show", BAD, "--json"]):
            outcome = run(data, *args)
            assert outcome.code in (0, 1), (args, outcome)
            assert_inert(outcome.out + outcome.err, " ".join(args))
            if outcome.code == 1:
                assert outcome.err.count("\n") == 1, outcome.err
        assert path.read_bytes() == before
