"""``log`` and the app's start-up never import the browser share or Apprise (lazy imports)."""

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


def test_the_probe_sees_them_when_they_are_imported(tmp_path: Path) -> None:
    loaded = loaded_after("import apprise, textual_serve.server", tmp_path)
    assert {"aiohttp", "aiohttp_jinja2", "apprise", "jinja2", "textual_serve"} <= set(loaded)
