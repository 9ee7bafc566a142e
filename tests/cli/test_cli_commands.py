"""The command line through the real console script: what a scribe types and what they see."""

from __future__ import annotations

import json
import re
import stat
import subprocess
import sys
from pathlib import Path

from cli_helpers import Cli

ULID = re.compile(r"^[0-9A-HJKMNP-TV-Z]{26}$")


def declare(cli: Cli, *extra: str) -> str:
    result = cli("new", "Checkout errors", *extra)
    assert result.code == 0, result.err
    return result.out.strip()


def record(cli: Cli, incident_id: str | None = None) -> dict:  # type: ignore[type-arg]
    result = cli("show", "--json", *([incident_id] if incident_id else []))
    assert result.code == 0, result.err
    parsed: dict = json.loads(result.out)  # type: ignore[type-arg]
    return parsed


def test_new_prints_the_id_alone_and_creates_a_private_file(cli: Cli) -> None:
    result = cli("new", "Checkout errors", "--sev", "1", "--impact", "EU card payments fail")
    assert result.code == 0
    assert result.out == "INC-20261128-1\n"
    assert result.err == ""
    path = cli.file_of("INC-20261128-1")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    second = cli("new", "Search slow")
    assert second.out == "INC-20261128-2\n"


def test_new_with_responder_and_past_detection(cli: Cli) -> None:
    incident_id = declare(
        cli, "--responder", "Priya", "--detected-at", "13:45", "--source", "customer"
    )
    header = record(cli, incident_id)["incident"]
    assert header["detected_at"] == "2026-11-28T13:45:00+00:00"
    assert header["declared_at"] == "2026-11-28T14:00:00+00:00"
    assert header["acknowledged_at"] == "2026-11-28T14:00:00+00:00"
    assert header["source"] == "customer"
    assert "Incident commander     Priya" in cli("show").out


def test_log_prints_event_id_and_hhmm_means_the_latest_such_moment(cli: Cli) -> None:
    declare(cli)
    # At 00:10 a scribe typing 23:50 means ten minutes ago, yesterday.
    result = cli("log", "DB failover started", "--at", "23:50", at="2026-11-29T00:10:00+00:00")
    assert result.code == 0, result.err
    event_id = result.out.strip()
    assert ULID.match(event_id)
    events = {e["id"]: e for e in record(cli)["events"]}
    assert events[event_id]["occurred_at"] == "2026-11-28T23:50:00+00:00"
    assert events[event_id]["kind"] == "note"
    assert events[event_id]["author"] == "scribe"


def test_a_whole_incident_from_the_shell(cli: Cli) -> None:
    incident_id = declare(cli, "--responder", "Priya", "--sev", "2")
    assert cli("role", "comms", "Marcus").out == "Marcus is Communications lead\n"
    assert cli("role", "ic", "Alex").out == ("Incident commander handed off from Priya to Alex\n")
    assert cli("role", "sme", "Wei").code == 0
    assert cli("role", "sme", "Wei", "--release").out == "Wei released from Subject matter expert\n"
    assert cli("sev", "1", "--reason", "all regions").out == (
        "Severity raised from SEV-2 to SEV-1: all regions\n"
    )
    assert cli("log", "rolled back 2.14", "--kind", "mitigation").code == 0
    decision_id = cli("decide", "Roll back", "--why", "deploy correlates", "--by", "Alex").out
    assert ULID.match(decision_id.strip())
    action_id = cli("action", "Canary deploys", "--owner", "Dana", "--due", "2026-12-05").out
    assert ULID.match(action_id.strip())
    assert cli("mark", "mitigated", "--note", "errors at baseline").out == (
        "Mitigation applied: errors at baseline\n"
    )
    assert cli("mark", "verified").code == 0
    assert cli("status", "resolved").out == "Status investigating → resolved\n"
    assert cli("edit", "--aar", "2026-12-08", "--summary", "A bad deploy.").code == 0

    shown = cli("show").out
    assert shown.startswith(f"{incident_id}  Checkout errors\n")
    assert "SEV-1 · resolved" in shown
    assert "Incident commander     Alex" in shown
    assert "rolled back 2.14" in shown
    short = action_id.strip()[-8:]
    assert f"{short}  Canary deploys (owner: Dana, due 2026-12-05 00:00)" in shown
    assert cli("done", short.lower()).out == "done: Canary deploys\n"
    assert "Open action items (0 of 1)" in cli("show").out

    markdown = cli("export").out
    assert markdown.startswith("# Incident: Checkout errors\n")
    assert "**Severity:** SEV-1 (declared SEV-2; raised to SEV-1 at 14:00 (T+0m): all regions)" in (
        markdown
    )
    assert "- **AAR:** 2026-12-08" in markdown
    assert "| Canary deploys | Dana |" in markdown and "| done " in markdown
    assert "A bad deploy." in markdown
    assert "  - Why: deploy correlates" in markdown


