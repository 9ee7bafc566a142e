"""The summary export: golden files for a seeded incident, the AAR extras, escaping, JSON errors.

The golden files under tests/golden/ are the reviewed output; regenerate them only on purpose
with ``UPDATE_GOLDEN=1 pytest tests/unit/test_export.py`` and read the diff before committing.
"""

from __future__ import annotations

import itertools
import os
import re
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from mdlint_helper import markdownlint

from incident_tui.core import operations as ops
from incident_tui.core.clock import FrozenClock
from incident_tui.core.errors import InvalidInputError
from incident_tui.core.export import block, from_json, inline, to_json, to_markdown
from incident_tui.core.models import (
    DetectionSource,
    EventKind,
    IncidentRecord,
    Role,
    Severity,
    Status,
)
from incident_tui.core.store import IncidentStore
from incident_tui.core.store import incidents as store_module

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
DETECTED = datetime(2026, 11, 28, 13, 52, tzinfo=UTC)


def seed_incident(store: IncidentStore, clock: FrozenClock) -> IncidentRecord:
    """A SEV-2 raised to SEV-1, rolled back, verified, resolved and closed, with an AAR date."""

    def at(minutes: int) -> None:
        clock.set(DETECTED + timedelta(minutes=minutes))

    at(3)
    inc = ops.declare(
        store,
        "Checkout fails after the 2.14 deploy",
        severity=Severity.SEV2,
        impact="All EU customers; card payments fail at the last step",
        source=DetectionSource.ALERT,
        detected_at=DETECTED,
        responder="Priya",
    )
    at(4)
    ops.assign_role(inc, Role.COMMS, "Marcus")
    ops.assign_role(inc, Role.OPS, "Dana")
    ops.assign_role(inc, Role.SCRIBE, "Sam")
    at(6)
    ops.log(inc, "POST /checkout error rate 38% (baseline 0.4%)", author="Dana")
    at(7)
    ops.set_severity(inc, Severity.SEV1, "most customers cannot pay")
    at(9)
    ops.record_update(
        inc,
        "internal",
        "SEV-1: checkout failing since 13:52 UTC.\nNext update in 15 minutes.",
        summary="Internal update posted (investigating)",
        details={"template": "investigating"},
        author="Marcus",
    )
    at(11)
    ops.decide(
        inc,
        "Roll back checkout-api to 2.13.2",
        why="errors began with the 2.14 deploy; rollback is safe",
        alternatives="hotfix forward",
        reversible=True,
    )
    at(12)
    ops.log(inc, "Rolled back checkout-api to 2.13.2", kind=EventKind.MITIGATION, author="Dana")
    at(18)
    ops.mark(inc, "mitigated", "error rate back to 0.5%")
    at(20)
    ops.assign_role(inc, Role.IC, "Alex")
    ops.assign_role(inc, Role.SME, "Wei")
    at(25)
    ops.mark(inc, "verified", "test purchase in EU succeeded")
    at(31)
    ops.record_update(
        inc,
        "external",
        "Checkout works again.",
        summary="Status page: resolved",
        details={"template": "resolved"},
        author="Marcus",
    )
    ops.set_status(inc, Status.RESOLVED)
    at(33)
    item = ops.add_action_item(inc, "Canary the checkout deploy", owner="Dana")
    ops.add_action_item(inc, "Alert on payment failures per region", owner="Wei")
    ops.complete_action_item(inc, item.id)
    at(40)
    ops.close(inc, date(2026, 12, 8))
    return inc.record()


@pytest.fixture
def counted_ids(monkeypatch: pytest.MonkeyPatch) -> None:
    """Replace random ULIDs with a counter so the golden JSON is byte-for-byte stable."""
    counter = itertools.count(1)
    monkeypatch.setattr(store_module, "new_id", lambda: f"ID{next(counter):024d}")


@pytest.fixture
def seeded(
    counted_ids: None, data_dir: Path, clock: FrozenClock
) -> tuple[IncidentRecord, datetime]:
    """The seeded incident and the moment it is exported."""
    store = IncidentStore(data_dir, clock=clock, author="tester", fsync=False)
    record = seed_incident(store, clock)
    return record, clock.now()


def check_golden(name: str, actual: str) -> None:
    """Compare with the reviewed golden file (or rewrite it when UPDATE_GOLDEN=1)."""
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.write_text(actual, encoding="utf-8")
    assert path.exists(), f"{path} is missing; create it with UPDATE_GOLDEN=1 and review it"
    assert actual == path.read_text(encoding="utf-8")


def test_markdown_matches_the_reviewed_golden_file(seeded: tuple[IncidentRecord, datetime]) -> None:
    record, now = seeded
    check_golden("seeded_incident.md", to_markdown(record, now, tz=UTC))


def test_json_matches_the_reviewed_golden_file(seeded: tuple[IncidentRecord, datetime]) -> None:
    record, _ = seeded
    check_golden("seeded_incident.json", to_json(record))


