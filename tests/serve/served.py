"""A real ``incident-tui serve`` in a subprocess, on loopback, for the browser and load tests."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from incident_tui.core import operations as ops
from incident_tui.core.clock import SystemClock
from incident_tui.core.models import EventKind, Severity, TimelineEvent
from incident_tui.core.store import IncidentStore

LINK = re.compile(r"(writer|viewer) link \([^)]*\):\s+(\S+)")


def free_port() -> int:
    """A port nobody listens on right now, on 127.0.0.1."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def children_of(pid: int) -> set[int]:
    """Every live descendant of ``pid`` (read from /proc)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if fields[0] != "Z":
            parents[int(entry.name)] = int(fields[1])
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier}
        found |= frontier
    return found


def rss_kib(pid: int) -> int:
    """Resident memory of one process in KiB (0 if it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def alive(pid: int) -> bool:
    """True while ``pid`` exists and is not a zombie."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


@dataclass
class Served:
    """A running server: its links, data dir, incident and process."""

    process: subprocess.Popen[str]
    data_dir: Path
    incident_id: str
    writer: str
    viewer: str
    port: int
    output: list[str]

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def store(self, author: str = "test-writer") -> IncidentStore:
        """A store on the served data dir (a second writer, as the CLI would be)."""
        return IncidentStore(self.data_dir, clock=SystemClock(), author=author)

    def events(self) -> list[tuple[str, str]]:
        """(author, text) of every event in the served incident, as on disk now."""
        record = self.store().open(self.incident_id).record()
        return [(event.author, event.text) for event in record.events]

    def comms_events(self) -> list[TimelineEvent]:
        """The update events (copied or posted) in the served incident, as on disk now."""
        record = self.store().open(self.incident_id).record()
        return record.events_of(EventKind.COMMS)

    def stop(self, timeout: float = 15.0) -> set[int]:
        """SIGINT, as Ctrl+C; returns the app processes that were running just before."""
        apps = children_of(self.process.pid)
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
                raise AssertionError("the server did not stop within 15 s of Ctrl+C") from None
        return apps


def start_server(
    tmp: Path, title: str = "Checkout errors after deploy", demo: bool = False
) -> Served:
    """Declare an incident in a fresh data dir and serve it; waits for the links.

    With ``demo``, ``serve --demo`` instead: its throwaway dir goes under ``tmp/tmp``.
    """
    data_dir = tmp / "served-data"
    port = free_port()
    env = {**os.environ, "INCIDENT_TUI_AUTHOR": "server-login", "PYTHONUNBUFFERED": "1"}
    env.pop("INCIDENT_TUI_FROZEN_AT", None)
    command = [sys.executable, "-m", "incident_tui", "--data-dir", str(data_dir), "serve"]
    incident_id = ""
    if demo:
        (tmp / "tmp").mkdir()
        env["TMPDIR"] = str(tmp / "tmp")
        command += ["--demo"]
    else:
        store = IncidentStore(data_dir, clock=SystemClock(), author="ic-on-host")
        incident_id = ops.declare(store, title, severity=Severity.SEV2, responder="Dana").id
        command += ["--incident", incident_id]
    process = subprocess.Popen(
        [*command, "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
        start_new_session=True,
    )
    assert process.stdout is not None
    links: dict[str, str] = {}
    output: list[str] = []
    deadline = time.monotonic() + 20
    while len(links) < 2 and time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        output.append(line)
        if match := LINK.search(line):
            links[match.group(1)] = match.group(2)
    if len(links) < 2:
        process.kill()
        raise AssertionError("serve printed no links:\n" + "".join(output))
    # Keep reading, so the server never blocks on a full pipe (app stderr goes there).
    threading.Thread(target=lambda: output.extend(process.stdout or ()), daemon=True).start()
    for _ in range(100):  # the links print just before the port opens
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.05)
    return Served(process, data_dir, incident_id, links["writer"], links["viewer"], port, output)