def test_list_shows_open_incidents_newest_first_and_all_with_closed(cli: Cli) -> None:
    assert cli("list").out == "no open incidents (use --all to include closed ones)\n"
    first = declare(cli)
    second = cli("new", "Search slow", at="2026-11-28T14:05:00+00:00").out.strip()
    assert cli("close", "--incident", first).code == 0
    listed = cli("list").lines
    assert len(listed) == 1 and listed[0].startswith(second)
    rows = json.loads(cli("list", "--all", "--json").out)
    assert [row["id"] for row in rows] == [second, first]
    assert rows[1]["status"] == "closed"
    assert rows[0]["title"] == "Search slow"


def test_id_defaults_to_the_latest_open_incident_and_suffixes_work(cli: Cli) -> None:
    first = declare(cli)
    second = declare(cli)
    assert cli("log", "goes to the latest").code == 0
    assert cli("log", "goes to the first", "--incident", "-1").code == 0
    texts_first = [e["text"] for e in record(cli, first)["events"]]
    texts_second = [e["text"] for e in record(cli, second)["events"]]
    assert "goes to the first" in texts_first and "goes to the latest" not in texts_first
    assert "goes to the latest" in texts_second


def test_export_json_to_file_then_import_elsewhere_recreates_it(cli: Cli, tmp_path: Path) -> None:
    incident_id = declare(cli, "--responder", "Priya")
    cli("decide", "Fail over", "--why", "primary is gone")
    cli("action", "Test failover monthly", "--owner", "Dana")
    cli("log", "weird | text\n# with a heading", "--kind", "comms")
    out = tmp_path / "export.json"
    result = cli("export", "--format", "json", "-o", str(out))
    assert result.code == 0 and result.out.strip() == str(out)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600  # incident details stay private
    other = Cli(tmp_path / "elsewhere")
    imported = other("import", str(out))
    assert imported.code == 0, imported.err
    assert imported.out.strip() == incident_id
    assert other("export", "--format", "json").out == out.read_text()
    assert other("export").out == cli("export").out
    again = other("import", str(out))
    assert again.code == 1 and "already exists" in again.err


def test_show_json_is_the_complete_record_plus_the_computed_state(cli: Cli) -> None:
    declare(cli)
    shown = json.loads(cli("show", "--json").out)
    exported = json.loads(cli("export", "--format", "json").out)
    assert [item["audience"] for item in shown.pop("updates_due")] == [
        "internal",
        "stakeholders",
        "external",
    ]
    assert isinstance(shown.pop("attention"), list)
    assert shown == exported


def test_user_text_is_printed_as_data(cli: Cli) -> None:
    declare(cli)
    cli("log", "[bold]not markup[/bold] \x1b[31mred")
    shown = cli("show").out
    assert "[bold]not markup[/bold]" in shown
    assert "\x1b" not in shown


def test_version_and_help(cli: Cli) -> None:
    assert cli("--version").out.strip() == "incident-tui, version 0.1.0"
    helped = cli("--help")
    assert helped.code == 0
    for command in ("new", "list", "show", "log", "sev", "status", "role", "decide", "action"):
        assert re.search(rf"^  {command}\s", helped.out, re.MULTILINE), command
    for command in ("export", "import", "ack", "mark", "done", "demo"):
        assert re.search(rf"^  {command}\s", helped.out, re.MULTILINE), command
    assert "INCIDENT_TUI_DATA_DIR" in helped.out


def test_data_dir_option_beats_the_environment(cli: Cli, tmp_path: Path) -> None:
    chosen = tmp_path / "chosen"
    result = cli("--data-dir", str(chosen), "new", "Elsewhere")
    assert result.code == 0
    assert (chosen / "incidents" / "INC-20261128-1.db").exists()
    assert not cli.file_of("INC-20261128-1").exists()


def test_importing_the_cli_does_not_load_textual() -> None:
    probe = (
        "import sys, incident_tui.cli, incident_tui.__main__;"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'textual'"
        " or m.startswith('incident_tui.ui')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "[]"


def test_python_dash_m_runs_the_same_cli(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "incident_tui", "--data-dir", str(tmp_path), "list", "--json"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == []


def test_logging_a_sent_update_feeds_the_export(cli: Cli) -> None:
    declare(cli)
    result = cli("log", "Status page: investigating", "--audience", "External", "--author", "Mo")
    assert result.code == 0, result.err
    event = next(e for e in record(cli)["events"] if e["id"] == result.out.strip())
    assert event["kind"] == "comms"
    assert event["author"] == "Mo"
    assert event["data"] == {"audience": "external", "text": "Status page: investigating"}
    exported = cli("export").out
    assert "- 14:00 (T+0m): to Customers, by Mo" in exported
    assert "  ```text\n  Status page: investigating\n  ```" in exported


def test_every_command_module_is_reachable_from_the_group() -> None:
    """Lazily loaded commands still resolve, and none defined in a helper module is forgotten."""
    import click

    from incident_tui import cli
    from incident_tui.cli import aids as cli_aids
    from incident_tui.cli import comms as cli_comms

    context = click.Context(cli.main)
    names = cli.main.list_commands(context)
    for name in names:
        assert isinstance(cli.main.get_command(context, name), click.Command), name
    for module in (cli_aids, cli_comms):
        for value in vars(module).values():
            if isinstance(value, click.Command) and value.name:
                assert value.name in names, f"{module.__name__}.{value.name} is not registered"
