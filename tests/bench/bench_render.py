"""The IC's screen in a real pseudo-terminal, at 1,000, 10,000 and 100,000 events.

    python tests/bench/bench_render.py [--sizes 1000,10000,100000] [--runs 5] [--rows 8]

For each size, in one run, interleaved with its floor (a bare Textual app, one ``Static``,
spawned the same way):

1. Timeline filled: from spawning Python to the frame in which the timeline shows its
   newest row (the text of the last event). Goal: <= 1.3x the bare app at 10,000 events,
   <= 2x at 100,000. A large incident shows its newest rows before the rest is read, so the
   moment every row is in (the timeline's title shows the count) is timed too, no goal.
2. New row: ``t``, type a line, then from the Enter keystroke to the frame that shows that
   line, with fsync on, as the app runs for real. Goal: median <= 16 ms at 10,000 events,
   <= 25 ms at 100,000; no cyclic-GC pause over 20 ms while typing (the app logs each
   collection's duration through ``gc.callbacks``).
3. Another process's write: an event logged through the store by this (other) process;
   from the moment that write returned to the frame that shows it. Goal: <= 150 ms.
4. Idle CPU over 10 s once settled (``/proc/PID/stat``), goal <= 0.5% at 100,000 events,
   and resident memory (``VmRSS``), goal <= 2x the file's size plus the bare app's.

Both apps start from cached bytecode as an installed package does (a fresh
``PYTHONPYCACHEPREFIX``, ``PYTHONDONTWRITEBYTECODE`` removed; one untimed warm-up run).
Each incident is written straight to its journal, one line per event; the warm-up run writes
the checkpoint the store writes by itself as an incident grows.

Prints a table and writes ``tests/bench/results/bench_render.json``; exits 1 on a miss.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import json
import os
import pty
import select
import statistics
import struct
import sys
import tempfile
import termios
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from bench_cli import machine
from seeding import seed

from incident_tui.core import operations as ops
from incident_tui.core.store import IncidentStore

COLS, ROWS = 120, 36
RESULTS = Path(__file__).parent / "results" / "bench_render.json"
FILLED_GOAL = {10_000: 1.3, 100_000: 2.0}
NEW_ROW_GOAL_MS = {10_000: 16.0, 100_000: 25.0}
GC_PAUSE_GOAL_MS = 20.0
OTHER_WRITE_GOAL_MS = 150.0
IDLE_CPU_GOAL = {100_000: 0.5}
IDLE_SECONDS = float(os.environ.get("BENCH_IDLE_SECONDS", "10"))

BARE_APP = """
from textual.app import App
from textual.widgets import Static
class Bare(App):
    def compose(self):
        yield Static("bare-app-ready")
Bare().run()
"""

OUR_APP = """
import gc, sys, time
from pathlib import Path
log = open(sys.argv[2], "a", buffering=1)
started = {}
def timed(phase, info):
    if phase == "start":
        started["t"] = time.perf_counter()
    elif "t" in started:
        log.write(f"{(time.perf_counter() - started.pop('t')) * 1000:.2f}\\n")
