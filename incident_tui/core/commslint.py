"""Warnings about the update patterns DOMAIN.md says to avoid. A warning never blocks a copy.

Each rule is a small pure check over (text, audience, state, incident); the composer shows the
messages on one line and the CLI prints them to stderr. Words that come from the incident's own
title are never flagged: the IC chose them, and the title is in every update.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from incident_tui.core.models import Incident


@dataclass(frozen=True)
class LintWarning:
    """One pattern found in an update: the rule's id and a short message saying what to fix."""

    rule: str
    message: str


@dataclass(frozen=True)
class UpdateDraft:
    """What a rule looks at: the text and who it is for, in which state, about which incident."""

    text: str
    audience: str
    state: str
    incident: Incident

    @property
    def lowered(self) -> str:
        return self.text.lower()

    @property
    def title(self) -> str:
        """The incident's own title: words taken from it are never flagged."""
        return self.incident.title


def _words(*phrases: str) -> re.Pattern[str]:
    return re.compile(r"\b(" + "|".join(phrases) + r")\b", re.IGNORECASE)


_VAGUE = _words(
    r"(experiencing|having|seeing) (some |a few |minor )?(issues|problems|difficulties)",
    r"some (issues|problems|difficulties)",
    r"minor (issues|hiccups|glitches)",
    r"something went wrong",
    r"technical difficulties",
)
# Scope says who or where (a feature name alone is not scope: "login is down" is the
# DOMAIN.md example of a missing one).
_SCOPE = re.compile(
    r"%|\bpercent\b|\b(all|every|everyone|only|users?|customers?|accounts?|regions?|tenants?|"
    r"merchants?|workspaces?|eu|europe|emea|apac|americas|[a-z]{2}-[a-z]+-\d)\b",
    re.IGNORECASE,
)
_TIME = re.compile(
    r"\b(next update (by|at|in)|by \d{1,2}:\d{2}|at \d{1,2}:\d{2}|within \d+|in \d+ ?"
    r"(min|minutes|hours?)|every \d+ ?(min|minutes|hours?))\b|\bwithin\b",
    re.IGNORECASE,
)
_SOON = _words(
    r"should be (resolved|fixed|back|working|restored)( very)? (soon|shortly|quickly)",
    r"(resolved|fixed|back|restored) (soon|shortly)",
    r"any (minute|moment) now",
)
_ALL_CLEAR = _words(
    r"back up",
    r"back online",
    r"resolved",
    r"fully (operational|restored|recovered)",
    r"service (has been|is) restored",
    r"working normally( again)?",
)
_SPECULATION = _words(
    r"caused by",
    r"because( of)?",
    r"root cause",
    r"we believe",
    r"we (think|suspect)",
    r"(most )?likely",
    r"probably",
    r"appears to (be|have been) caused",
    r"due to",
    r"might be caused",
)
_APOLOGY = _words(r"sorry for any inconvenience", r"apologi[sz]e for any inconvenience")
_BLAME = _words(
    r"(an|the) engineer('s)? (mistake|error)",
    r"human error",
    r"someone (pushed|deployed|broke)",
    r"(their|the vendor's) fault",
)
_JARGON = _words(
    r"5\d\d s?",
    r"5xx",
    r"pods?",
    r"k8s",
    r"kubernetes",
    r"oom(killed)?",
    r"p9\d",
    r"connection pool",
    r"stack ?trace",
    r"null pointer",
    r"rollback",
    r"rolled back",
    r"deploy(ment)?",
    r"database",
    r"db",
    r"dns",
    r"tls",
    r"cpu",
    r"config(uration)? change",
)

_ONGOING = ("investigating", "identified", "monitoring")
_OUTSIDE = ("external", "stakeholders")


def _found(pattern: re.Pattern[str], text: str, title: str = "") -> str | None:
    """The first match that is not the incident's own words (from its title)."""
    for match in pattern.finditer(text):
        words = re.escape(match.group(0).strip())
        if not re.search(rf"\b{words}\b", title, re.IGNORECASE):
            return match.group(0)
    return None


def _vague(draft: UpdateDraft) -> str | None:
    hit = _found(_VAGUE, draft.text, draft.title)
    return f'vague wording "{hit}": say what users experience' if hit else None


def _no_scope(draft: UpdateDraft) -> str | None:
    # Scope belongs where the problem is described; "a fix has been applied" need not repeat it.
    if draft.state not in ("investigating", "identified"):
        return None
    known = (draft.incident.impact.strip().lower(), draft.incident.scope.strip().lower())
    if any(part and part in draft.lowered for part in known) or _SCOPE.search(draft.text):
        return None
    return "no scope: say who or what is affected (all users? one region? one feature?)"


def _no_time(draft: UpdateDraft) -> str | None:
    if draft.state not in _ONGOING or _TIME.search(draft.text):
        return None
    return 'no time commitment: add "next update by HH:MM"'


def _resolved_soon(draft: UpdateDraft) -> str | None:
    hit = _found(_SOON, draft.text, draft.title)
    if hit is None or draft.incident.verified_at is not None:
        return None
    return f'"{hit}" promises a fix nobody has verified yet'


def _premature(draft: UpdateDraft) -> str | None:
    if draft.incident.verified_at is not None or _found(_SOON, draft.text, draft.title):
        return None  # verified, or the "soon" rule already said it
    hit = _found(_ALL_CLEAR, draft.text, draft.title)
    return f'"{hit}" before the mitigation is verified: a premature all-clear' if hit else None


def _speculation(draft: UpdateDraft) -> str | None:
    if draft.audience != "external":
        return None
    hit = _found(_SPECULATION, draft.text, draft.title)
    return f'"{hit}": never speculate about cause in public' if hit else None


def _apology(draft: UpdateDraft) -> str | None:
    hit = _found(_APOLOGY, draft.text, draft.title)
    return f'"{hit}" reads as hollow: say what users can expect instead' if hit else None


def _blame(draft: UpdateDraft) -> str | None:
    hit = _found(_BLAME, draft.text, draft.title)
    return f'"{hit}" assigns blame: describe the failure, not the person' if hit else None


def _jargon(draft: UpdateDraft) -> str | None:
    if draft.audience not in _OUTSIDE:
        return None
    hit = _found(_JARGON, draft.text, draft.title)
    return f'"{hit.strip()}" is technical detail this audience does not need' if hit else None


RULES: dict[str, Callable[[UpdateDraft], str | None]] = {
    "vague": _vague,
    "no-scope": _no_scope,
    "no-time": _no_time,
    "resolved-soon": _resolved_soon,
    "premature-all-clear": _premature,
    "speculation": _speculation,
    "hollow-apology": _apology,
    "blame": _blame,
    "jargon": _jargon,
}
"""Every rule by id, in the order their warnings are shown."""


def lint_update(text: str, audience: str, state: str, incident: Incident) -> list[LintWarning]:
    """The patterns to avoid that this update contains; empty when it reads well."""
    draft = UpdateDraft(text, audience, state, incident)
    warnings = []
    for rule, check in RULES.items():
        message = check(draft)
        if message:
            warnings.append(LintWarning(rule, message))
    return warnings


def lint_line(warnings: list[LintWarning]) -> str:
    """All warnings on one line, for the composer and the CLI."""
    if not warnings:
        return "No problems found"
    return "⚠ " + " · ".join(w.message for w in warnings)
