"""Hostile text through every CLI command and out of every output path.

Whatever a title, note, name or reason holds (escape sequences, OSC 52, C1, bidi overrides,
markup, newlines), each command either works or gives one error line; no output path
(stdout, stderr, Markdown and JSON exports, the brief, templates, the copied file) carries a
raw control character, and a one-line field never forges a line of its own.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hostile_helpers import assert_inert, hostile_text, nonblank_hostile, run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

WRITES = [
    ["log", "{t}", "--author", "{n}"],
    ["log", "{t}", "--kind", "comms", "--audience", "internal"],
    ["role", "comms", "{n}"],
    ["role", "sme", "{n}"],
    ["decide", "{t}", "--why", "{t}", "--alternatives", "{t}", "--by", "{n}"],
    ["action", "{t}", "--owner", "{n}", "--due", "2026-12-01"],
    ["sev", "2", "--reason", "{t}"],
    ["status", "identified", "--note", "{t}"],
    ["mark", "mitigated", "--note", "{t}"],
    ["edit", "--impact", "{t}", "--summary", "{t}"],
    ["update", "stakeholders", "{t}"],
    ["snooze", "internal", "15"],
    ["amend", "{e}", "{t}"],
    ["strike", "{e}", "--why", "{t}"],
]
READS = [
    ["list"],
    ["list", "--all", "--json"],
    ["show"],
    ["show", "--json"],
    ["export"],
    ["export", "--format", "json"],
    ["brief"],
    ["brief", "--copy"],
    ["template", "investigating"],
    ["template", "identified", "--format", "markdown"],
    ["template", "monitoring", "--format", "slack", "--copy"],
    ["nudges"],
    ["criteria"],
    ["close"],
    ["reopen"],
    ["show", "--json"],
    ["close"],
]


def _fill(args: list[str], text: str, name: str, event: str = "") -> list[str]:
    return [arg.replace("{t}", text).replace("{n}", name).replace("{e}", event) for arg in args]


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(title=nonblank_hostile, text=nonblank_hostile, name=nonblank_hostile)
def test_hostile_text_through_every_command_and_output(title: str, text: str, name: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        made = run(data, "new", title, "--impact", text, "--responder", name)
        assert made.code == 0, made
        event = run(data, "log", "to be amended, then struck").out.strip()
        for args in WRITES:
            outcome = run(data, *_fill(args, text, name, event))
            assert outcome.code in (0, 1, 2), (args, outcome)  # 2: click's usage error
            assert_inert(outcome.out + outcome.err, " ".join(args))
            # A one-line answer stays one line, whatever the text held.
            assert outcome.out.count("\n") <= 1, (args, outcome.out)
        brief = run(data, "brief").out
        assert sum(line.startswith("Status: ") for line in brief.splitlines()) == 1, brief
        for args in READS:
            outcome = run(data, *args)
            assert outcome.code in (0, 1), (args, outcome)
            assert_inert(outcome.out + outcome.err, " ".join(args))
        copied = Path(tmp) / "state" / "last-update.txt"
        assert_inert(copied.read_text(encoding="utf-8"), "last-update.txt")
        # The JSON export is still exact: escaping for the terminal lost nothing.
        record = json.loads(run(data, "show", "INC-20261128-1", "--json").out)
        assert record["incident"]["title"] == title.strip()


@settings(max_examples=8, deadline=None)
@given(text=hostile_text)
def test_error_messages_quoting_user_input_are_inert(text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        for args in (
            ["show", text],
            ["log", "x", "--kind", text],
            ["log", "x", "--at", text],
            ["sev", text],
            ["status", text],
            ["role", text, "ana"],
            ["edit", "--aar", text],
            ["new", "t", "--source", text],
            ["done", text],
        ):
            outcome = run(data, *args)
            assert outcome.code in (0, 1, 2), (args, outcome)
            assert_inert(outcome.out + outcome.err, " ".join(args))


@settings(max_examples=10, deadline=None)
@given(
    moment=st.sampled_from(
        ["0001-01-01T00:00:00Z", "9999-12-31", "1899-12-31T23:59:59+14:00", "2101-01-01"]
    ),
    option=st.sampled_from(["--at", "--due", "--detected-at"]),
)
def test_times_out_of_range_are_refused_and_change_nothing(moment: str, option: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        assert run(data, "new", "Checkout errors").code == 0
        before = (data / "incidents" / "INC-20261128-1.db").read_bytes()
        command = {"--at": ["log", "x"], "--due": ["action", "x"], "--detected-at": ["new", "y"]}
        outcome = run(data, *command[option], option, moment)
        assert outcome.code == 1, outcome
        assert "between the years" in outcome.err or "out of range" in outcome.err
        assert (data / "incidents" / "INC-20261128-1.db").read_bytes() == before
        assert sorted(p.name for p in (data / "incidents").glob("*.db")) == ["INC-20261128-1.db"]
        assert run(data, "show").code == 0
