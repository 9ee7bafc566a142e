"""User settings from one TOML file: update cadences, template wording, clipboard timeout.

The file lives at ``<platformdirs user config dir>/config.toml`` (``$INCIDENT_TUI_CONFIG_DIR``
overrides the directory, for tests and portable setups). Every key is optional; a missing file
means the built-in defaults. A file that cannot be read gives a one-line error naming the line,
and the defaults are used instead, so a typo never stops anyone from posting an update.
"""

from __future__ import annotations

import os
import re
import string
import tomllib
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from incident_tui.core.defaults import DEFAULT_CADENCE as DEFAULT_CADENCE
from incident_tui.core.defaults import DEFAULT_TEMPLATES as DEFAULT_TEMPLATES
from incident_tui.core.defaults import STATES as STATES
from incident_tui.core.defaults import TemplateLine as TemplateLine
from incident_tui.core.defaults import UpdateTemplate as UpdateTemplate
from incident_tui.core.errors import InvalidInputError
from incident_tui.core.files import create_new, make_private_dir, write_all
from incident_tui.core.models import Audience, Severity
from incident_tui.core.rules import AarWindow

ENV_CONFIG_DIR = "INCIDENT_TUI_CONFIG_DIR"
CONFIG_NAME = "config.toml"

AUDIENCES: tuple[Audience, ...] = tuple(Audience)
"""Who an update is for: the incident channel, the broader organisation, customers."""

DEFAULT_SEVERITY = Severity.SEV1
"""A new incident's severity when none is chosen: when unsure, start at SEV-1 (DOMAIN.md)."""


PLACEHOLDERS = frozenset(
    {
        "incident_id",
        "title",
        "issue",
        "scope",
        "impact",
        "business_impact",
        "severity",
        "status",
        "now",
        "declared",
        "duration",
        "next_update",
        "report_timeframe",
        "ic",
        "comms",
        "ops",
        "roles",
        "mitigation",
        "known",
        "doing",
        "eta",
    }
)
"""The names a template may use in ``{braces}``; each is filled from the incident."""


class ConfigError(InvalidInputError):
    """The config file is unreadable; the message names the file and the line."""


@dataclass(frozen=True)
class Config:
    """Everything a user may change; the defaults are DOMAIN.md's."""

    cadence: dict[Severity, dict[str, int | None]] = field(
        default_factory=lambda: {sev: dict(row) for sev, row in DEFAULT_CADENCE.items()}
    )
    templates: dict[str, dict[str, UpdateTemplate]] = field(
        default_factory=lambda: {aud: dict(row) for aud, row in DEFAULT_TEMPLATES.items()}
    )
    report_timeframe: str = "5 business days"
    """Fills ``{report_timeframe}`` in the resolved messages."""
    as_needed_minutes: int = 60
    """The "next update by" offered when the severity has no cadence (SEV-3/4)."""
    clipboard_timeout: float = 1.5
    """Seconds a clipboard tool may take before the next method is tried."""
    default_severity: Severity = DEFAULT_SEVERITY
    """The severity a new incident starts at, in the CLI's ``new`` and the app's form."""
    aar: AarWindow = field(default_factory=AarWindow)
    """When the after-action review may be scheduled (days after closing)."""

    def interval(self, severity: Severity, audience: str) -> timedelta | None:
        """Time between updates for one audience, or None when there is no countdown."""
        minutes = self.cadence.get(severity, {}).get(audience)
        return timedelta(minutes=minutes) if minutes else None

    def template(self, audience: str, state: str) -> UpdateTemplate:
        """The wording for one audience and state."""
        return self.templates[audience][state]


@dataclass(frozen=True)
class LoadedConfig:
    """A config plus the one-line error that made us fall back to defaults, if any."""

    config: Config
    path: Path
    error: str | None = None


def config_dir() -> Path:
    """``$INCIDENT_TUI_CONFIG_DIR`` if set, else the platform's user config dir."""
    override = os.environ.get(ENV_CONFIG_DIR)
    if override:
        return Path(override).expanduser()
    import platformdirs

    return platformdirs.user_config_path("incident-tui", appauthor=False)


def config_path() -> Path:
    """Where the config file is read from (it need not exist)."""
    return config_dir() / CONFIG_NAME


def load_config(path: Path | None = None) -> LoadedConfig:
    """Read the config; on any problem keep the defaults and report the problem in one line."""
    path = path or config_path()
    try:
        return LoadedConfig(read_config(path), path)
    except ConfigError as exc:
        return LoadedConfig(Config(), path, str(exc))


