"""How long the clipboard chain takes per method, and what the comms code costs per tick.

The clipboard numbers answer "how long after Enter until the toast": a confirmed local tool,
the tmux buffer, and the two broken-display cases that must fall through within 3 s. The
per-tick numbers (countdowns for the header, filling and linting an update) are taken on
records of 1,000 and 10,000 events; the header recomputes countdowns once a second, so they
must stay far below one frame (~16 ms).

Prints a table; writes bench_comms.json next to this script.

    python tests/bench/bench_comms.py [--runs N] [--out PATH]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from incident_tui.core.cadence import countdowns
from incident_tui.core.clipboard import copy_text
from incident_tui.core.commslint import lint_update
from incident_tui.core.config import AUDIENCES, STATES, Config
from incident_tui.core.models import (
    EventKind,
    Incident,
    IncidentRecord,
    Severity,
    Status,
    TimelineEvent,
)
from incident_tui.core.templates import UpdateFormat, fill_update

T0 = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
TEXT = "Identified\n\nWe have identified the issue affecting EU checkout. Next update by 14:30."
SIZES = (1_000, 10_000)


def _stats(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return {"median_ms": statistics.median(ordered) * 1000, "p95_ms": p95 * 1000}


def _time(fn: Callable[[], object], runs: int) -> dict[str, float]:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return _stats(samples)


@contextmanager
def _xvfb() -> Iterator[str | None]:
    if shutil.which("Xvfb") is None or shutil.which("xclip") is None:
        yield None
        return
    number = next(n for n in range(200, 400) if not Path(f"/tmp/.X11-unix/X{n}").exists())
    proc = subprocess.Popen(
        ["Xvfb", f":{number}", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while not Path(f"/tmp/.X11-unix/X{number}").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        yield f":{number}"
    finally:
        proc.terminate()
        proc.wait(5)


@contextmanager
def _tmux() -> Iterator[str | None]:
    if shutil.which("tmux") is None:
        yield None
        return
    sock = f"itui-bench-{os.getpid()}"
    subprocess.run(["tmux", "-L", sock, "-f", "/dev/null", "new-session", "-d"], check=True)
    try:
        shown = subprocess.run(
            ["tmux", "-L", sock, "display-message", "-p", "#{socket_path},#{pid},0"],
            capture_output=True,
            text=True,
            check=True,
        )
        yield shown.stdout.strip()
    finally:
        subprocess.run(["tmux", "-L", sock, "kill-server"], check=False)


def clipboard_timings(runs: int, scratch: Path) -> dict[str, dict[str, object]]:
    base = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "TMUX", "WAYLAND_DISPLAY")}
    hung = scratch / "hung-bin"
    hung.mkdir()
    for name in ("xclip", "xsel"):
        (hung / name).write_text("#!/bin/sh\nsleep 600\n")
        (hung / name).chmod(0o755)
    results: dict[str, dict[str, object]] = {}

    def measure(name: str, env: dict[str, str], times: int) -> None:
        methods: set[str] = set()

        def once() -> None:
            methods.add(copy_text(TEXT, env=env, state_dir=scratch / "state").method)

        results[name] = {**_time(once, times), "method": ",".join(sorted(methods))}

    with _xvfb() as display, _tmux() as tmux:
        if display:
            measure("xclip under Xvfb", dict(base, DISPLAY=display), runs)
        if tmux:
            measure("tmux buffer", dict(base, TMUX=tmux), runs)
            measure("stale DISPLAY -> tmux", dict(base, TMUX=tmux, DISPLAY=":99"), runs)
            hung_env = dict(base, TMUX=tmux, DISPLAY=":0", PATH=f"{hung}:{base.get('PATH', '')}")
            measure("hung display -> tmux", hung_env, 3)
        measure("no clipboard -> file", base, runs)
    return results


def big_record(events: int) -> IncidentRecord:
    incident = Incident(
        id="INC-20261128-1",
        title="Checkout failing",
        severity=Severity.SEV1,
        status=Status.IDENTIFIED,
        detected_at=T0,
        declared_at=T0,
        impact="Checkout fails for EU customers",
    )
    rows = []
    for n in range(events):
        at = T0 + timedelta(seconds=n)
        comms = n % 25 == 0
        rows.append(
            TimelineEvent(
                id=f"{n:08d}",
                kind=EventKind.COMMS if comms else EventKind.NOTE,
                text=f"row {n}",
                occurred_at=at,
                recorded_at=at,
                data={"audience": AUDIENCES[n % 3]} if comms else {},
            )
        )
    return IncidentRecord(incident=incident, events=tuple(rows))


def tick_timings(runs: int) -> dict[str, dict[str, float]]:
    config = Config()
    results: dict[str, dict[str, float]] = {}
    for size in SIZES:
        record = big_record(size)
        now = T0 + timedelta(seconds=size)
        results[f"countdowns, {size:,} events"] = _time(
            lambda r=record, n=now: countdowns(r, n, config), runs
        )

        def fill_all(r: IncidentRecord = record, n: datetime = now) -> None:
            for audience in AUDIENCES:
                for state in STATES:
                    text = fill_update(r, audience, state, UpdateFormat.MARKDOWN, n, config)
                    lint_update(text, audience, state, r.incident)

        results[f"fill+lint all 12 templates, {size:,} events"] = _time(fill_all, runs)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("bench_comms.json"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        clip = clipboard_timings(args.runs, Path(scratch))
    ticks = tick_timings(args.runs)
    print(f"{'clipboard chain':<42} {'median ms':>10} {'p95 ms':>10}  confirmed by")
    for name, row in clip.items():
        print(f"{name:<42} {row['median_ms']:>10.1f} {row['p95_ms']:>10.1f}  {row['method']}")
    print(f"\n{'per tick / per update':<42} {'median ms':>10} {'p95 ms':>10}")
    for name, stats in ticks.items():
        print(f"{name:<42} {stats['median_ms']:>10.2f} {stats['p95_ms']:>10.2f}")
    args.out.write_text(json.dumps({"clipboard": clip, "ticks": ticks}, indent=2) + "\n")
    print(f"\nwrote {args.out}")


if __name__ == "__main__":
    main()