gc.callbacks.append(timed)
from incident_tui.core.store import IncidentStore
from incident_tui.ui.app import run_app
run_app(IncidentStore(Path(sys.argv[1]), fsync=True))
"""

CHILD_ENV: dict[str, str] = {}


class Terminal:
    """A child process on a pseudo-terminal of COLS x ROWS, with its output accumulated."""

    def __init__(self, code: str, *args: str) -> None:
        self.started = time.perf_counter()
        pid, fd = pty.fork()
        if pid == 0:  # the child: become the app
            os.environ["TERM"] = "xterm-256color"
            os.environ.pop("NO_COLOR", None)
            os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
            os.environ.update(CHILD_ENV)
            os.execv(sys.executable, [sys.executable, "-c", code, *args])
        self.pid, self.fd = pid, fd
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
        self.output = b""

    def wait_for(self, marker: bytes, timeout: float = 60.0, since: int = 0) -> float:
        """Read until ``marker`` shows up after byte ``since``; returns the moment it did."""
        deadline = time.perf_counter() + timeout
        while marker not in self.output[since:]:
            left = deadline - time.perf_counter()
            if left <= 0:
                raise TimeoutError(f"{marker!r} not drawn within {timeout}s")
            ready, _, _ = select.select([self.fd], [], [], left)
            if ready:
                try:
                    self.output += os.read(self.fd, 1 << 16)
                except OSError:
                    raise TimeoutError(f"process ended before drawing {marker!r}") from None
        return time.perf_counter()

    def drain(self, seconds: float) -> None:
        end = time.perf_counter() + seconds
        while (left := end - time.perf_counter()) > 0:
            ready, _, _ = select.select([self.fd], [], [], left)
            if ready:
                self.output += os.read(self.fd, 1 << 16)

    def send(self, data: bytes) -> None:
        os.write(self.fd, data)

    def cpu_seconds(self) -> float:
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def rss_mib(self) -> float:
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return 0.0

    def close(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, 9)
        os.waitpid(self.pid, 0)
        os.close(self.fd)


def newest_text(size: int) -> bytes:
    """The text of the newest event ``seeding.seed`` writes (its last row)."""
    return f"row {size - 1}: something".encode()


def bare_ready() -> tuple[float, float]:
    term = Terminal(BARE_APP)
    try:
        ready = term.wait_for(b"bare-app-ready") - term.started
        term.drain(0.5)
        return ready, term.rss_mib()
    finally:
        term.close()


def filled(data_dir: Path, size: int, gc_log: Path, count: int) -> tuple[float, float]:
    """Seconds to the newest row drawn, and to every row in (the title shows the count)."""
    term = Terminal(OUR_APP, str(data_dir), str(gc_log))
    try:
        newest = term.wait_for(newest_text(size)) - term.started
        return newest, term.wait_for(f"{count} events".encode()) - term.started
    finally:
        term.close()


def session(data_dir: Path, incident_id: str, size: int, rows: int, gc_log: Path) -> dict:
    """One app session: new rows typed, another process's writes, idle CPU and memory."""
    gc_log.write_text("")
    term = Terminal(OUR_APP, str(data_dir), str(gc_log))
    other = IncidentStore(data_dir, author="other shell").open(incident_id)
    result: dict[str, object] = {}
    try:
        term.wait_for(newest_text(size))
        term.drain(1.5)
        typed: list[float] = []
        gc_log.write_text("")
        for n in range(1, rows + 1):
            mark = len(term.output)
            term.send(b"t")
            term.wait_for(b"New timeline event", since=mark)
            text = f"typed row {n} zq"
            for char in text:  # typed, not pasted: one key at a time
                term.send(char.encode())
                term.drain(0.02)
            term.drain(0.2)
            mark = len(term.output)
            sent = time.perf_counter()
            term.send(b"\r")
            typed.append((term.wait_for(text.encode(), since=mark) - sent) * 1000)
            term.drain(0.3)
        pauses = [float(v) for v in gc_log.read_text().split()]
        seen: list[float] = []
        for n in range(1, rows + 1):
            mark = len(term.output)
            text = f"other shell {n} zq"
            ops.log(other, text)
            wrote = time.perf_counter()
            seen.append((term.wait_for(text.encode(), since=mark) - wrote) * 1000)
            term.drain(0.3)
        term.drain(2.0)
        before, at = term.cpu_seconds(), time.perf_counter()
        term.drain(IDLE_SECONDS)
        idle = (term.cpu_seconds() - before) / (time.perf_counter() - at) * 100
        result = {
            "new_row_ms": [round(v, 1) for v in typed],
            "gc_pauses_while_typing_ms": sorted(round(v, 1) for v in pauses)[-5:],
            "other_write_ms": [round(v, 1) for v in seen],
            "idle_cpu_percent": round(idle, 2),
            "rss_mib": round(term.rss_mib(), 1),
        }
    finally:
        term.close()
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rows", type=int, default=8)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    report: dict[str, object] = {
        "machine": machine(),
        "terminal": [COLS, ROWS],
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "runs": args.runs,
        "sizes": {},
    }
    ok = True
    lines = []
    with tempfile.TemporaryDirectory() as tmp:
        CHILD_ENV["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")
        gc_log = Path(tmp) / "gc.log"
        for size in sizes:
            data_dir = Path(tmp) / f"d{size}"
            start = datetime.now(UTC) - timedelta(hours=30)
            incident_id = seed(data_dir, size, start=start)
            file_mib = (data_dir / "incidents" / f"{incident_id}.db").stat().st_size / 2**20
            count = len(IncidentStore(data_dir).open(incident_id).record().events)
            bare_ready()  # warm-up: bytecode, page cache, the checkpoint
            filled(data_dir, size, gc_log, count)
            bare, ours, whole, bare_rss = [], [], [], []
            for _ in range(args.runs):  # interleaved, so both see the same machine
                ready, rss = bare_ready()
                bare.append(ready * 1000)
                bare_rss.append(rss)
                newest, every = filled(data_dir, size, gc_log, count)
                ours.append(newest * 1000)
                whole.append(every * 1000)
            live = session(data_dir, incident_id, size, args.rows, gc_log)
            row = {
                "file_mib": round(file_mib, 1),
                "bare_ready_ms": [round(v, 1) for v in bare],
                "filled_ms": [round(v, 1) for v in ours],
                "filled_ratio": round(statistics.median(ours) / statistics.median(bare), 2),
                "all_rows_ms": [round(v, 1) for v in whole],
                "all_rows_ratio": round(statistics.median(whole) / statistics.median(bare), 2),
                "bare_rss_mib": round(statistics.median(bare_rss), 1),
                **live,
            }
            report["sizes"][str(size)] = row  # type: ignore[index]
            ok &= check(size, row, lines)
    print(f"{'events':>7}  {'measure':<44}{'value':>12}{'goal':>12}  ok")
    print("\n".join(lines))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"wrote {args.out}")
    return 0 if ok else 1


