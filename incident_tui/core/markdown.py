"""User text made safe for Markdown without over-escaping it.

Only what would change the meaning is escaped: ``*`` and ``~~`` (emphasis, strikethrough),
``[`` and ``<`` (links, HTML), ``|`` (table cells), ``\\``, and ``_`` only at the edge of a
word, since CommonMark never reads an underscore inside a word as emphasis, so
``pg_basebackup`` stays as written. A pair of backticks around text is kept as a code span.
Bare URLs become autolinks (markdownlint's MD034). Control characters become spaces.
"""

from __future__ import annotations

import re

from incident_tui.core.sanitize import inert

_URL = re.compile(r"\bhttps?://[^\s<>`|]+[^\s<>`|.,;:!?)\]'\"]")
_CODE_SPAN = re.compile(r"`([^`\s](?:[^`]*[^`\s])?)`")
_EDGE_UNDERSCORE = re.compile(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")
_TILDES = re.compile(r"~(?=~)")
_LINE_START = re.compile(r"^(#+|[-+>=]|\d+(?=[.)]))")


_SPECIAL_CHAR = re.compile(r"[\\*\[<|_~`]")


def flat(text: str) -> str:
    """One line: control characters and line breaks become single spaces."""
    return inert(text)  # the core's sanitiser: no control or bidi character reaches a terminal


def _escape_plain(text: str) -> str:
    # Each substitution only where its character occurs: a 100,000-row export spends its
    # time here, and a row usually holds one special character at most.
    if "\\" in text:  # first: the backslashes added below must stay single
        text = text.replace("\\", "\\\\")
    for mark in "*[<|":  # a plain replace each: a regex substitution costs ten times as much
        if mark in text:
            text = text.replace(mark, "\\" + mark)
    if "_" in text:
        text = _EDGE_UNDERSCORE.sub(r"\\_", text)
    if "~" in text:
        text = _TILDES.sub(r"\\~", text)
    return text.replace("`", "\\`") if "`" in text else text


def inline(text: str) -> str:
    """User text for one Markdown line or table cell: specials escaped, code spans and URLs
    kept."""
    line = inert(text)  # flat(), one call fewer: a large export's time is spent here
    # Most text needs no escaping. Searching for "://" apart is twice as fast as one pattern
    # with "https?://" in it; a "://" that starts no URL only takes the longer way below,
    # which then leaves the line as it is.
    if "://" not in line and not _SPECIAL_CHAR.search(line):
        return line
    if "`" not in line and "://" not in line:
        # Neither a code span nor a URL can match, so the loop below would escape the whole
        # line in one piece: do that directly.
        return _escape_plain(line)
    out: list[str] = []
    pos = 0
    spans = _CODE_SPAN.finditer(line) if "`" in line else ()
    urls = _URL.finditer(line) if "://" in line else ()
    tokens = sorted(
        [(m.start(), m.end(), "code", m.group(0)) for m in spans]
        + [(m.start(), m.end(), "url", m.group(0)) for m in urls]
    )
    for start, end, kind, value in tokens:
        if start < pos:
            continue  # a URL inside a code span, or the other way round: the first wins
        out.append(_escape_plain(line[pos:start]))
        if kind == "code":
            out.append(value.replace("|", "\\|"))
        else:
            out.append(f"<{value}>")
        pos = end
    out.append(_escape_plain(line[pos:]))
    return "".join(out)


def line_start_safe(line: str) -> str:
    """An escaped line that cannot open a heading, list, quote or setext underline."""

    def escape(match: re.Match[str]) -> str:
        mark = match.group(0)
        return mark + "\\" if mark[0].isdigit() else "\\" + mark

    return _LINE_START.sub(escape, line, count=1)


def block(text: str) -> list[str]:
    """Multi-line user text as Markdown lines: line breaks kept, nothing can open a block."""
    lines: list[str] = []
    normalised = text.replace("\r\n", "\n").replace("\r", "\n")
    for raw_line in normalised.split("\n"):
        line = line_start_safe(inline(raw_line))
        if line or (lines and lines[-1]):
            lines.append(line)
    while lines and not lines[-1]:
        lines.pop()
    return lines
