"""Benchmark: a durable event append against a plain fsync'd one-line append, same run.

    python tests/bench/bench_store.py [--events 10000] [--past 300] [--past-events 500]
                                      [--appends 500] [--data-dir DIR] [--json FILE]

Builds a data dir with ``--past`` closed incidents of ``--past-events`` events each and one
open incident of ``--events`` events (written straight to the journal files, unsynced, so
setup is quick), then measures, interleaved so both see the same disk:

* ``IncidentFile.log`` (lock, catch up, one journal line, fsync): the scribe's keypress;
* a plain append: ``os.open(O_APPEND)``, ``write`` one line, ``fsync``, ``close``;

and also ``log`` followed by ``record()`` (what the TUI does to redraw), opening the big
incident cold, and ``list_incidents`` with a cold and a warm index. Prints a table and writes
JSON (default ``tests/bench/results/bench_store.json``). Target: append p99 <= 3x plain p99.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson

from incident_tui.core import operations as ops
from incident_tui.core.clock import FrozenClock, SystemClock
from incident_tui.core.models import EventKind, TimelineEvent
from incident_tui.core.store import IncidentStore, new_id
from incident_tui.core.store.incident_reader import T_EVENTS

RESULTS = Path(__file__).resolve().parent / "results" / "bench_store.json"
TEXT = "Rolled back checkout-api to v412; error rate falling on the EU dashboards"


def add_events(path: Path, count: int, start: datetime) -> None:
    """Append ``count`` note events to a journal file in one go (setup only, no fsync)."""
    first_doc = 100  # above the ids declare() used
    with path.open("ab") as handle:
        for n in range(count):
            at = start + timedelta(seconds=n)
            event = TimelineEvent(new_id(), EventKind.NOTE, f"{TEXT} #{n}", at, at, "bench")
            op = ["put", T_EVENTS, str(first_doc + n), event.to_dict()]
            handle.write(orjson.dumps({"ops": [op]}) + b"\n")


def build(data: Path, past: int, past_events: int, events: int) -> str:
    """Fill ``data`` with past incidents and one big open one; return the big one's id."""
    clock = FrozenClock(datetime(2026, 6, 1, 9, 0, tzinfo=UTC))
    store = IncidentStore(data, clock=clock, author="bench", fsync=False)
    for n in range(past):
        handle = ops.declare(store, f"Past incident {n}")
        add_events(handle.path, past_events, clock.now())
        clock.advance(timedelta(hours=2))
        ops.close(handle)
        clock.advance(timedelta(hours=6))
    clock.set(datetime.now(UTC) - timedelta(days=1))
    big = ops.declare(store, "Checkout errors for EU customers")
    add_events(big.path, events, clock.now())
    return big.id


def stats(samples_ns: list[int]) -> dict[str, float]:
    """p50/p90/p99/max in milliseconds."""
    ordered = sorted(samples_ns)

    def pick(q: float) -> float:
        return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] / 1e6

    return {
        "p50": pick(0.50),
        "p90": pick(0.90),
        "p99": pick(0.99),
        "max": ordered[-1] / 1e6,
        "mean": statistics.fmean(ordered) / 1e6,
        "n": len(ordered),
    }