def check(size: int, row: dict, lines: list[str]) -> bool:
    ok = True

    def line(what: str, value: float, unit: str, goal: float | None) -> None:
        nonlocal ok
        passed = goal is None or value <= goal
        ok &= passed
        shown = f"<= {goal:g}{unit}" if goal is not None else ""
        verdict = "" if goal is None else ("yes" if passed else "NO")
        lines.append(f"{size:>7}  {what:<44}{value:>11.2f}{unit}{shown:>12}  {verdict}")

    line("bare Textual app ready (ms)", statistics.median(row["bare_ready_ms"]), "", None)
    line("timeline filled, newest row drawn (ms)", statistics.median(row["filled_ms"]), "", None)
    line("  ratio to the bare app", row["filled_ratio"], "x", FILLED_GOAL.get(size))
    line(
        "every row in, title shows the count (ms)", statistics.median(row["all_rows_ms"]), "", None
    )
    line("  ratio to the bare app", row["all_rows_ratio"], "x", None)
    line(
        "Enter -> typed row drawn, fsync on (median ms)",
        statistics.median(row["new_row_ms"]),
        "",
        NEW_ROW_GOAL_MS.get(size),
    )
    line("  slowest of them (ms)", max(row["new_row_ms"]), "", None)
    pauses = row["gc_pauses_while_typing_ms"] or [0.0]
    line("longest GC pause while typing (ms)", max(pauses), "", GC_PAUSE_GOAL_MS)
    line(
        "other process's write -> drawn (median ms)",
        statistics.median(row["other_write_ms"]),
        "",
        OTHER_WRITE_GOAL_MS,
    )
    line("idle CPU (%)", row["idle_cpu_percent"], "", IDLE_CPU_GOAL.get(size))
    rss_goal = 2 * row["file_mib"] + row["bare_rss_mib"] if size >= 100_000 else None
    line("RSS (MiB)", row["rss_mib"], "", rss_goal)
    return ok


if __name__ == "__main__":
    sys.exit(main())
