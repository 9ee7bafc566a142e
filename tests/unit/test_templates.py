"""Copy-ready updates: every state x audience x format is fully filled from the incident."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from incident_tui.core import operations as ops
from incident_tui.core.clock import FrozenClock
from incident_tui.core.config import AUDIENCES, STATES, Config
from incident_tui.core.errors import InvalidInputError
from incident_tui.core.models import IncidentRecord, Role, Severity, Status
from incident_tui.core.store import IncidentStore
from incident_tui.core.templates import (
    UpdateFormat,
    comms_event,
    fill_update,
    parse_format,
    parse_state,
    state_for,
)

PLACEHOLDER = re.compile(r"\[[^\]]*\]|\{[^}]*\}")


@pytest.fixture
def record(store: IncidentStore, clock: FrozenClock) -> IncidentRecord:
    handle = ops.declare(
        store,
        "Checkout failing",
        severity=Severity.SEV1,
        impact="Checkout fails for EU customers",
        detected_at=clock.now() - timedelta(minutes=5),
        responder="Alice",
    )
    ops.assign_role(handle, Role.COMMS, "Bob")
    ops.assign_role(handle, Role.OPS, "Carol")
    clock.advance(timedelta(minutes=10))
    ops.mark(handle, "mitigated", "rolled back checkout-api to 2.13.2")
    return handle.record()


@pytest.mark.parametrize("fmt", list(UpdateFormat))
@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("audience", AUDIENCES)
def test_every_template_is_fully_filled(
    record: IncidentRecord, clock: FrozenClock, audience: str, state: str, fmt: UpdateFormat
) -> None:
    text = fill_update(record, audience, state, fmt, clock.now(), Config())
    assert PLACEHOLDER.search(text) is None, text
    assert len(text.splitlines()) >= 3


def test_external_messages_follow_the_seed(record: IncidentRecord, clock: FrozenClock) -> None:
    now = clock.now()  # 14:10 UTC; SEV-1 external cadence is 30 minutes
    config = Config()
    plain = UpdateFormat.PLAIN
    assert (
        "We are investigating reports of problems. Updates to follow. Next update by 14:40 UTC."
        in fill_update(record, "external", "investigating", plain, now, config)
    )
    assert (
        "We have identified the issue. Engineers are working on a fix. Next update by 14:40 UTC."
        in fill_update(record, "external", "identified", plain, now, config)
    )
    assert (
        "A fix has been applied. We are monitoring to confirm resolution. Next update by 14:40 UTC."
        in fill_update(record, "external", "monitoring", plain, now, config)
    )
    assert (
        "This incident has been resolved. Service has been restored. A full incident report will "
        "be posted within 5 business days."
        in fill_update(record, "external", "resolved", plain, now, config)
    )


def test_internal_update_has_impact_mitigation_eta_and_roles(
    record: IncidentRecord, clock: FrozenClock
) -> None:
    text = fill_update(record, "internal", "identified", UpdateFormat.PLAIN, clock.now(), Config())
    assert text.startswith("SEV-1 Checkout failing: identified (14:10 UTC)")
    assert "Impact: Checkout fails for EU customers" in text
    assert (
        "Mitigation: rolled back checkout-api to 2.13.2 (applied 14:10 UTC; not verified yet)"
        in text
    )
    assert "ETA: no ETA yet" in text
    assert "Roles: IC Alice, comms Bob, ops Carol" in text
    assert "Next update by: 14:25 UTC" in text  # internal SEV-1 cadence: 15 minutes


def test_stakeholder_update_is_business_impact_without_technical_detail(
    record: IncidentRecord, clock: FrozenClock
) -> None:
    text = fill_update(
        record, "stakeholders", "identified", UpdateFormat.PLAIN, clock.now(), Config()
    )
    assert "Business impact: Checkout fails for EU customers" in text
    assert "rolled back" not in text and "checkout-api" not in text
    assert "Next update by: 14:40 UTC" in text


def test_formats_mark_up_headings_and_labels(record: IncidentRecord, clock: FrozenClock) -> None:
    now, config = clock.now(), Config()
    md = fill_update(record, "internal", "identified", UpdateFormat.MARKDOWN, now, config)
    slack = fill_update(record, "internal", "identified", UpdateFormat.SLACK, now, config)
    plain = fill_update(record, "internal", "identified", UpdateFormat.PLAIN, now, config)
    assert md.startswith("**SEV-1 Checkout failing") and "- **ETA:** " in md
    assert slack.startswith("*SEV-1 Checkout failing") and "• *ETA:* " in slack
    assert "*" not in plain


def test_user_text_is_escaped_for_the_format(store: IncidentStore, clock: FrozenClock) -> None:
    record = ops.declare(store, "*prod* <db> & _cache_", severity=Severity.SEV2).record()
    now, config = clock.now(), Config()
    md = fill_update(record, "internal", "investigating", UpdateFormat.MARKDOWN, now, config)
    slack = fill_update(record, "internal", "investigating", UpdateFormat.SLACK, now, config)
    assert r"\*prod\* \<db\> & \_cache\_" in md
    # mrkdwn has no backslash escape: the markers are kept apart by a zero-width space, so
    # the title reads the same but is not bold or italic in Slack.
    assert "*prod*" not in slack and "_cache_" not in slack
    assert "*prod* &lt;db&gt; &amp; _cache_" in slack.replace("\u200b", "")


def test_mentions_in_user_text_notify_nobody(store: IncidentStore, clock: FrozenClock) -> None:
    title = "DB down @channel @here `rm -rf` ~old~"
    record = ops.declare(store, title, severity=Severity.SEV2).record()
    now, config = clock.now(), Config()
    for fmt in (UpdateFormat.SLACK, UpdateFormat.MARKDOWN):
        text = fill_update(record, "internal", "investigating", fmt, now, config)
        for marker in ("@channel", "@here", "`rm -rf`", "~old~"):
            assert marker not in text, (fmt, marker)
    plain = fill_update(record, "internal", "investigating", UpdateFormat.PLAIN, now, config)
    assert "DB down @channel @here `rm -rf` ~old~" in plain  # plain text is left as typed


def test_missing_facts_get_honest_defaults(store: IncidentStore, clock: FrozenClock) -> None:
    record = ops.declare(store, "Login errors", severity=Severity.SEV3).record()
    text = fill_update(
        record, "internal", "investigating", UpdateFormat.PLAIN, clock.now(), Config()
    )
    assert "Roles: no roles assigned yet" in text
    assert "ETA: no ETA yet\n" in text
    assert "Next update by: 15:00 UTC" in text  # SEV-3: as needed, 60m offered
    ext = fill_update(
        record, "external", "investigating", UpdateFormat.PLAIN, clock.now(), Config()
    )
    assert "We are investigating reports of problems. Updates to follow." in ext


def test_closed_reads_as_resolved_and_bad_names_are_rejected() -> None:
    assert state_for(Status.CLOSED) == "resolved"
    assert state_for(Status.MONITORING) == "monitoring"
    assert parse_format("md") is UpdateFormat.MARKDOWN
    with pytest.raises(InvalidInputError, match="unknown state 'fixed'"):
        parse_state("fixed")
    with pytest.raises(InvalidInputError, match="unknown format 'html'"):
        parse_format("html")


def test_comms_event_carries_the_full_text(record: IncidentRecord, clock: FrozenClock) -> None:
    text = fill_update(record, "external", "identified", UpdateFormat.SLACK, clock.now(), Config())
    summary, data = comms_event("external", "identified", UpdateFormat.SLACK, text, "xclip")
    assert summary == "Customers update (identified): Identified"  # how it was copied: in data
    assert data == {
        "audience": "external",
        "template": "identified",
        "format": "slack",
        "text": text,
        "method": "xclip",
    }


def test_configured_wording_is_used(record: IncidentRecord, clock: FrozenClock) -> None:
    from incident_tui.core.config import TemplateLine, UpdateTemplate

    config = Config(report_timeframe="48 hours")
    config.templates["external"]["identified"] = UpdateTemplate(
        "Problem found", (TemplateLine("Affecting {scope}."), TemplateLine("{ic}", "Lead"))
    )
    text = fill_update(record, "external", "identified", UpdateFormat.PLAIN, clock.now(), config)
    # No scope recorded: the sentence that needs it is left out, not half-filled.
    assert text == "Problem found\n\nLead: Alice"
    scoped = record.incident.with_changes(scope="Checkout for EU customers.")
    text = fill_update(
        IncidentRecord(scoped, record.events, record.roles),
        "external",
        "identified",
        UpdateFormat.PLAIN,
        clock.now(),
        config,
    )
    assert text == "Problem found\n\nAffecting checkout for EU customers.\nLead: Alice"
    resolved = fill_update(record, "external", "resolved", UpdateFormat.PLAIN, clock.now(), config)
    assert resolved.endswith("posted within 48 hours.")


@settings(max_examples=60, deadline=None)
@given(
    title=st.text(min_size=1, max_size=40).filter(lambda t: t.strip() != ""),
    impact=st.text(max_size=40),
    fmt=st.sampled_from(list(UpdateFormat)),
)
def test_any_user_text_fills_without_error_or_reexpansion(
    title: str, impact: str, fmt: UpdateFormat
) -> None:
    """Braces, markup or line breaks in user text are data: the update keeps its shape."""
    from datetime import UTC, datetime

    from incident_tui.core.models import Incident

    at = datetime(2026, 11, 28, 14, 0, tzinfo=UTC)
    incident = Incident(
        id="INC-20261128-1",
        title=title,
        severity=Severity.SEV2,
        status=Status.IDENTIFIED,
        detected_at=at,
        declared_at=at,
        impact=impact,
    )
    record = IncidentRecord(incident=incident)
    config = Config()
    for audience in AUDIENCES:
        text = fill_update(record, audience, "identified", fmt, at, config)
        # The update keeps its shape: heading, blank line, at most one line per template line
        # (lines about facts nobody recorded are left out).
        lines = text.split("\n")
        assert 3 <= len(lines) <= 2 + len(config.template(audience, "identified").lines)
        assert lines[1] == ""
        assert not any(ch < " " or ch == "\x7f" for ch in text.replace("\n", ""))
        if fmt is UpdateFormat.PLAIN and audience == "internal":
            words = title.split()
            assert all(word in lines[0] for word in words if word.isalnum())


def test_internal_update_reads_corrections(store: IncidentStore, clock: FrozenClock) -> None:
    inc = ops.declare(store, "Checkout failing", severity=Severity.SEV2)
    note = ops.log(inc, "db CPU at 90%")
    wrong = ops.log(inc, "backups are corrupt")
    ops.amend(inc, note.id, "db CPU at 95%")
    ops.strike(inc, wrong.id, "that was staging")
    text = fill_update(
        inc.record(), "internal", "investigating", UpdateFormat.PLAIN, clock.now(), Config()
    )
    assert "  - 14:00 db CPU at 95%" in text.splitlines()
    assert "90%" not in text and "corrupt" not in text and "Amended" not in text


def test_a_markdown_update_leaves_an_underscore_inside_a_word_alone(
    store: IncidentStore, clock: FrozenClock
) -> None:
    handle = ops.declare(store, "Replica lag", severity=Severity.SEV2)
    ops.edit_header(handle, status_note="rebuilding with pg_basebackup; _tmp_ dir full")
    record = handle.record()
    md = fill_update(
        record, "internal", "investigating", UpdateFormat.MARKDOWN, clock.now(), Config()
    )
    assert "pg_basebackup" in md  # CommonMark never reads it as emphasis
    assert r"\_tmp\_" in md  # at a word's edge it would be