def test_golden_json_rebuilds_the_golden_markdown(seeded: tuple[IncidentRecord, datetime]) -> None:
    """The JSON on disk is the complete record: it alone reproduces the summary."""
    record, now = seeded
    rebuilt = from_json((GOLDEN / "seeded_incident.json").read_text(encoding="utf-8"))
    assert rebuilt == record
    assert to_markdown(rebuilt, now, tz=UTC) == (GOLDEN / "seeded_incident.md").read_text()


def test_sections_follow_the_seed_order(seeded: tuple[IncidentRecord, datetime]) -> None:
    record, now = seeded
    text = to_markdown(record, now, tz=UTC)
    markers = [
        "# Incident: Checkout fails after the 2.14 deploy",
        "**Date:** 2026-11-28",
        "**Severity:** SEV-1",
        "**Duration:** 31m (detected 2026-11-28 13:52, resolved 2026-11-28 14:23)",
        "**Times:** UTC",
        "**Customer impact:** All EU customers",
        "**AAR:** 2026-12-08",
        "## Summary",
        "## Impact in numbers",
        "## Key times",
        "## Timeline",
        "## Mitigation",
        "## Decisions",
        "## Updates sent",
        "## Root cause and contributing factors",
        "## What went well",
        "## What went wrong",
        "## Lessons",
        "## Follow-ups",
        "## Role history",
        "## Appendix: housekeeping",
    ]
    positions = [text.index(marker) for marker in markers]
    assert positions == sorted(positions)


def test_aar_extras_carry_offsets_times_handoffs_updates_and_reasons(
    seeded: tuple[IncidentRecord, datetime],
) -> None:
    record, now = seeded
    text = to_markdown(record, now, tz=UTC)
    assert "SEV-1 (declared SEV-2; raised to SEV-1 at 13:59 (T+7m): most customers cannot pay)" in (
        text
    )
    assert "| 13:58 | T+6m | note | POST /checkout error rate 38% (baseline 0.4%) |" in text
    assert "- Time to acknowledge: 3m" in text
    assert "- Time to mitigate: 18m" in text
    assert "- Time to resolve: 31m" in text
    assert "Incident commander: handed off from Priya to Alex" in text
    assert "- 14:01 (T+9m): to Internal team, investigating, by Marcus" in text
    assert (
        "  ```text\n  SEV-1: checkout failing since 13:52 UTC.\n  Next update in 15 minutes.\n  ```"
        in (text)
    )
    assert "- 14:23 (T+31m): to Customers, resolved, by Marcus" in text
    assert "| 14:01 | T+9m | comms | Update to Internal team (investigating) |" in text
    assert "**Roll back checkout-api to 2.13.2** (by Priya)" in text
    assert "  - Why: errors began with the 2.14 deploy; rollback is safe" in text
    assert "  - Alternatives: hotfix forward" in text
    assert "| Canary the checkout deploy | Dana | **no due date** | done 14:25 |" not in text
    assert "| Canary the checkout deploy | Dana | **no due date** | done 2026-11-28 14:25 |" in text
    assert "| Alert on payment failures per region | Wei | **no due date** | open |" in text
    assert "decision(s)" not in text and "item(s)" not in text


def test_times_are_shown_in_the_requested_zone(seeded: tuple[IncidentRecord, datetime]) -> None:
    record, now = seeded
    text = to_markdown(record, now, tz=ZoneInfo("Asia/Tokyo"))
    assert "**Date:** 2026-11-28" in text
    assert "| 22:58 | T+6m | note |" in text  # 13:58 UTC is 22:58 in Tokyo
    assert "Times are Asia/Tokyo (JST, UTC+09:00)" in text
    assert "**Times:** Asia/Tokyo (JST, UTC+09:00)" in text


def test_ongoing_incident_reports_duration_so_far(store: IncidentStore, clock: FrozenClock) -> None:
    inc = ops.declare(store, "Search is slow", detected_at=clock.now() - timedelta(minutes=5))
    clock.advance(timedelta(minutes=37))
    text = to_markdown(inc.record(), clock.now(), tz=UTC)
    assert "**Duration:** ongoing (42m so far)" in text
    assert "**Customer impact:** _not recorded_" in text
    assert "- Time to resolve: not reached (42m since detection)" in text
    assert "**AAR:** _not scheduled_" in text


def test_written_summary_replaces_the_generated_one(
    store: IncidentStore, clock: FrozenClock
) -> None:
    inc = ops.declare(store, "Search is slow", responder="Kim")
    generated = to_markdown(inc.record(), clock.now(), tz=UTC)
    assert "**Incident commander:** Kim" in generated
    assert "_To fill in: a one- or two-paragraph summary" in generated
    ops.edit_header(inc, summary="A bad index made search slow.\n\nWe rebuilt it.")
    written = to_markdown(inc.record(), clock.now(), tz=UTC)
    summary = written.split("## Summary\n\n")[1].split("\n\n## Impact in numbers")[0]
    assert summary == "A bad index made search slow.\n\nWe rebuilt it."


def headings(markdown: str) -> list[str]:
    return [line for line in markdown.splitlines() if re.match(r"#{1,6} ", line)]


