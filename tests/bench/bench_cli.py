"""How fast the command line answers a scribe, and how long the summary export takes.

A scribe types ``incident-tui log "..."`` in a second shell mid-incident; it should come back
before they look up (target: p95 under 300 ms, including Python start-up) even when the incident
holds 10,000 events written one by one. The export runs in-process at larger sizes too.
Prints a table; writes bench_cli.json next to this script.

    python tests/bench/bench_cli.py [--runs N] [--out PATH]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from incident_tui.core import operations as ops
from incident_tui.core.clock import FrozenClock
from incident_tui.core.export import from_json, to_json, to_markdown
from incident_tui.core.store import IncidentStore

DETECTED = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
CLI_SIZES = (100, 10_000)
EXPORT_SIZES = (1_000, 10_000, 50_000)
TARGET_P95_MS = 300.0
TARGETED = ("log",)
"""The target is for the scribe's keystroke path; the other commands are shown for reference."""


def seed(data_dir: Path, events: int) -> str:
    """An incident whose journal holds ``events`` events, each appended on its own line."""
    clock = FrozenClock(DETECTED)
    store = IncidentStore(data_dir, clock=clock, author="bench", fsync=False)
    handle = ops.declare(store, "Bench incident", detected_at=DETECTED, responder="Ana")
    for n in range(events):
        clock.advance(timedelta(seconds=1))
        text = f"row {n}: something happened | with detail"
        if n % 20 == 0:
            ops.record_update(handle, "internal", f"update {n}", summary=text)
        else:
            ops.log(handle, text)
    return handle.id


def cli_timings(data_dir: Path, runs: int) -> dict[str, dict[str, float]]:
    """Wall-clock ms (median, p95, max) of each command, start-up included."""
    script = shutil.which("incident-tui", path=str(Path(sys.executable).parent))
    base = [script] if script else [sys.executable, "-m", "incident_tui"]
    env = dict(os.environ, INCIDENT_TUI_DATA_DIR=str(data_dir), INCIDENT_TUI_AUTHOR="bench")
    env["INCIDENT_TUI_FROZEN_AT"] = (DETECTED + timedelta(days=1)).isoformat()
    commands = {
        "--version": ["--version"],
        "list": ["list"],
        "log": ["log", "scribe note"],
        "show": ["show"],
        "export md": ["export"],
        "export json": ["export", "--format", "json"],
    }
    results: dict[str, dict[str, float]] = {}
    for name, args in commands.items():
        samples = []
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run([*base, *args], env=env, capture_output=True, check=True)
            samples.append((time.perf_counter() - start) * 1000)
        results[name] = summarise(samples)
    return results


def summarise(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {
        "median_ms": round(statistics.median(ordered), 1),
        "p95_ms": round(p95, 1),
        "max_ms": round(ordered[-1], 1),
    }


def timed(fn: Callable[[], object], repeat: int = 3) -> float:
    """Median ms of ``repeat`` calls."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(samples), 1)


def export_timings(root: Path) -> list[dict[str, float]]:
    rows = []
    for size in EXPORT_SIZES:
        data_dir = root / f"export-{size}"
        incident_id = seed(data_dir, size)
        record = IncidentStore(data_dir, fsync=False).open(incident_id).record()
        now = DETECTED + timedelta(days=1)
        text = to_json(record)
        rows.append(
            {
                "events": size,
                "markdown_ms": timed(lambda r=record, n=now: to_markdown(r, n, tz=UTC)),
                "to_json_ms": timed(lambda r=record: to_json(r)),
                "from_json_ms": timed(lambda t=text: from_json(t)),
                "json_kib": round(len(text.encode()) / 1024),
            }
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="runs of each command")
    parser.add_argument("--out", type=Path, default=Path(__file__).with_suffix(".json"))
    args = parser.parse_args()
    os.environ["TZ"] = "UTC"
    time.tzset()
    with tempfile.TemporaryDirectory(prefix="bench-cli-") as tmp:
        root = Path(tmp)
        cli: dict[str, dict[str, dict[str, float]]] = {}
        for size in CLI_SIZES:
            data_dir = root / f"cli-{size}"
            seed(data_dir, size)
            cli[str(size)] = cli_timings(data_dir, args.runs)
        exports = export_timings(root)

    print(
        f"CLI wall-clock ms, {args.runs} runs each "
        f"(p95 target {TARGET_P95_MS:.0f} ms for: {', '.join(TARGETED)})"
    )
    print(f"{'events':>7}  {'command':<12} {'median':>8} {'p95':>8} {'max':>8}  ok")
    ok = True
    for size, commands in cli.items():
        for name, row in commands.items():
            verdict = ""
            if name in TARGETED:
                passed = row["p95_ms"] <= TARGET_P95_MS
                ok &= passed
                verdict = "yes" if passed else "NO"
            print(
                f"{size:>7}  {name:<12} {row['median_ms']:>8.1f} {row['p95_ms']:>8.1f} "
                f"{row['max_ms']:>8.1f}  {verdict}"
            )
    print()
    print(f"{'events':>7}  {'markdown ms':>12} {'to_json ms':>11} {'from_json ms':>13} {'KiB':>6}")
    for row in exports:
        print(
            f"{row['events']:>7}  {row['markdown_ms']:>12.1f} {row['to_json_ms']:>11.1f} "
            f"{row['from_json_ms']:>13.1f} {row['json_kib']:>6}"
        )
    payload = {
        "target_p95_ms": TARGET_P95_MS,
        "targeted": list(TARGETED),
        "runs": args.runs,
        "cli": cli,
        "export": exports,
        "ok": ok,
    }
    args.out.write_text(json.dumps(payload, indent=2) + "\n")
    print(f"\nwrote {args.out}")


if __name__ == "__main__":
    main()
