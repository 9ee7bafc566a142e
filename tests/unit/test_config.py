"""The TOML config: defaults, overrides, and a broken file that names its line."""

from __future__ import annotations

import tomllib
from datetime import timedelta
from pathlib import Path

import pytest

from incident_tui.core.config import (
    DEFAULT_CONFIG_TOML,
    Config,
    ConfigError,
    config_path,
    load_config,
    read_config,
    write_default_config,
)
from incident_tui.core.errors import InvalidInputError
from incident_tui.core.models import Severity


@pytest.fixture
def cfg_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "cfg"
    monkeypatch.setenv("INCIDENT_TUI_CONFIG_DIR", str(path))
    return path


def test_env_override_sets_the_path(cfg_dir: Path) -> None:
    assert config_path() == cfg_dir / "config.toml"


def test_missing_file_means_domain_defaults(cfg_dir: Path) -> None:
    loaded = load_config()
    assert loaded.error is None
    config = loaded.config
    assert config.interval(Severity.SEV1, "internal") == timedelta(minutes=15)
    assert config.interval(Severity.SEV2, "stakeholders") == timedelta(minutes=60)
    assert config.interval(Severity.SEV3, "external") is None
    assert config.interval(Severity.SEV4, "internal") is None


def test_overrides_apply_and_the_rest_stays_default(cfg_dir: Path) -> None:
    cfg_dir.mkdir()
    (cfg_dir / "config.toml").write_text(
        "[cadence]\nsev2 = { external = 20 }\n"
        '[wording]\nreport_timeframe = "48 hours"\n'
        "[templates.external.identified]\n"
        'lines = ["Trouble with {scope}. Next update by {next_update}.", '
        '{ label = "Lead", text = "{ic}" }]\n'
    )
    loaded = load_config()
    assert loaded.error is None
    config = loaded.config
    assert config.interval(Severity.SEV2, "external") == timedelta(minutes=20)
    assert config.interval(Severity.SEV2, "internal") == timedelta(minutes=30)
    assert config.report_timeframe == "48 hours"
    lines = config.template("external", "identified").lines
    assert lines[0].text.startswith("Trouble with {scope}") and lines[1].label == "Lead"
    assert config.template("external", "identified").heading == "Identified"
    assert config.template("external", "monitoring").lines[0].text.startswith("A fix has been")


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("[cadence]\nsev1 = { internal = 15 \n", "line 2"),
        ('# comment\n[cadence]\nsev1 = { internal = "soon" }\n', "line 3: cadence.sev1.internal"),
        ("[cadence]\nsev9 = { internal = 5 }\n", "line 2: cadence.sev9: not a severity"),
        ('\n\n[templates.external.identified]\nlines = ["{oops}"]\n', "line 4:"),
        ("[wording]\nas_needed_minutes = -5\n", "line 2: wording.as_needed_minutes"),
        ("[colours]\nx = 1\n", "line 1: colours: unknown section"),
        ("[nudges]\nic_fatigue_hours = 0\n", "line 2: nudges.ic_fatigue_hours"),
        ('[export]\nutc = "yes"\n', "line 2: export.utc: must be true or false"),
        (
            '[templates.external.identified]\nlines = ["Affecting[[ {scope}."]\n',
            "line 2: templates.external.identified.lines: an optional part opened with [[",
        ),
        (
            "[templates.press.identified]\nheading = 'x'\n",
            "line 1: templates.press: unknown audience",
        ),
    ],
)
def test_broken_file_names_the_line_and_keeps_defaults(
    cfg_dir: Path, body: str, expected: str
) -> None:
    cfg_dir.mkdir()
    (cfg_dir / "config.toml").write_text(body)
    loaded = load_config()
    assert loaded.error is not None
    assert "\n" not in loaded.error
    assert expected in loaded.error
    assert str(cfg_dir / "config.toml") in loaded.error
    assert loaded.config == Config()  # the built-in defaults still work
    with pytest.raises(ConfigError):
        read_config(cfg_dir / "config.toml")


def test_unknown_placeholder_names_it(cfg_dir: Path) -> None:
    cfg_dir.mkdir()
    (cfg_dir / "config.toml").write_text('[templates.internal.resolved]\nheading = "{who}"\n')
    error = load_config().error
    assert error is not None and "unknown placeholder {who}" in error and "line 2" in error


def test_written_defaults_parse_to_the_defaults(cfg_dir: Path) -> None:
    path = write_default_config()
    assert path == cfg_dir / "config.toml"
    tomllib.loads(DEFAULT_CONFIG_TOML)
    assert read_config(path) == Config()
    with pytest.raises(InvalidInputError, match="already exists"):
        write_default_config()


def test_fatigue_span_and_export_zone_are_read(cfg_dir: Path) -> None:
    cfg_dir.mkdir()
    (cfg_dir / "config.toml").write_text("[nudges]\nic_fatigue_hours = 4.5\n[export]\nutc = true\n")
    config = read_config(cfg_dir / "config.toml")
    assert config.ic_fatigue_hours == 4.5 and config.export_utc is True
    assert Config().ic_fatigue_hours == 3.0 and Config().export_utc is False
