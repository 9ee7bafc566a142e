"""Posting updates through Apprise to real local receivers (HTTP on 127.0.0.1)."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from receivers import receiver

from incident_tui.core.config import ConfigError
from incident_tui.core.destinations import (
    Destination,
    format_for,
    load_destinations,
    redact_url,
)
from incident_tui.core.posting import body_for, post_update, scrub
from incident_tui.core.templates import UpdateFormat, slack_literal

SECRET = "s3cr3tT0kenZZ9"


def destination(name: str, url: str) -> Destination:
    return Destination(name, url, ("internal",), format_for(url))


def test_json_webhook_and_mattermost_get_the_text_once() -> None:
    with receiver() as hook:
        targets = [
            destination("hook", f"json://{hook.host}/incoming?key={SECRET}"),
            destination("chat", f"mmost://{hook.host}/{SECRET}"),
        ]
        outcomes = post_update(targets, "Checkout errors: rolled back", UpdateFormat.PLAIN)
    assert [o.ok for o in outcomes] == [True, True]
    by_path = {path.split("?")[0]: json.loads(body) for path, body in hook.received}
    assert len(hook.received) == 2  # once each, no retries
    assert by_path["/incoming"]["message"] == "Checkout errors: rolled back"
    assert by_path[f"/hooks/{SECRET}"]["text"] == "Checkout errors: rolled back"
    assert all(SECRET not in repr(o) for o in outcomes)


def test_a_500_is_a_clear_failure_without_the_secret() -> None:
    with receiver("fail") as hook:
        started = time.monotonic()
        [outcome] = post_update(
            [destination("status-page", f"mmost://{hook.host}/{SECRET}")],
            "update",
            UpdateFormat.PLAIN,
            timeout=3,
        )
    assert time.monotonic() - started < 3
    assert not outcome.ok
    assert "500" in outcome.detail or "Internal Server Error" in outcome.detail
    assert outcome.where == "mmost://127.0.0.1"
    assert SECRET not in json.dumps(outcome.as_data())
    assert len(hook.received) == 1  # not retried


def test_a_hanging_receiver_fails_within_the_timeout() -> None:
    with receiver("hang") as hook:
        started = time.monotonic()
        [outcome] = post_update(
            [destination("hook", f"json://{hook.host}/in?token={SECRET}")],
            "update",
            UpdateFormat.PLAIN,
            timeout=2,
        )
        took = time.monotonic() - started
    assert took < 4.0
    assert not outcome.ok and "within 2 s" in outcome.detail
    assert SECRET not in outcome.detail
    assert len(hook.received) == 1


def test_nobody_listening_is_a_failure_with_a_reason() -> None:
    with receiver() as hook:
        port = hook.port
    [outcome] = post_update(
        [destination("hook", f"json://127.0.0.1:{port}/in")], "x", UpdateFormat.PLAIN, timeout=2
    )
    assert not outcome.ok and outcome.detail


def test_urls_are_redacted_to_scheme_and_host() -> None:
    assert redact_url(f"json://user:{SECRET}@hooks.example.com/x?k={SECRET}") == (
        "json://hooks.example.com"
    )
    assert redact_url(f"https://hooks.slack.com/services/T0/B0/{SECRET}") == (
        "https://hooks.slack.com"
    )
    # Slack's short form puts a token where the host goes: that is not shown either.
    assert redact_url(f"slack://T000/B000/{SECRET}") == "slack://…"
    text = f"error posting to mmost://chat.example.com/{SECRET}: refused ({SECRET})"
    cleaned = scrub(text, f"mmost://chat.example.com/{SECRET}")
    assert SECRET not in cleaned and "mmost://chat.example.com" in cleaned
    assert SECRET not in repr(destination("x", f"mmost://chat.example.com/{SECRET}"))


def write_destinations(path: Path, mode: int, body: str | None = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        body
        or f'[destinations.incident-channel]\nurl = "slack://T0/B0/{SECRET}"\n'
        'audiences = ["internal", "stakeholders"]\n',
        encoding="utf-8",
    )
    os.chmod(path, mode)
    return path


def test_a_readable_destinations_file_is_refused_with_the_fix(tmp_path: Path) -> None:
    path = write_destinations(tmp_path / "destinations.toml", 0o644)
    with pytest.raises(ConfigError) as caught:
        load_destinations(path)
    message = str(caught.value)
    assert "chmod 600" in message and "0644" in message and SECRET not in message
    os.chmod(path, 0o600)
    [loaded] = load_destinations(path)
    assert loaded.audiences == ("internal", "stakeholders")
    assert loaded.format is UpdateFormat.SLACK


@pytest.mark.parametrize(
    ("body", "complaint"),
    [
        ('[destinations.a]\nurl = "nope"\naudiences = ["internal"]\n', "Apprise URL"),
        ('[destinations.a]\nurl = "json://h/x"\naudiences = ["execs"]\n', "audiences"),
        ('[destinations.a]\nurl = "json://h/x"\naudiences = []\n', "audiences"),
        ('[destinations.a]\nurl="json://h/x"\naudiences=["internal"]\nformat="html"\n', "format"),
        ("[destinations.a\n", "TOML"),
    ],
)
def test_bad_destinations_get_one_clear_error(tmp_path: Path, body: str, complaint: str) -> None:
    path = write_destinations(tmp_path / "destinations.toml", 0o600, body)
    with pytest.raises(ConfigError, match=complaint):
        load_destinations(path)


def test_user_text_cannot_format_or_mention_in_slack() -> None:
    shown = slack_literal("*prod* _db_ ~x~ `rm` @channel <!here> & @Here")
    for marker in ("*prod*", "_db_", "~x~", "`rm`", "@channel", "<!here>", "@Here"):
        assert marker not in shown
    assert shown.replace("\u200b", "") == "*prod* _db_ ~x~ `rm` @channel &lt;!here&gt; &amp; @Here"


def test_each_destination_gets_its_own_markup_when_the_text_is_the_templates() -> None:
    def refill(fmt: UpdateFormat, escape: object) -> str:
        return f"{fmt.value}:{escape is not None}"

    slack = destination("s", "slack://T0/B0/C0")
    teams = destination("t", "workflows://prod.logic.azure.com:443/wf/sig")
    hook = destination("h", "json://h/x")
    assert body_for(slack, "x", UpdateFormat.PLAIN, refill) == ("slack:True", None)
    assert body_for(teams, "x", UpdateFormat.PLAIN, refill) == ("markdown:False", "markdown")
    assert body_for(hook, "x", UpdateFormat.MARKDOWN, refill) == ("plain:False", "text")
    # Edited text goes as typed, declared in the format it was typed in.
    assert body_for(teams, "**x**", UpdateFormat.MARKDOWN, None) == ("**x**", "markdown")
    assert body_for(slack, "a &amp; b", UpdateFormat.SLACK, None) == ("a & b", None)