def timed(action: Callable[[], Any]) -> tuple[int, Any]:
    start = time.perf_counter_ns()
    result = action()
    return time.perf_counter_ns() - start, result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--past", type=int, default=300)
    parser.add_argument("--past-events", type=int, default=500)
    parser.add_argument("--appends", type=int, default=500)
    parser.add_argument("--data-dir", type=Path, default=None, help="default: a temp dir")
    parser.add_argument("--json", type=Path, default=RESULTS)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(dir=args.data_dir) as tmp:
        data = Path(tmp) / "data"
        setup_ns, big_id = timed(lambda: build(data, args.past, args.past_events, args.events))
        os.sync()  # setup wrote unsynced; do not let its writeback land in the timings
        (data / "index.db").unlink(missing_ok=True)

        cold_list_ns, listed = timed(lambda: IncidentStore(data).list_incidents(True))
        warm_list_ns, _ = timed(lambda: IncidentStore(data).list_incidents(True))
        open_ns, handle = timed(lambda: IncidentStore(data, clock=SystemClock()).open(big_id))
        record_ns, record = timed(handle.record)
        assert len(listed) == args.past + 1 and len(record.events) == args.events + 2

        plain_path = Path(tmp) / "plain.log"
        line = orjson.dumps({"ops": [["put", "events", "1", record.events[-1].to_dict()]]}) + b"\n"

        def plain_append() -> None:
            fd = os.open(plain_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(fd, line)
                os.fsync(fd)
            finally:
                os.close(fd)

        plain: list[int] = []
        durable: list[int] = []
        refresh: list[int] = []
        for n in range(args.appends):  # interleaved: both see the same disk at the same time
            plain.append(timed(plain_append)[0])
            start = time.perf_counter_ns()
            ops.log(handle, f"{TEXT} (live {n})")
            durable.append(time.perf_counter_ns() - start)
        for n in range(min(args.appends, 100)):
            start = time.perf_counter_ns()
            ops.log(handle, f"refresh {n}")
            handle.record()
            refresh.append(time.perf_counter_ns() - start)

    results: dict[str, Any] = {
        "params": vars(args) | {"data_dir": str(args.data_dir), "json": str(args.json)},
        "machine": {"python": platform.python_version(), "system": platform.platform()},
        "setup_s": setup_ns / 1e9,
        "append_ms": stats(durable),
        "plain_fsync_append_ms": stats(plain),
        "p99_ratio": stats(durable)["p99"] / stats(plain)["p99"],
        "p50_ratio": stats(durable)["p50"] / stats(plain)["p50"],
        "log_then_record_ms": stats(refresh),
        "open_big_incident_ms": open_ns / 1e6,
        "record_big_incident_ms": record_ns / 1e6,
        "list_incidents_cold_index_ms": cold_list_ns / 1e6,
        "list_incidents_warm_index_ms": warm_list_ns / 1e6,
    }
    print(table(results, args))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_bytes(orjson.dumps(results, option=orjson.OPT_INDENT_2) + b"\n")
    print(f"\nwrote {args.json}")
    return 0 if results["p99_ratio"] <= 3.0 else 1


def table(results: dict[str, Any], args: argparse.Namespace) -> str:
    rows = [
        f"data dir: {args.past} past incidents x {args.past_events} events, "
        f"one incident of {args.events} events; {args.appends} appends each",
        "",
        f"{'operation':<34}{'p50':>9}{'p90':>9}{'p99':>9}{'max':>9}  (ms)",
    ]
    for label, key in (
        ("IncidentFile.log (durable)", "append_ms"),
        ("plain O_APPEND write+fsync", "plain_fsync_append_ms"),
        ("log + record() (TUI redraw)", "log_then_record_ms"),
    ):
        s = results[key]
        rows.append(f"{label:<34}{s['p50']:>9.3f}{s['p90']:>9.3f}{s['p99']:>9.3f}{s['max']:>9.3f}")
    verdict = "OK" if results["p99_ratio"] <= 3.0 else "MISSED"
    rows += [
        "",
        f"p99 ratio (log / plain): {results['p99_ratio']:.2f}x  (target <= 3x: {verdict}); "
        f"p50 ratio {results['p50_ratio']:.2f}x",
        f"open the {args.events}-event incident: {results['open_big_incident_ms']:.1f} ms "
        f"+ record() {results['record_big_incident_ms']:.1f} ms",
        f"list_incidents, cold index: {results['list_incidents_cold_index_ms']:.1f} ms; "
        f"warm index: {results['list_incidents_warm_index_ms']:.1f} ms",
        f"setup: {results['setup_s']:.1f} s",
    ]
    return "\n".join(rows)


if __name__ == "__main__":
    raise SystemExit(main())
