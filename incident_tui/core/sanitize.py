"""The one sanitiser for user text on its way out: terminals, clipboards, documents, messages.

Stored text is never changed; what leaves the tool is made inert:

- C0 controls and DEL become their Unicode "control pictures" (ESC shows as ``␛``), so an
  escape sequence in a logged line cannot move a cursor, recolour a terminal or (OSC 52)
  write the reader's clipboard;
- C1 controls (U+0080-U+009F, which some terminals obey like ESC sequences) show as
  ``<U+009B>``;
- bidi controls (embeddings, overrides, isolates, marks) show as ``<U+202E>``, so text cannot
  be made to read backwards or hide what follows;
- lone surrogates (undecodable bytes smuggled in through ``surrogateescape``) become U+FFFD;
- in a one-line field every line break (CR, LF, NEL, U+2028/U+2029) and tab becomes a space,
  so a newline in a title cannot forge a ``Status: resolved`` line in a brief.

Line breaks survive only where a caller asks for several lines (``multiline``), and then as
plain ``\\n``.
"""

from __future__ import annotations

import re

_PICTURES: dict[int, str] = {code: chr(0x2400 + code) for code in range(0x20)}
_PICTURES[0x7F] = "\u2421"
_PICTURES.update({code: f"<U+{code:04X}>" for code in range(0x80, 0xA0)})
BIDI_CONTROLS = frozenset([0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)])
_PICTURES.update({code: f"<U+{code:04X}>" for code in BIDI_CONTROLS})
_PICTURES.update({code: "\ufffd" for code in range(0xD800, 0xE000)})

_ONE_LINE = dict(_PICTURES)
_ONE_LINE.update({code: " " for code in (0x09, 0x0A, 0x0D, 0x85, 0x2028, 0x2029)})
_MULTI_LINE = dict(_PICTURES)
_MULTI_LINE.update({0x09: "\t", 0x0A: "\n", 0x85: "\n", 0x2028: "\n", 0x2029: "\n"})

_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ud800-\udfff]"
)


def inert(text: str) -> str:
    """One line of user text, fit for any terminal, clipboard or document line.

    Line breaks and tabs become spaces and runs of spaces collapse; controls become visible.
    """
    if text.isprintable():
        # Most text is. Every character _UNSAFE matches is unprintable, and the only
        # whitespace a printable text can hold is the plain space: unless spaces run
        # together or stand at an end, splitting and joining would give the text back.
        if "  " in text or text.startswith(" ") or text.endswith(" "):
            return " ".join(text.split())
        return text
    if _UNSAFE.search(text):  # searching is cheap, translating is not
        text = text.translate(_ONE_LINE)
    return " ".join(text.split())


def inert_lines(text: str) -> str:
    """Several lines of user text: ``\\n`` kept (CRLF and lone CR become ``\\n``), the rest
    made inert as in :func:`inert`."""
    normalised = text.replace("\r\n", "\n").replace("\r", "\n")
    if not _UNSAFE.search(normalised.replace("\n", "").replace("\t", "")):
        return normalised
    return normalised.translate(_MULTI_LINE)


def is_inert(text: str, multiline: bool = True) -> bool:
    """True when ``text`` holds nothing a terminal would obey (tests and guards use it)."""
    stripped = text.replace("\n", "").replace("\t", "") if multiline else text
    return not _UNSAFE.search(stripped)


def shorten(text: str, width: int) -> str:
    """One inert line cut to ``width`` characters, with an ellipsis when cut."""
    flat = inert(text)
    return flat if len(flat) <= width else flat[: width - 1] + "\u2026"


_JSON_UNSAFE = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def json_inert(text: str) -> str:
    """JSON text with every character a terminal might obey written as a ``\\uXXXX`` escape.

    Lossless: the JSON decodes to the same strings. (C0 controls are already escaped by any
    JSON encoder; DEL, C1 and the bidi controls are not.)
    """
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def is_utf8(text: str) -> bool:
    """False for text holding undecodable bytes (``surrogateescape``'d command-line args)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
