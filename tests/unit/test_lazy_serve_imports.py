"""``log`` and the app's start-up never import the browser share or Apprise, and ``log`` loads
nothing it does not use (lazy imports keep a scribe's command close to bare start-up)."""

from __future__ import annotations

from pathlib import Path

from module_probe import loaded_after

from incident_tui.core.store import IncidentStore

HEAVY = ("aiohttp", "aiohttp_jinja2", "jinja2", "textual_serve", "apprise", "requests")


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
    assert loaded_after(body, tmp_path / "data", HEAVY) == []


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
    assert loaded_after(body, tmp_path / "data", HEAVY) == []


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

CLI_RUN = """
from incident_tui.cli import main
sys.argv = ["incident-tui", *{args!r}]
try:
    main()
except SystemExit as exc:
    assert not exc.code, exc.code
"""
DECLARE = CLI_RUN.format(args=["new", "Checkout errors"])
LOG_RUN = CLI_RUN.format(args=["log", "rolled back"])


def test_a_log_run_loads_only_what_it_uses(tmp_path: Path) -> None:
    """A whole ``incident-tui log`` run, as the console script runs it, after a declare in
    another process (so nothing the declare needed is already loaded)."""
    data_dir = tmp_path / "data"
    assert loaded_after(DECLARE, data_dir, ()) == []
    assert loaded_after(LOG_RUN, data_dir, LOG_NEVER_LOADS) == []
    store = IncidentStore(data_dir)
    assert store.open(store.resolve_id(None)).record().events[-1].text == "rolled back"


def test_the_probe_sees_them_when_they_are_imported(tmp_path: Path) -> None:
    loaded = loaded_after("import apprise, textual_serve.server", tmp_path, HEAVY)
    assert {"aiohttp", "aiohttp_jinja2", "apprise", "jinja2", "textual_serve"} <= set(loaded)
