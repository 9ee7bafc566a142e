"""Every way a command is refused: exit 1 and one ``error:`` line (2 for usage), no damage."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_helpers import Cli, assert_one_line_error


@pytest.fixture
def incident(cli: Cli) -> str:
    """One declared incident; its id."""
    result = cli("new", "Checkout errors", "--responder", "Priya")
    assert result.code == 0, result.err
    return result.out.strip()


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["new", "Title", "--sev", "5"], "severity must be 1 to 4"),
        (["new", "Title", "--sev", "high"], "severity must be 1 to 4"),
        (["new", "Title", "--source", "pager"], "unknown detection source 'pager'"),
        (["new", "   "], "title must not be empty"),
        (["new", "Title", "--detected-at", "2026-11-28T15:00:00Z"], "in the future"),
        (["new", "Title", "--detected-at", "yesterday"], "cannot read time 'yesterday'"),
        (["new", "Title", "--detected-at", "25:00"], "not a time of day"),
        (["show"], "no open incident"),
        (["log", "text"], "no open incident"),
        (["export"], "no open incident"),
    ],
)
def test_bad_input_without_an_incident(cli: Cli, args: list[str], fragment: str) -> None:
    assert_one_line_error(cli(*args), fragment)
    assert not list((cli.data_dir / "incidents").glob("*.db"))


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["sev", "0"], "severity must be 1 to 4"),
        (["sev", "1"], "severity is already SEV-1"),
        (["status", "done"], "unknown status 'done'"),
        (["status", "investigating"], "status is already investigating"),
        (["role", "boss", "Ana"], "unknown role 'boss'"),
        (["role", "ic", "Priya"], "Priya already holds Incident commander"),
        (["role", "sme", "Wei", "--release"], "Wei does not hold"),
        (["log", "text", "--kind", "gossip"], "unknown event kind 'gossip'"),
        (["log", "text", "--at", "2026-11-28T14:30:00+00:00"], "in the future"),
        (["log", "text", "--at", "noonish"], "cannot read time"),
        (["log", "   "], "event text must not be empty"),
        (["log", "sent", "--audience", "press"], "unknown audience 'press'"),
        (["log", "sent", "--audience", "external", "--kind", "note"], "needs --kind comms"),
        (["log", "text", "--incident", "INC-20990101-9"], "no incident 'INC-20990101-9'"),
        (["show", "NOPE"], "no incident 'NOPE'"),
        (["export", "INC-1999"], "no incident 'INC-1999'"),
        (["done", "ZZZZZZZZ"], "no single action item matches"),
        (["decide", ""], "decision must not be empty"),
        (["action", "Fix it", "--due", "someday"], "cannot read time"),
        (["mark", "verified", "--at", "2026-11-29T00:00:00Z"], "cannot be in the future"),
        (["edit", "--aar", "next week"], "use YYYY-MM-DD or +N days"),
        (["edit", "--title", " "], "title must not be empty"),
    ],
)
def test_bad_input_leaves_the_incident_untouched(
    cli: Cli, incident: str, args: list[str], fragment: str
) -> None:
    path = cli.file_of(incident)
    before = path.read_bytes()
    assert_one_line_error(cli(*args), fragment)
    assert path.read_bytes() == before


GARBAGE = {
    "garbage": b"\x00\x01 this is not json at all\n",
    "wrong shape": b'["a", "list"]\n',
    "unknown version": b'{"incident_tui_journal": 99}\n{"ops": []}\n',
    "empty": b"",
    "damaged line": b'{"incident_tui_journal": 1}\n{"ops": [["put"]]}\n',
}


@pytest.mark.parametrize("kind", sorted(GARBAGE))
@pytest.mark.parametrize(
    "args",
    [
        ["show", "{id}"],
        ["show", "{id}", "--json"],
        ["export", "{id}"],
        ["log", "more", "--incident", "{id}"],
        ["sev", "1", "--incident", "{id}"],
    ],
)
def test_unreadable_data_file_is_named_and_never_overwritten(
    cli: Cli, incident: str, kind: str, args: list[str]
) -> None:
    path = cli.file_of(incident)
    path.write_bytes(GARBAGE[kind])
    result = cli(*(arg.format(id=incident) for arg in args))
    assert_one_line_error(result, str(path))
    assert path.read_bytes() == GARBAGE[kind]


def test_list_still_works_beside_an_unreadable_file(cli: Cli, incident: str) -> None:
    cli.file_of(incident).write_bytes(b"garbage")
    other = cli("new", "Search slow").out.strip()
    result = cli("list")
    assert result.code == 0, result.err
    assert [line.split()[0] for line in result.lines] == [other]


def test_import_of_bad_files(cli: Cli, tmp_path: Path) -> None:
    missing = tmp_path / "missing.json"
    assert_one_line_error(cli("import", str(missing)), str(missing), "cannot read")
    garbage = tmp_path / "garbage.json"
    garbage.write_text("{{{")
    assert_one_line_error(cli("import", str(garbage)), str(garbage), "not valid JSON")
    other = tmp_path / "other.json"
    other.write_text('{"hello": "world"}')
    assert_one_line_error(cli("import", str(other)), str(other), "not an incident-tui record")
    directory = tmp_path / "adir.json"
    directory.mkdir()
    assert_one_line_error(cli("import", str(directory)), str(directory))
    assert cli("list", "--all").out == "no incidents\n"


def test_export_to_an_unwritable_place(cli: Cli, incident: str, tmp_path: Path) -> None:
    target = tmp_path / "no-such-dir" / "summary.md"
    assert_one_line_error(cli("export", "-o", str(target)), str(target), "cannot write")
    assert not target.parent.exists()
    assert_one_line_error(cli("export", "-o", str(tmp_path)), str(tmp_path), "cannot write")
    assert not list(tmp_path.parent.glob(".*.tmp"))


def test_export_failure_keeps_an_existing_file(cli: Cli, incident: str, tmp_path: Path) -> None:
    target = tmp_path / "summary.md"
    target.write_text("previous export")
    cli.file_of(incident).write_bytes(b"garbage")
    assert_one_line_error(cli("export", "-o", str(target)))
    assert target.read_text() == "previous export"


def test_bad_frozen_clock_hook_is_a_clear_error(cli: Cli) -> None:
    assert_one_line_error(cli("list", at="not-a-time"), "INCIDENT_TUI_FROZEN_AT")


def test_data_dir_that_is_a_file(cli: Cli, tmp_path: Path) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("I am a file")
    assert_one_line_error(cli("--data-dir", str(blocker / "sub"), "list"), str(blocker))
    assert blocker.read_text() == "I am a file"


@pytest.mark.parametrize(
    "args",
    [
        ["frobnicate"],
        ["new"],
        ["new", "Title", "--severity", "1"],
        ["log"],
        ["sev"],
        ["role", "ic"],
        ["export", "--format", "xml"],
        ["mark", "finished"],
        ["list", "--json", "extra"],
        ["import"],
        ["edit"],
        ["--demo", "list"],
    ],
)
def test_usage_errors_exit_2(cli: Cli, args: list[str]) -> None:
    result = cli(*args)
    assert result.code == 2, (result.code, result.err)
    assert result.out == ""
    assert "Usage:" in result.err or "Error:" in result.err
    assert "Traceback" not in result.err
