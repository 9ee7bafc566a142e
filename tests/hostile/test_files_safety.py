"""Every file the tool writes: never through a planted symlink, 0600 files in 0700 dirs,
export targets that are devices or FIFOs never replaced, crash leftovers cleaned up."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from hostile_helpers import FROZEN, assert_one_error_line, run

from incident_tui.core.clipboard import write_fallback
from incident_tui.core.store.journal import JournalStorage

ID = "INC-20261128-1"


def _plant(link: Path, victim: Path) -> None:
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(victim)


@pytest.mark.parametrize(
    "name",
    [".lock", f"incidents/{ID}.db.lock", "index.db.lock", "incidents/.created"],
)
def test_a_planted_symlink_never_creates_or_changes_its_target(tmp_path: Path, name: str) -> None:
    data = tmp_path / "data"
    victim = tmp_path / "victim"
    _plant(data / name, victim)  # dangling: the old code created the target
    run(data, "new", "Checkout errors")
    run(data, "list")
    assert not victim.exists()
    victim.write_text("keep")
    run(data, "new", "Search slow")
    run(data, "log", "x", "--incident", ID)
    assert victim.read_text() == "keep"


def test_compaction_and_temp_names_cannot_be_predicted(tmp_path: Path) -> None:
    path = tmp_path / "j.db"
    journal = JournalStorage(path)
    victim = tmp_path / "victim"
    victim.write_text("keep")
    for pid_guess in (os.getpid(),):  # the old, predictable compaction temp name
        _plant(tmp_path / f".j.db.{pid_guess}.tmp", victim)
    with journal.transaction():
        journal.apply(["put", "t", "1", {"a": 1}])
    journal.compact()
    assert victim.read_text() == "keep"
    assert journal.read() == {"t": {"1": {"a": 1}}}


def test_last_update_txt_through_a_planted_symlink(tmp_path: Path) -> None:
    state = tmp_path / "state"
    victim = tmp_path / "victim"
    victim.write_text("keep")
    _plant(state / f".last-update.txt.{os.getpid()}.tmp", victim)
    _plant(state / "last-update.txt", victim)
    written = write_fallback("update \x1b]52;c;aGk=\x07", state)
    assert victim.read_text() == "keep"
    assert not written.is_symlink()
    assert "\x1b" not in written.read_text()
    assert stat.S_IMODE(written.stat().st_mode) == 0o600


def test_app_export_never_follows_a_planted_link(data: Path, tmp_path: Path) -> None:
    from incident_tui.core.clock import FrozenClock
    from incident_tui.core.errors import StoreError
    from incident_tui.core.store import IncidentStore
    from incident_tui.ui.controller import IncidentController

    victim = tmp_path / "victim"
    victim.write_text("keep")
    _plant(data / "exports" / f"{ID}.md", victim)
    store = IncidentStore(data)
    controller = IncidentController(store, FrozenClock(store.clock.now()))
    controller.open(ID)
    with pytest.raises(StoreError, match="symbolic link"):
        controller.export_markdown()
    assert victim.read_text() == "keep"


def test_every_file_is_0600_and_every_dir_the_tool_makes_0700(tmp_path: Path) -> None:
    xdg = tmp_path / "xdg"
    env = {key: value for key, value in os.environ.items() if not key.startswith("INCIDENT_TUI_")}
    env.update(
        XDG_DATA_HOME=str(xdg / "made" / "share"),
        XDG_STATE_HOME=str(xdg / "made" / "state"),
        INCIDENT_TUI_FROZEN_AT=FROZEN,
        INCIDENT_TUI_CONFIG_DIR=str(tmp_path / "cfg" / "deeper"),
        PATH=os.defpath,
        DISPLAY="",
        TMUX="",
    )
    script = [sys.executable, "-m", "incident_tui"]
    for args in (["new", "Checkout errors"], ["log", "x"], ["brief", "--copy"], ["list"]):
        subprocess.run([*script, *args], env=env, check=True, capture_output=True, umask=0o022)
    subprocess.run([*script, "config", "--init"], env=env, check=True, capture_output=True)
    exporting = [*script, "export", "-o", str(tmp_path / "out.md")]
    subprocess.run(exporting, env=env, check=True, capture_output=True)
    made = [xdg / "made", tmp_path / "cfg"]
    files = 0
    for top in made:
        for path in [top, *top.rglob("*")]:
            mode = stat.S_IMODE(path.lstat().st_mode)
            if path.is_dir():
                assert mode == 0o700, (path, oct(mode))
            else:
                files += 1
                assert mode == 0o600, (path, oct(mode))
    assert files >= 5
    assert stat.S_IMODE((tmp_path / "out.md").stat().st_mode) == 0o600


def test_export_to_a_device_is_refused_and_never_replaced(data: Path) -> None:
    before = os.stat("/dev/null")
    assert_one_error_line(run(data, "export", "-o", "/dev/null"), "/dev/null", "regular file")
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and after.st_ino == before.st_ino


def test_export_to_a_fifo_or_dev_stdout_is_refused(data: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    assert_one_error_line(run(data, "export", "-o", str(fifo)), str(fifo))
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert_one_error_line(run(data, "export", "-o", "/dev/stdout"), "/dev/stdout")
    assert Path("/dev/stdout").is_symlink()


def test_export_dash_is_stdout_and_a_directory_is_refused(data: Path, tmp_path: Path) -> None:
    outcome = run(data, "export", "-o", "-")
    assert outcome.code == 0 and outcome.out.startswith("# Incident: Checkout errors")
    assert not (Path.cwd() / "-").exists()
    assert_one_error_line(run(data, "export", "-o", str(tmp_path)), str(tmp_path))


def test_crash_leftovers_are_removed_on_the_next_open(data: Path) -> None:
    dead = 2**22 + 12345  # above the default pid_max, so never a live process
    leftovers = [
        data / "incidents" / f".{ID}.db.{dead}.abcdef012345.new",
        data / "incidents" / f".{ID}.db.{dead}.abcdef012345.new.lock",
        data / "incidents" / f".{ID}.db.{dead}.tmp",
        data / f".index.db.{dead}.0123456789ab.tmp",
    ]
    for path in leftovers:
        path.write_bytes(b"half")
    mine = data / "incidents" / f".{ID}.db.{os.getppid()}.abcdef012345.new"
    mine.write_bytes(b"a live process is still writing this")
    assert run(data, "list").code == 0
    assert [p for p in leftovers if p.exists()] == []
    assert mine.exists()


def test_concurrent_lists_never_duplicate_index_entries(tmp_path: Path) -> None:
    data = tmp_path / "data"
    for n in range(5):
        assert run(data, "new", f"Incident {n}").code == 0
    (data / "index.db").unlink(missing_ok=True)
    env = {**os.environ, "INCIDENT_TUI_DATA_DIR": str(data), "INCIDENT_TUI_FROZEN_AT": FROZEN}
    procs = [
        subprocess.Popen([sys.executable, "-m", "incident_tui", "list"], env=env) for _ in range(6)
    ]
    assert all(p.wait(timeout=60) == 0 for p in procs)
    from incident_tui.core.store.storage import open_db

    ids = [doc["id"] for doc in open_db(data / "index.db", create=False).table("incidents").all()]
    assert sorted(ids) == sorted(set(ids)) and len(ids) == 5


def test_latest_incident_holds_when_the_clock_steps_back(tmp_path: Path) -> None:
    data = tmp_path / "data"
    env = {**os.environ, "INCIDENT_TUI_DATA_DIR": str(data)}
    script = [sys.executable, "-m", "incident_tui"]

    def cli(at: str, *args: str) -> str:
        done = subprocess.run(
            [*script, *args],
            env={**env, "INCIDENT_TUI_FROZEN_AT": at},
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout.strip()

    cli("2026-11-28T14:00:00+00:00", "new", "First")
    second = cli("2026-11-28T09:00:00+00:00", "new", "Second, after the clock stepped back")
    assert cli("2026-11-28T09:05:00+00:00", "show").startswith(second)
    cli("2026-11-28T09:06:00+00:00", "log", "goes to the second")
    assert "goes to the second" in cli("2026-11-28T09:07:00+00:00", "show", second)
