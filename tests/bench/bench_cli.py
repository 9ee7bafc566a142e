"""Whole-process wall time of the command line at 0 to 100,000 events, beside its floors.

A scribe types ``incident-tui log "..."`` in a second shell mid-incident. Its cost must not
grow with the incident: each command is timed from spawning the process to its exit, on
incidents of 0, 1,000, 10,000 and 100,000 events (each event its own journal line, as when
logged one keypress at a time), interleaved in one run with its floors:

- ``python -c pass``: the interpreter alone;
- ``python -c "import click"``: the interpreter and the CLI framework;
- parse once: a process that reads the 100,000-event file and decodes every line (orjson),
  the least any command that needs every event must do.

Goals (issue 12): ``log``, ``show`` and ``list`` at 100,000 events within 1.2x of the same
command at 0 events; ``log`` within 2x the ``import click`` floor; ``export`` at 100,000
events within 2x the parse-once floor.

The children run as an installed package does, from cached bytecode (a fresh
``PYTHONPYCACHEPREFIX``, ``PYTHONDONTWRITEBYTECODE`` removed), after one untimed warm-up run
of every command. The incidents are written straight to their journals, so the warm-up run
also writes the checkpoint that the store writes by itself as an incident grows.

    python tests/bench/bench_cli.py [--runs 7] [--sizes 0,1000,10000,100000] [--out PATH]

Prints a table and writes ``tests/bench/results/bench_cli.json``; exits 1 if a goal is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from seeding import DETECTED, seed

RESULTS = Path(__file__).parent / "results" / "bench_cli.json"
COMMANDS = {
    "log": ["log", "scribe note"],
    "show": ["show"],
    "list": ["list"],
    "export md": ["export"],
}
FLAT = ("log", "show", "list")
"""Commands whose time at the largest size must stay within FLAT_RATIO of 0 events."""
FLAT_RATIO = 1.2
LOG_VS_CLICK = 2.0
EXPORT_VS_PARSE = 2.0
PARSE_ONCE = "import orjson, sys\nfor line in open(sys.argv[1], 'rb'): orjson.loads(line)\n"


def child_env(data_dir: Path, cache: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("INCIDENT_TUI_")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.update(
        PYTHONPYCACHEPREFIX=str(cache),
        INCIDENT_TUI_DATA_DIR=str(data_dir),
        INCIDENT_TUI_AUTHOR="bench",
        INCIDENT_TUI_FROZEN_AT=(DETECTED + timedelta(hours=2)).isoformat(),
        TZ="UTC",
    )
    return env


def wall_ms(argv: list[str], env: dict[str, str]) -> float:
    """Milliseconds from spawning ``argv`` to reaping it (its output thrown away)."""
    start = time.perf_counter()
    subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=True)
    return (time.perf_counter() - start) * 1000


def machine() -> dict[str, object]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--sizes", default="0,1000,10000,100000")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    script = shutil.which("incident-tui", path=str(Path(sys.executable).parent))
    cli = [script] if script else [sys.executable, "-m", "incident_tui"]

    with tempfile.TemporaryDirectory(prefix="bench-cli-") as tmp:
        root = Path(tmp)
        cache = root / "pycache"
        files: dict[int, Path] = {}
        for size in sizes:
            data_dir = root / f"d{size}"
            incident_id = seed(data_dir, size)
            files[size] = data_dir / "incidents" / f"{incident_id}.db"
        largest = max(sizes)
        env0 = child_env(root / f"d{sizes[0]}", cache)
        floors = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "import click": [sys.executable, "-c", "import click"],
            f"parse once ({largest} events)": [
                sys.executable,
                "-c",
                PARSE_ONCE,
                str(files[largest]),
            ],
        }
        jobs: list[tuple[str, list[str], dict[str, str]]] = [
            (name, argv, env0) for name, argv in floors.items()
        ]
        for size in sizes:
            env = child_env(root / f"d{size}", cache)
            jobs += [(f"{name} @{size}", [*cli, *argv], env) for name, argv in COMMANDS.items()]
        for _, argv, env in jobs:  # warm-up: bytecode, page cache, checkpoints
            wall_ms(argv, env)
        samples: dict[str, list[float]] = {name: [] for name, _, _ in jobs}
        for _ in range(args.runs):  # interleaved, so every row sees the same machine
            for name, argv, env in jobs:
                samples[name].append(wall_ms(argv, env))
        sizes_on_disk = {size: files[size].stat().st_size for size in sizes}

    median = {name: round(statistics.median(values), 1) for name, values in samples.items()}
    checks = []
    for name in FLAT:
        ratio = median[f"{name} @{largest}"] / median[f"{name} @{sizes[0]}"]
        checks.append((f"{name} @{largest} / @{sizes[0]}", ratio, FLAT_RATIO))
    checks.append(
        (
            f"log @{largest} / import click",
            median[f"log @{largest}"] / median["import click"],
            LOG_VS_CLICK,
        )
    )
    parse = median[f"parse once ({largest} events)"]
    checks.append(
        (
            f"export md @{largest} / parse once",
            median[f"export md @{largest}"] / parse,
            EXPORT_VS_PARSE,
        )
    )

    print(f"Whole-process wall time, median of {args.runs} interleaved runs (ms)")
    print(f"{'what':<34}{'median':>9}{'min':>9}{'max':>9}")
    for name, values in samples.items():
        print(f"{name:<34}{median[name]:>9.1f}{min(values):>9.1f}{max(values):>9.1f}")
    print()
    print(f"{'goal':<34}{'ratio':>9}{'limit':>9}  ok")
    ok = True
    for label, ratio, limit in checks:
        ok &= ratio <= limit
        print(f"{label:<34}{ratio:>8.2f}x{limit:>8.1f}x  {'yes' if ratio <= limit else 'NO'}")
    payload = {
        "what": "wall ms from spawning the process to its exit, output discarded",
        "runs": args.runs,
        "machine": machine(),
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "file_bytes": sizes_on_disk,
        "samples_ms": {name: [round(v, 1) for v in values] for name, values in samples.items()},
        "median_ms": median,
        "goals": [
            {"what": label, "ratio": round(ratio, 2), "limit": limit, "ok": ratio <= limit}
            for label, ratio, limit in checks
        ],
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(payload, indent=2) + "\n")
    print(f"\nwrote {args.out}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