def read_config(path: Path) -> Config:
    """Parse the config file strictly; raises :class:`ConfigError` naming the line."""
    try:
        raw_text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Config()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read config ({exc})") from None
    try:
        raw = tomllib.loads(raw_text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: {_toml_message(exc)}") from None
    try:
        return _build(raw)
    except ConfigError as exc:
        key = str(exc).split(":", 1)[0]
        line = _line_of(raw_text, key)
        where = f"line {line}" if line else "config"
        raise ConfigError(f"{path}: {where}: {exc}") from None


def _toml_message(exc: tomllib.TOMLDecodeError) -> str:
    # tomllib ends with "(at line N, column M)"; lead with the line, which is what people scan.
    message = str(exc)
    match = re.search(r"\(at line (\d+), column (\d+)\)", message)
    if match:
        reason = message[: match.start()].strip()
        return f"line {match[1]}, column {match[2]}: {reason}"
    return message


def _line_of(text: str, dotted_key: str) -> int | None:
    """The line where a dotted key is set: its table header, then each key part in turn."""
    parts = [part for part in dotted_key.split(".") if part]
    lines = [line.split("#", 1)[0] for line in text.splitlines()]
    start, rest, found = 0, parts, False
    headers = [
        (i, line.replace(" ", "").strip("[]").split("."))
        for i, line in enumerate(lines)
        if line.strip().startswith("[")
    ]
    for depth in range(len(parts), 0, -1):
        hit = next((i for i, path in headers if path[:depth] == parts[:depth]), None)
        if hit is not None:
            start, rest, found = hit, parts[depth:], True
            break
    for part in rest:
        pattern = re.compile(rf"(^|[\s{{,\"']){re.escape(part)}\s*=")
        hit = next((i for i in range(start, len(lines)) if pattern.search(lines[i])), None)
        if hit is None:
            break
        start, found = hit, True
    return start + 1 if found else None


def _build(raw: dict[str, Any]) -> Config:
    known = {"cadence", "templates", "wording", "clipboard", "declare", "aar"}
    for key in raw:
        if key not in known:
            raise ConfigError(f"{key}: unknown section; expected one of {', '.join(sorted(known))}")
    base = Config()
    cadence = _cadence(raw.get("cadence", {}), base.cadence)
    templates = _templates(raw.get("templates", {}), base.templates)
    wording = _table(raw.get("wording", {}), "wording")
    report = wording.get("report_timeframe", base.report_timeframe)
    if not isinstance(report, str) or not report.strip():
        raise ConfigError("wording.report_timeframe: must be a non-empty string")
    as_needed = wording.get("as_needed_minutes", base.as_needed_minutes)
    if (
        not isinstance(as_needed, int)
        or isinstance(as_needed, bool)
        or not 0 < as_needed <= MAX_CADENCE_MINUTES
    ):
        raise ConfigError(
            f"wording.as_needed_minutes: must be whole minutes from 1 to {MAX_CADENCE_MINUTES}"
        )
    clip = _table(raw.get("clipboard", {}), "clipboard")
    timeout = clip.get("timeout", base.clipboard_timeout)
    if not isinstance(timeout, int | float) or isinstance(timeout, bool) or not 0 < timeout <= 10:
        raise ConfigError("clipboard.timeout: must be a number of seconds between 0 and 10")
    declare = _table(raw.get("declare", {}), "declare")
    try:
        severity = Severity.parse(declare.get("severity", int(base.default_severity)))
    except InvalidInputError:
        raise ConfigError("declare.severity: must be 1 to 4 (SEV-1 to SEV-4)") from None
    return Config(
        cadence=cadence,
        templates=templates,
        report_timeframe=report.strip(),
        as_needed_minutes=as_needed,
        clipboard_timeout=float(timeout),
        default_severity=severity,
        aar=_aar(_table(raw.get("aar", {}), "aar"), base.aar),
    )


MAX_CADENCE_MINUTES = 7 * 24 * 60
"""A week: a longer countdown is a typo, and a huge one overflows the clock arithmetic."""


def _aar(raw: dict[str, Any], base: AarWindow) -> AarWindow:
    days = {}
    for key in ("earliest", "default", "latest"):
        value = raw.get(f"{key}_days", getattr(base, key))
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 90:
            raise ConfigError(f"aar.{key}_days: must be whole days between 0 and 90")
        days[key] = value
    unknown = set(raw) - {"earliest_days", "default_days", "latest_days"}
    if unknown:
        raise ConfigError(f"aar.{sorted(unknown)[0]}: unknown key")
    try:
        return AarWindow(**days)
    except InvalidInputError:
        raise ConfigError("aar.default_days: need earliest <= default <= latest") from None


def _table(value: Any, name: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ConfigError(f"{name}: must be a table")
    return value


def _cadence(
    raw: Any, base: dict[Severity, dict[str, int | None]]
) -> dict[Severity, dict[str, int | None]]:
    result = {sev: dict(row) for sev, row in base.items()}
    for sev_key, row in _table(raw, "cadence").items():
        try:
            severity = Severity.parse(sev_key)
        except InvalidInputError:
            raise ConfigError(f"cadence.{sev_key}: not a severity (use sev1 to sev4)") from None
        for name, minutes in _table(row, f"cadence.{sev_key}").items():
            try:
                audience = Audience.parse(name)
            except InvalidInputError:
                raise ConfigError(
                    f"cadence.{sev_key}.{name}: unknown audience; "
                    f"expected one of {', '.join(AUDIENCES)}"
                ) from None
            if (
                isinstance(minutes, bool)
                or not isinstance(minutes, int)
                or not 0 <= minutes <= MAX_CADENCE_MINUTES
            ):
                raise ConfigError(
                    f"cadence.{sev_key}.{name}: must be whole minutes from 0 to "
                    f"{MAX_CADENCE_MINUTES} (0 means no countdown)"
                )
            result[severity][audience] = minutes or None
    return result


def _templates(
    raw: Any, base: dict[str, dict[str, UpdateTemplate]]
) -> dict[str, dict[str, UpdateTemplate]]:
    result = {aud: dict(row) for aud, row in base.items()}
    for name, states in _table(raw, "templates").items():
        try:
            audience = Audience.parse(name)
        except InvalidInputError:
            raise ConfigError(
                f"templates.{name}: unknown audience; expected one of {', '.join(AUDIENCES)}"
            ) from None
        for state, body in _table(states, f"templates.{name}").items():
            where = f"templates.{audience}.{state}"
            if state not in STATES:
                raise ConfigError(f"{where}: unknown state; expected one of {', '.join(STATES)}")
            result[audience][state] = _template(_table(body, where), result[audience][state], where)
    return result


def _template(raw: dict[str, Any], base: UpdateTemplate, where: str) -> UpdateTemplate:
    heading = raw.get("heading", base.heading)
    if not isinstance(heading, str):
        raise ConfigError(f"{where}.heading: must be a string")
    check_placeholders(heading, f"{where}.heading")
    lines_raw = raw.get("lines")
    if lines_raw is None:
        return UpdateTemplate(heading, base.lines)
    if not isinstance(lines_raw, list) or not lines_raw:
        raise ConfigError(f"{where}.lines: must be a non-empty list")
    lines: list[TemplateLine] = []
    for item in lines_raw:
        if isinstance(item, str):
            lines.append(TemplateLine(item))
        elif isinstance(item, dict) and isinstance(item.get("text"), str):
            label = item.get("label", "")
            if not isinstance(label, str):
                raise ConfigError(f"{where}.lines: a label must be a string")
            lines.append(TemplateLine(item["text"], label))
        else:
            raise ConfigError(
                f'{where}.lines: each line is a string or {{ label = "...", text = "..." }}'
            )
        check_placeholders(lines[-1].text, f"{where}.lines")
    return UpdateTemplate(heading, tuple(lines))


def check_placeholders(text: str, where: str) -> None:
    """Reject ``{names}`` the filler does not know, and broken braces, with a one-line error."""
    try:
        fields = [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]
    except ValueError as exc:
        raise ConfigError(f"{where}: {exc} (write {{{{ and }}}} for literal braces)") from None
    for name in fields:
        if name not in PLACEHOLDERS:
            raise ConfigError(
                f"{where}: unknown placeholder {{{name}}}; known: {', '.join(sorted(PLACEHOLDERS))}"
            )


DEFAULT_CONFIG_TOML = (
    """\
# incident-tui configuration. Every key is optional; delete what you do not change.
# A mistake here is reported with its line number and the built-in defaults are used.

[cadence]
# Minutes between updates per audience; 0 means no countdown ("as progress dictates").
sev1 = { internal = 15, stakeholders = 30, external = 30 }
sev2 = { internal = 30, stakeholders = 60, external = 30 }
sev3 = { internal = 0, stakeholders = 0, external = 0 }
sev4 = { internal = 0, stakeholders = 0, external = 0 }

[wording]
report_timeframe = "5 business days"
# "Next update by" offered when the severity has no cadence.
as_needed_minutes = 60

[clipboard]
# Seconds a clipboard tool may take before the next method is tried.
timeout = 1.5

[declare]
# A new incident's severity when none is given (when unsure, start at SEV-1).
severity = 1

[aar]
# When the after-action review may be scheduled, in days after closing.
earliest_days = 1
default_days = 7
latest_days = 14

# Override any template. Placeholders: {placeholders}
# [templates.external.identified]
# heading = "Identified"
# lines = ["We have identified the issue affecting {{scope}}. Next update by {{next_update}}."]
# [templates.internal.investigating]
# lines = [{{ label = "What we know", text = "{{known}}" }}, {{ label = "ETA", text = "{{eta}}" }}]
""".replace("{placeholders}", ", ".join(sorted(PLACEHOLDERS)))
    .replace("{{", "{")
    .replace("}}", "}")
)


def write_default_config(path: Path | None = None) -> Path:
    """Write the commented defaults to the config path; refuses to overwrite a file."""
    path = path or config_path()
    if path.exists():
        raise InvalidInputError(f"{path} already exists; edit it or remove it first")
    try:
        make_private_dir(path.parent)
        fd = create_new(path)
        try:
            write_all(fd, DEFAULT_CONFIG_TOML.encode("utf-8"))
        finally:
            os.close(fd)
    except FileExistsError:
        raise InvalidInputError(f"{path} already exists; edit it or remove it first") from None
    except OSError as exc:
        raise InvalidInputError(f"{path}: cannot write ({exc.strerror})") from None
    return path
