"""``d``: record a decision (what, why, who), framed by a decision rubric when it is one."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.widgets import Input

from incident_tui.core.playbook import RUBRICS
from incident_tui.ui.modals.base import FormModal, labelled
from incident_tui.ui.modals.rubric_picker import RubricPicker


@dataclass(frozen=True)
class DecisionDraft:
    """A decision as typed."""

    what: str = ""
    why: str = ""
    decided_by: str = ""
    rubric: str | None = None
    """The decision rubric that framed it (``core.playbook.RUBRICS`` key), if any."""
    answer: str | None = None
    """The rubric answer: yes, no or unsure."""


class DecisionModal(FormModal[DecisionDraft]):
    """What was decided, why, and who decided it."""

    TITLE_TEXT = "Record a decision"
    AUTO_FOCUS = "#what"  # plain decisions stay type-and-Enter; the rubric is a shift+tab away

    def __init__(self, draft: DecisionDraft, error: str = "") -> None:
        super().__init__(error)
        self.draft = draft

    def compose_fields(self) -> ComposeResult:
        yield RubricPicker(self.draft.rubric, self.draft.answer)
        yield labelled("Decision")
        yield Input(self.draft.what, placeholder="e.g. roll back to 2.13.2", id="what")
        yield labelled("Why")
        yield Input(self.draft.why, placeholder="the reason, for the AAR", id="why")
        yield labelled("Decided by")
        yield Input(self.draft.decided_by, placeholder="defaults to the IC", id="decided_by")

    def collect(self) -> DecisionDraft | None:
        what, why = self.value("what"), self.value("why")
        rubric, answer = self.query_one(RubricPicker).choice()
        if rubric is not None:
            if answer is None:
                self.complain("Pick the rubric's answer: yes, no or unsure.")
                return None
            if not why.strip():
                self.complain("Say why: which of the signs applied (it goes in the log).")
                return None
            what = what if what.strip() else RUBRICS[rubric].answer_text(answer)
        if not what.strip():
            self.complain("Type the decision first (or Esc to cancel).")
            return None
        return DecisionDraft(
            what=what,
            why=why,
            decided_by=self.value("decided_by"),
            rubric=rubric,
            answer=answer,
        )