def test_hostile_user_text_cannot_break_the_document(
    store: IncidentStore, clock: FrozenClock
) -> None:
    inc = ops.declare(store, "Title\n# Fake heading | with pipe", impact="a\n## Injected")
    ops.log(inc, "row | with | pipes\n- and a list\x1b[31m red", kind=EventKind.NOTE)
    ops.edit_header(inc, summary="# not a heading\n- not a list\n1. not numbered\n```\n---")
    ops.decide(inc, "**bold** <script>", why="[link](http://x)")
    clean = ops.declare(store, "Plain")
    hostile = to_markdown(inc.record(), clock.now(), tz=UTC)
    plain = to_markdown(clean.record(), clock.now(), tz=UTC)
    assert len(headings(hostile)) == len(headings(plain))
    assert "\x1b" not in hostile
    row = next(line for line in hostile.splitlines() if "with \\| pipes" in line)
    assert len(re.findall(r"(?<!\\)\|", row)) == 5  # still exactly four cells
    assert "\\# not a heading" in hostile
    assert "\\- not a list" in hostile
    assert "1\\. not numbered" in hostile
    assert "\\`\\`\\`" in hostile
    assert "\\*\\*bold\\*\\* \\<script>" in hostile


def test_inline_and_block_escaping() -> None:
    assert inline("a\nb\r\tc") == "a b c"
    # Only what Markdown would misread: an underscore inside a word never starts emphasis.
    assert inline("x_y*z`|#") == "x_y\\*z\\`\\|#"
    assert inline("pg_basebackup from _replica_") == "pg_basebackup from \\_replica\\_"
    assert inline("ran `pg_basebackup -D x`") == "ran `pg_basebackup -D x`"
    assert inline("see https://status.example.com/a_b.") == "see <https://status.example.com/a_b>."
    assert block("+ one\n\n\n= two\n\n") == ["\\+ one", "", "\\= two"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "expected a JSON object"),
        ('{"format": "something-else", "version": 1}', "not an incident-tui record"),
        ('{"format": "incident-tui/record", "version": 1}', "wrong shape"),
        (
            '{"format": "incident-tui/record", "version": 1, "incident": {}, "events": [],'
            ' "roles": [], "decisions": [], "action_items": []}',
            "wrong shape",
        ),
        (
            '{"format": "incident-tui/record", "version": 1, "incident": [], "events": "x",'
            ' "roles": [], "decisions": [], "action_items": []}',
            "wrong shape",
        ),
    ],
)
def test_bad_json_gives_one_line_error_naming_the_source(text: str, message: str) -> None:
    with pytest.raises(InvalidInputError) as caught:
        from_json(text, source="backup.json")
    line = str(caught.value)
    assert line.startswith("backup.json: ")
    assert message in line
    assert "\n" not in line


def test_json_export_is_complete(seeded: tuple[IncidentRecord, datetime]) -> None:
    record, _ = seeded
    text = to_json(record)
    for decision in record.decisions:
        assert decision.why in text
    assert text.count('"kind"') == len(record.events)
    assert from_json(text).incident.aar_date == date(2026, 12, 8)


def test_exports_pass_markdownlint(
    seeded: tuple[IncidentRecord, datetime], store: IncidentStore, clock: FrozenClock
) -> None:
    record, now = seeded
    assert markdownlint(to_markdown(record, now, tz=UTC)) == []
    assert markdownlint((GOLDEN / "seeded_incident.md").read_text(encoding="utf-8")) == []
    inc = ops.declare(
        store, "Title\n# Fake | heading.", impact="a\n## Injected `x` https://x.io/a_b"
    )
    ops.log(inc, "row | with | pipes\n- and a list *star* _under_ ~~gone~~", kind=EventKind.NOTE)
    ops.record_update(inc, "external", "```\n# not a heading\n````", summary="```\nfenced\n```")
    ops.decide(inc, "**bold** <script>", why="[link](http://x) ![img](y)")
    assert markdownlint(to_markdown(inc.record(), clock.now(), tz=UTC)) == []


def test_export_cli_utc_flag_and_config_default(
    seeded: tuple[IncidentRecord, datetime], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from click.testing import CliRunner

    from incident_tui.cli import main

    record, _ = seeded
    monkeypatch.setenv("INCIDENT_TUI_FROZEN_AT", "2026-11-28T15:00:00+00:00")
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    try:
        runner = CliRunner()
        local = runner.invoke(main, ["export", record.incident.id]).output
        assert "- **Times:** Asia/Tokyo (JST, UTC+09:00)" in local
        utc = runner.invoke(main, ["export", record.incident.id, "--utc"]).output
        assert "- **Times:** UTC" in utc and "| 13:58 | T+6m | note |" in utc
        config_dir = tmp_path / "cfg"
        config_dir.mkdir()
        (config_dir / "config.toml").write_text("[export]\nutc = true\n")
        monkeypatch.setenv("INCIDENT_TUI_CONFIG_DIR", str(config_dir))
        assert runner.invoke(main, ["export", record.incident.id]).output == utc
        assert "Asia/Tokyo" in runner.invoke(main, ["export", record.incident.id, "--local"]).output
    finally:
        monkeypatch.setenv("TZ", "UTC")
        time.tzset()
