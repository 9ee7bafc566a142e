"""The decision rubrics inside the decision dialog: pick the question, see the signs, answer."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Select, Static

from incident_tui.core.playbook import ANSWERS, RUBRICS, DecisionRubric
from incident_tui.ui.palette import Palette, palette_of


def rubric_text(rubric: DecisionRubric, palette: Palette) -> Text:
    """The signs for yes and for no, and what to do when unsure (the words say which is
    which; the theme's success and error colours, kept readable, only repeat it)."""
    text = Text()
    text.append("Yes if: ", style=palette.good)
    text.append("; ".join(rubric.yes_if))
    text.append("\nNo if: ", style=palette.bad)
    text.append("; ".join(rubric.no_if))
    text.append("\nUnsure: ", style="bold")
    text.append(rubric.when_unsure, style="italic")
    return text


class RubricPicker(Vertical):
    """A rubric select (blank means a plain decision), its guidance, and the answer."""

    DEFAULT_CSS = """
    RubricPicker { height: auto; }
    RubricPicker #rubric-guide { height: auto; margin: 0 0 1 0; }
    RubricPicker .rubric-row { height: auto; }
    """

    def __init__(self, rubric: str | None = None, answer: str | None = None) -> None:
        super().__init__(id="rubric-picker")
        self.initial_rubric = rubric if rubric in RUBRICS else None
        self.initial_answer = answer if answer in ANSWERS else None

    def compose(self) -> ComposeResult:
        yield Select(
            [(r.question, r.key) for r in RUBRICS.values()],
            value=self.initial_rubric if self.initial_rubric else Select.NULL,
            prompt="Rubric: none (a plain decision)",
            id="rubric",
        )
        yield Static(id="rubric-guide")
        yield Select(
            [(answer, answer) for answer in ANSWERS],
            value=self.initial_answer if self.initial_answer else Select.NULL,
            prompt="Answer",
            id="rubric-answer",
        )

    def on_mount(self) -> None:
        self._show(self.initial_rubric)

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "rubric":
            self._show(event.value if isinstance(event.value, str) else None)

    def _show(self, key: str | None) -> None:
        guide = self.query_one("#rubric-guide", Static)
        answer = self.query_one("#rubric-answer", Select)
        guide.display = answer.display = key is not None
        if key is not None:
            guide.update(rubric_text(RUBRICS[key], palette_of(self.app)))

    def choice(self) -> tuple[str | None, str | None]:
        """The rubric key and the answer, each None when not chosen."""
        rubric = self.query_one("#rubric", Select).value
        answer = self.query_one("#rubric-answer", Select).value
        key = rubric if isinstance(rubric, str) else None
        return key, (answer if key and isinstance(answer, str) else None)
