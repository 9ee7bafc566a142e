"""markdownlint for the exports, through the pymarkdownlnt package (line length aside)."""

from __future__ import annotations

from pymarkdown.api import PyMarkdownApi


def markdownlint(text: str) -> list[str]:
    """Every rule the Markdown breaks, as ``line N: MDxxx description`` (not MD013, MD051)."""
    # MD051 (link fragments) is off too: the export links to no fragment, and the rule itself
    # crashes on a heading holding two escaped "<" in a row (pymarkdownlnt 0.9.41 asserts).
    api = PyMarkdownApi().disable_rule_by_identifier("md013").disable_rule_by_identifier("md051")
    result = api.scan_string(text)
    return [
        f"line {f.line_number}: {f.rule_id} {f.rule_description}{f.extra_error_information}"
        for f in result.scan_failures
    ]
