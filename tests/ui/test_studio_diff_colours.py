"""One diff convention everywhere: golden is the removed side (red-ish), a mutant the added
side (green-ish), in the studio's preview and in the learner's Hints tab alike."""

from __future__ import annotations

from PySide6.QtGui import QTextCursor

from qa_arena_desktop.domain.judge_models import JudgeResult, MutantResult
from qa_arena_desktop.domain.pack import Pack
from qa_arena_desktop.domain.verdicts import MutantStatus, SubmissionStatus
from qa_arena_desktop.practice.hints import HintLevel
from qa_arena_desktop.ui.hints_panel import HintsPanel
from qa_arena_desktop.ui.studio.diff_view import DiffView
from qa_arena_desktop.ui.theme import current_theme

GOLDEN = "def add_one(x):\n    return x + 1\n"
MUTANT = "def add_one(x):\n    return x + 2\n"


def _hints_line_backgrounds(panel: HintsPanel) -> dict[str, str]:
    """First character of each diff line ('-', '+') -> the background the Hints tab paints."""
    found: dict[str, str] = {}
    document = panel.diff_view.document()
    block = document.begin()
    while block.isValid():
        text = block.text()
        for line in text.split("\u2028"):
            if line[:1] in "+-" and not line.startswith(("+++", "---")):
                cursor = QTextCursor(block)
                cursor.setPosition(block.position() + text.index(line) + 1)
                found.setdefault(line[:1], cursor.charFormat().background().color().name())
        block = block.next()
    return found


def test_studio_preview_and_hints_tab_colour_golden_and_mutant_the_same_way(qtbot):
    view = DiffView()
    qtbot.addWidget(view)
    view.show_diff(GOLDEN, MUTANT)
    studio_golden, studio_mutant = view.line_backgrounds("left"), view.line_backgrounds("right")

    panel = HintsPanel()
    qtbot.addWidget(panel)
    pack = Pack(slug="add-one", title="Add one", difficulty="Very Easy",
                function_signature="def add_one(x)", description_md="", golden_source=GOLDEN,
                reference_tests="", time_limit_s=5, tags=(), origin="", content_hash="",
                mutants=({"name": "adds-two", "source": MUTANT, "weight": 1.0,
                          "hint": "Try 0."},))
    survived = JudgeResult(submission_id="s", problem="add-one", status=SubmissionStatus.SUCCESS,
                           score=30.0, killed_mutants=0, total_mutants=1, kill_ratio=0.0,
                           mutants=(MutantResult(name="adds-two", weight=1.0,
                                                 status=MutantStatus.SURVIVED),))
    panel.set_context(pack, survived)
    while panel.level_of("adds-two") < HintLevel.DIFF:
        panel.more_button.click()
    hints = _hints_line_backgrounds(panel)

    colours = current_theme().diff
    assert studio_golden == {colours.removed_line} and hints["-"] == colours.removed_line
    assert studio_mutant == {colours.added_line} and hints["+"] == colours.added_line
    # and the two sides are told apart: golden red-ish, the mutant green-ish
    removed, added = colours.removed_line, colours.added_line
    assert int(removed[1:3], 16) > int(removed[3:5], 16)  # more red than green
    assert int(added[3:5], 16) > int(added[1:3], 16)  # more green than red
