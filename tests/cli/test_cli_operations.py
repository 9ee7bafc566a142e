"""The CLI's new writes: close, reopen, amend, strike, update, snooze, action done, --at on
every write, the AAR window in edit, and `status closed` pointing to close."""

from __future__ import annotations

import json

import pytest
from cli_helpers import Cli, assert_one_line_error


def declare(cli: Cli) -> str:
    result = cli("new", "Checkout errors", "--responder", "Priya")
    assert result.code == 0, result.err
    return result.out.strip()


def record(cli: Cli, incident_id: str | None = None) -> dict:  # type: ignore[type-arg]
    args = ["show", "--json"] + ([incident_id] if incident_id else [])
    result = cli(*args)
    assert result.code == 0, result.err
    parsed: dict = json.loads(result.out)  # type: ignore[type-arg]
    return parsed


def test_new_starts_at_sev1_unless_told_and_config_can_change_it(cli: Cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    declare(cli)
    assert record(cli)["incident"]["severity"] == 1
    config = tmp_path / "config"
    config.mkdir()
    (config / "config.toml").write_text("[declare]\nseverity = 3\n")
    second = cli("new", "Search slow", env={"INCIDENT_TUI_CONFIG_DIR": str(config)}).out.strip()
    assert record(cli, second)["incident"]["severity"] == 3


def test_status_closed_is_refused_and_points_to_close(cli: Cli) -> None:
    incident_id = declare(cli)
    before = cli.file_of(incident_id).read_bytes()
    assert_one_line_error(cli("status", "closed"), "use close")
    assert cli.file_of(incident_id).read_bytes() == before


def test_close_and_reopen(cli: Cli) -> None:
    incident_id = declare(cli)
    closed = cli("close", "--aar", "2026-12-04", "--at", "13:59")
    assert closed.code == 0, closed.err
    assert closed.out == f"closed {incident_id}; AAR on 2026-12-04\n"
    header = record(cli, incident_id)["incident"]
    assert header["status"] == "closed"
    assert header["closed_at"] == "2026-11-28T13:59:00+00:00"
    assert header["aar_date"] == "2026-12-04"
    assert "no open incidents" in cli("list").out
    assert_one_line_error(cli("close", "--incident", incident_id), "already closed")
    reopened = cli("reopen")
    assert reopened.out == "Status closed → investigating: reopened\n"
    header = record(cli)["incident"]
    assert (header["status"], header["closed_at"], header["aar_date"]) == (
        "investigating",
        None,
        None,
    )
    assert_one_line_error(cli("reopen", incident_id), "not closed")


@pytest.mark.parametrize(
    ("aar", "message"),
    [
        ("2027-06-01", "between 2026-11-29 and 2026-12-12"),
        ("2026-11-28", "between"),
        ("+15", "between"),
        ("soon", "use YYYY-MM-DD or +N days"),
    ],
)
def test_close_and_edit_enforce_the_aar_window(cli: Cli, aar: str, message: str) -> None:
    incident_id = declare(cli)
    before = cli.file_of(incident_id).read_bytes()
    assert_one_line_error(cli("close", "--aar", aar), message)
    assert_one_line_error(cli("edit", "--aar", aar), message)
    assert cli.file_of(incident_id).read_bytes() == before


def test_edit_says_old_and_new(cli: Cli) -> None:
    declare(cli)
    result = cli("edit", "--impact", "EU card payments", "--aar", "+7")
    assert result.out == "Impact: (none) -> EU card payments; AAR date: (none) -> 2026-12-05\n"


def test_amend_and_strike_keep_the_original(cli: Cli) -> None:
    declare(cli)
    note = cli("log", "DB is dwon").out.strip()
    amended = cli("amend", note[-8:], "DB is down")
    assert amended.code == 0, amended.err
    struck = cli("strike", note, "--why", "wrong incident")
    assert struck.code == 0, struck.err
    events = {e["id"]: e for e in record(cli)["events"]}
    assert events[note]["text"] == "DB is dwon"
    assert events[amended.out.strip()]["data"]["amends"] == note
    assert events[struck.out.strip()]["data"] == {"strikes": note, "why": "wrong incident"}
    shown = cli("show").out
    assert "[struck by scribe: wrong incident] DB is down" in shown
    assert cli("strike", note).code == 2  # --why is required (a usage error)
    assert_one_line_error(cli("amend", "NOPE", "x"), "no single timeline event")


def test_update_and_snooze_and_their_audience_aliases(cli: Cli) -> None:
    declare(cli)
    sent = cli("update", "customers", "We are investigating.", "--at", "13:58")
    assert sent.code == 0, sent.err
    event = next(e for e in record(cli)["events"] if e["id"] == sent.out.strip())
    assert event["data"] == {"audience": "external", "text": "We are investigating."}
    assert event["occurred_at"] == "2026-11-28T13:58:00+00:00"
    assert cli("snooze", "team", "15").out == "Internal team update snoozed 15m (until 14:15)\n"
    assert_one_line_error(cli("update", "press", "x"), "unknown audience 'press'")
    assert_one_line_error(cli("log", "x", "--audience", "press"), "unknown audience 'press'")


def test_action_done_and_the_old_done_both_work(cli: Cli) -> None:
    declare(cli)
    first = cli("action", "Canary deploys", "--owner", "Dana").out.strip()
    second = cli("action", "add", "Pool alert").out.strip()
    assert cli("action", "done", first[-8:]).out == "done: Canary deploys\n"
    assert cli("done", second).out == "done: Pool alert\n"
    assert cli("action", "done", first, "--undo").out == "open: Canary deploys\n"
    assert_one_line_error(cli("action", "done", second), "already done")


def test_action_edit_changes_owner_due_and_text(cli: Cli) -> None:
    declare(cli)
    item = cli("action", "Canary deploys", "--owner", "Dana", "--due", "17:00").out.strip()
    edited = cli("action", "edit", item[-8:], "--owner", "Ana", "--due", "none")
    assert edited.code == 0, edited.err
    assert edited.out == "edited: Canary deploys\n"
    stored = next(a for a in record(cli)["action_items"] if a["id"] == item)
    assert (stored["owner"], stored["due"]) == ("Ana", None)
    texts = [e["text"] for e in record(cli)["events"]]
    assert any("Owner: Dana -> Ana" in t and "-> (none)" in t for t in texts)
    assert cli("action", "edit", item, "--text", "Canary every deploy").code == 0
    assert_one_line_error(cli("action", "edit", item, "--owner", "Ana"), "nothing to change")
    assert_one_line_error(cli("action", "edit", item, "--due", "soonish"), "cannot read time")


@pytest.mark.parametrize(
    "command",
    [
        ["decide", "Roll back"],
        ["sev", "2"],
        ["status", "identified"],
        ["role", "ops", "Dana"],
        ["action", "Canary"],
        ["update", "internal", "posted"],
        ["ack"],
        ["mark", "mitigated"],
        ["log", "note"],
        ["criteria", "root-cause"],
        ["edit", "--title", "Renamed"],
    ],
)
def test_every_write_takes_at_and_refuses_the_future(cli: Cli, command: list[str]) -> None:
    incident_id = declare(cli)
    before = cli.file_of(incident_id).read_bytes()
    assert_one_line_error(cli(*command, "--at", "2026-11-28T14:30:00+00:00"), "future")
    assert_one_line_error(cli(*command, "--at", "1999-01-01T00:00:00+00:00"), "before 2000")
    assert cli.file_of(incident_id).read_bytes() == before
    done = cli(*command, "--at", "13:50")
    assert done.code == 0, done.err
    latest = record(cli)["events"]
    assert any(e["occurred_at"] == "2026-11-28T13:50:00+00:00" for e in latest)


def test_mark_verified_also_ticks_the_criterion_like_the_apps_v(cli: Cli) -> None:
    declare(cli)
    assert cli("mark", "verified", "--note", "test purchase").code == 0
    header = record(cli)["incident"]
    assert header["verified_at"] is not None
    assert header["checklist"] == {"mitigation-verified": True}
