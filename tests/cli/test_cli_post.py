"""``incident-tui template STATE --audience A --post`` against local receivers."""

from __future__ import annotations

import json
import os
from pathlib import Path

from cli_helpers import Cli
from receivers import receiver

from incident_tui.core.store import IncidentStore

SECRET = "hookT0kenQQ7"


def destinations(config: Path, hook_host: str, mode: int = 0o600) -> dict[str, str]:
    config.mkdir(parents=True, exist_ok=True)
    path = config / "destinations.toml"
    path.write_text(
        "[destinations.incident-channel]\n"
        f'url = "mmost://{hook_host}/{SECRET}"\n'
        'audiences = ["internal"]\n'
        "[destinations.status-hook]\n"
        f'url = "json://{hook_host}/status?key={SECRET}"\n'
        'audiences = ["internal", "external"]\n',
        encoding="utf-8",
    )
    os.chmod(path, mode)
    return {"INCIDENT_TUI_CONFIG_DIR": str(config)}


def comms_events(cli: Cli, incident_id: str) -> list[tuple[str, dict[str, object]]]:
    record = IncidentStore(cli.data_dir, author="t").open(incident_id).record()
    return [(e.text, dict(e.data)) for e in record.events if e.kind.value == "comms"]


def test_post_sends_each_destination_its_text_once_and_logs_the_outcomes(
    cli: Cli, tmp_path: Path
) -> None:
    incident_id = cli("new", "Checkout *failing* @channel", "--sev", "1").out.strip()
    with receiver() as hook:
        env = destinations(tmp_path / "config", hook.host)
        result = cli("template", "investigating", "--audience", "internal", "--post", env=env)
    assert result.code == 0, result.err
    assert "posted to incident-channel (mmost://127.0.0.1)" in result.err
    assert "posted to status-hook (json://127.0.0.1)" in result.err
    assert len(hook.received) == 2
    bodies = {path.split("?")[0]: json.loads(body) for path, body in hook.received}
    chat = bodies[f"/hooks/{SECRET}"]["text"]
    plain = bodies["/status"]["message"]
    assert "Checkout" in chat and "Checkout *failing* @channel" in plain  # plain: as typed
    assert "@channel" not in chat and "\\*failing\\*" in chat  # Markdown: inert
    [(summary, data)] = comms_events(cli, incident_id)
    assert "posted to incident-channel, status-hook" in summary
    assert [p["ok"] for p in data["posted"]] == [True, True]  # type: ignore[index]
    stored = json.dumps(data)
    assert SECRET not in stored and SECRET not in result.err and SECRET not in result.out
    assert data["method"]  # copied as well


def test_a_failed_post_says_why_still_copies_and_logs(cli: Cli, tmp_path: Path) -> None:
    incident_id = cli("new", "Checkout failing").out.strip()
    with receiver("fail") as hook:
        env = destinations(tmp_path / "config", hook.host)
        result = cli("template", "identified", "--audience", "external", "--post", env=env)
    assert result.code == 1
    assert "NOT posted to status-hook (json://127.0.0.1)" in result.err
    assert result.err.strip().splitlines()[-1].startswith("error: not posted to status-hook")
    assert "We have identified the issue" in result.out  # the text is printed...
    [(summary, data)] = comms_events(cli, incident_id)
    assert "NOT posted to status-hook" in summary
    assert data["text"] and data["method"]  # ...copied and kept in the record
    assert SECRET not in json.dumps(data) + result.err


def test_a_world_readable_destinations_file_is_refused(cli: Cli, tmp_path: Path) -> None:
    cli("new", "Checkout failing")
    with receiver() as hook:
        env = destinations(tmp_path / "config", hook.host, mode=0o644)
        result = cli("template", "identified", "--audience", "internal", "--post", env=env)
        assert hook.received == []
    assert result.code == 1
    last = result.err.strip().splitlines()[-1]
    assert last.startswith("error: not posted:") and "chmod 600" in last
    assert SECRET not in result.err
