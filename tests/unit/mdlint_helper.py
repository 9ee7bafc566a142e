"""markdownlint for the exports, through the pymarkdownlnt package (line length aside)."""

from __future__ import annotations

from pymarkdown.api import PyMarkdownApi


def markdownlint(text: str) -> list[str]:
    """Every rule the Markdown breaks, as ``line N: MDxxx description``; MD013 is not checked."""
    result = PyMarkdownApi().disable_rule_by_identifier("md013").scan_string(text)
    return [
        f"line {f.line_number}: {f.rule_id} {f.rule_description}{f.extra_error_information}"
        for f in result.scan_failures
    ]
