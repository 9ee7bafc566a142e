"""How long the nudge rules and the handoff brief take on big incidents.

The attention strip re-evaluates every rule once a second, so this must stay far below one
frame (~16 ms) at the sizes an incident reaches. Prints a table; writes bench_nudges.json.

    python tests/bench/bench_nudges.py [--out PATH]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from incident_tui.core import cadence, nudges
from incident_tui.core.attention_rules import active
from incident_tui.core.handoff import handoff_brief
from incident_tui.core.models import (
    EventKind,
    Incident,
    IncidentRecord,
    Role,
    RoleAssignment,
    Severity,
    Status,
    TimelineEvent,
)

START = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
SIZES = (100, 1_000, 10_000, 50_000)
TARGET_MS = 16.0


def record_with(events: int) -> IncidentRecord:
    """A SEV-1 with ``events`` timeline rows: mostly notes, one in 20 an update."""
    rows = []
    for n in range(events):
        at = START + timedelta(seconds=n)
        kind = EventKind.COMMS if n % 20 == 0 else EventKind.NOTE
        data = {"audience": ("internal", "stakeholders", "external")[n % 3]} if n % 20 == 0 else {}
        rows.append(TimelineEvent(f"e{n:06d}", kind, f"row {n}", at, at, "bench", data))
    incident = Incident(
        id="INC-20261128-1",
        title="bench",
        severity=Severity.SEV1,
        status=Status.IDENTIFIED,
        detected_at=START,
        declared_at=START,
    )
    roles = (RoleAssignment("r1", Role.IC, "ana", START),)
    return IncidentRecord(incident, tuple(rows), roles)


def timed(fn: object, repeat: int, cold: bool = False) -> float:
    """Median milliseconds of ``repeat`` calls; ``cold`` forgets the rules' per-record cache."""
    samples = []
    for _ in range(repeat):
        if cold:
            nudges._cached = None
            cadence._cached = None
        began = time.perf_counter()
        fn()  # type: ignore[operator]
        samples.append((time.perf_counter() - began) * 1000)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("bench_nudges.json"))
    args = parser.parse_args()
    results = []
    print(
        f"{'events':>8}  {'new record ms':>13}  {'tick ms':>8}  {'brief ms':>9}"
        f"  new record within {TARGET_MS:.0f} ms"
    )
    for size in SIZES:
        record = record_with(size)
        now = START + timedelta(seconds=size + 700)
        cold_ms = timed(lambda r=record, t=now: active(r, t), 15, cold=True)
        tick_ms = timed(lambda r=record, t=now: active(r, t), 15)
        brief_ms = timed(lambda r=record, t=now: handoff_brief(r, t), 15, cold=True)
        ok = cold_ms < TARGET_MS
        results.append(
            {
                "events": size,
                "new_record_ms": round(cold_ms, 3),
                "tick_ms": round(tick_ms, 3),
                "brief_ms": round(brief_ms, 3),
                "ok": ok,
            }
        )
        verdict = "yes" if ok else "NO"
        print(f"{size:>8}  {cold_ms:>13.2f}  {tick_ms:>8.3f}  {brief_ms:>9.2f}  {verdict}")
    args.out.write_text(json.dumps({"target_ms": TARGET_MS, "results": results}, indent=2) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
