"""``log`` and the app's start-up never import the browser share or Apprise, and ``log`` loads
nothing it does not use (lazy imports keep a scribe's command close to bare start-up)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

HEAVY = ("aiohttp", "aiohttp_jinja2", "jinja2", "textual_serve", "apprise", "requests")

PROBE = """
import json, sys
{body}
print(json.dumps(sorted({{m.split(".")[0] for m in sys.modules}} & set({heavy!r}))))
"""


def loaded_after(body: str, data_dir: Path) -> list[str]:
    env = {**os.environ, "INCIDENT_TUI_DATA_DIR": str(data_dir), "INCIDENT_TUI_AUTHOR": "t"}
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(body=body, heavy=HEAVY)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=True,
    )
    return list(json.loads(done.stdout.strip().splitlines()[-1]))


def test_log_imports_neither_the_server_nor_apprise(tmp_path: Path) -> None:
    body = """
from incident_tui.core import operations as ops
from incident_tui.core.store import IncidentStore
ops.declare(IncidentStore(), "Checkout errors")
from incident_tui.cli import main
try:
    main(["log", "rolled back"], standalone_mode=False)
except SystemExit:
    pass
"""
    assert loaded_after(body, tmp_path / "data") == []


def test_the_apps_start_up_imports_neither(tmp_path: Path) -> None:
    body = """
import asyncio
from incident_tui.core.store import IncidentStore
from incident_tui.ui.app import IncidentApp
from incident_tui.core import operations as ops
store = IncidentStore()
ops.declare(store, "Checkout errors")
async def main():
    app = IncidentApp(store)
    async with app.run_test() as pilot:
        await pilot.pause(0.3)
asyncio.run(main())
"""
    assert loaded_after(body, tmp_path / "data") == []


LOG_NEVER_LOADS = (
    "textual",
    "rich",
    "incident_tui.ui",  # the full-screen app
    "secrets",
    "hashlib",  # temp names are os.urandom; hashlib (OpenSSL) costs milliseconds to load
    "tempfile",
    "shutil",  # exports only
    "zoneinfo",  # a typed --at only
    "getpass",  # the author is set in the environment
    "platformdirs",  # the data dir is given
    "incident_tui.core.playbook",  # ticking a resolution criterion only
    "incident_tui.core.config",  # `new` reads the default severity; `log` needs no config
)

LOG_PROBE = """
import json, sys
from incident_tui.cli import main
sys.argv = ["incident-tui", "log", "rolled back"]
try:
    main()
except SystemExit as exc:
    assert not exc.code, exc.code
never = {never!r}
print(json.dumps(sorted(m for m in sys.modules if any(
    m == name or m.startswith(name + ".") for name in never))))
"""


def test_a_log_run_loads_only_what_it_uses(tmp_path: Path) -> None:
    """A whole ``incident-tui log`` process, as the console script runs it, after a declare
    in another process (so nothing the declare needed is already loaded)."""
    env = {
        **os.environ,
        "INCIDENT_TUI_DATA_DIR": str(tmp_path / "data"),
        "INCIDENT_TUI_AUTHOR": "t",
    }

    def python(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, *args], capture_output=True, text=True, env=env, timeout=60
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    python("-m", "incident_tui", "new", "Checkout errors")
    lines = python("-c", LOG_PROBE.format(never=LOG_NEVER_LOADS)).strip().splitlines()
    assert len(lines) == 2 and len(lines[0]) == 26, lines  # the event's id, then the probe
    assert json.loads(lines[1]) == []


def test_the_probe_sees_them_when_they_are_imported(tmp_path: Path) -> None:
    loaded = loaded_after("import apprise, textual_serve.server", tmp_path)
    assert {"aiohttp", "aiohttp_jinja2", "apprise", "jinja2", "textual_serve"} <= set(loaded)
