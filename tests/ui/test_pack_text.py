"""A pack's own text is untrusted too (packs are imported from anywhere): shown as text.

A hint, a mutant's changed line and a value a studio error message quotes from
``problem.toml`` may hold markup; the hints card, the studio's inline errors and its
mutant-list tooltips show it literally, never as HTML.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QLabel

from qa_arena_desktop.domain.judge_models import JudgeResult, MutantResult
from qa_arena_desktop.domain.verdicts import MutantStatus, SubmissionStatus
from qa_arena_desktop.packs.loader import load_pack
from qa_arena_desktop.ui.hints_panel import HintsPanel
from qa_arena_desktop.ui.studio.studio_window import StudioWindow
from tests.packs.factory import MUTANTS, manifest, write_pack
from tests.ui.conftest import ScriptedBackend
from tests.ui.test_hostile_text import as_qt_shows, interpreted

HINT = "<img src=x> <b>bold</b>"
CHANGED = "return x  # <b>bold</b> <img src=x>"


def label_shows(label: QLabel) -> QTextDocument:
    """The document ``label`` renders, by its text format (AutoText: as Qt guesses)."""
    if label.textFormat() == Qt.TextFormat.AutoText:
        return as_qt_shows(label.text())
    document = QTextDocument()
    if label.textFormat() == Qt.TextFormat.RichText:
        document.setHtml(label.text())
    else:
        document.setPlainText(label.text())
    return document


def assert_literal(label: QLabel, text: str) -> None:
    shown = label_shows(label)
    assert text in shown.toPlainText(), shown.toPlainText()
    assert "<img" not in shown.toHtml() and interpreted(shown) == [], shown.toHtml()


def test_a_hint_and_a_changed_line_with_markup_show_as_text(qtbot, tmp_path: Path):
    mutants = {**MUTANTS, "returns-same": f"def add_one(x: int) -> int:\n    {CHANGED}\n"}
    toml = manifest(mutants=mutants).replace('hint = "Look closely."', f'hint = "{HINT}"', 1)
    pack = load_pack(write_pack(tmp_path / "packs", mutants=mutants, toml=toml))
    result = JudgeResult(
        submission_id="s", problem=pack.slug, status=SubmissionStatus.SUCCESS, score=30,
        killed_mutants=0, total_mutants=2, kill_ratio=0,
        mutants=tuple(MutantResult(name=m.name, weight=m.weight, status=MutantStatus.SURVIVED)
                      for m in pack.mutants))
    panel = HintsPanel()
    qtbot.addWidget(panel)
    panel.set_context(pack, result)  # as the presenter does once a run finished
    assert panel.current_mutant() == "returns-same"
    assert panel.hint_text.text() == HINT
    assert_literal(panel.hint_text, HINT)
    panel.more_button.click()
    assert panel.changed_text.isVisibleTo(panel)
    assert_literal(panel.changed_text, CHANGED)
    for label in (panel.card_title, panel.hint_text, panel.changed_text):
        assert label.textFormat() == Qt.TextFormat.PlainText, label.objectName()


def test_studio_errors_quoting_the_pack_show_as_text(qtbot, catalog, tmp_path: Path):
    file = "mutants/<b>x</b><img src=x>.py"  # both mutants' file: the error quotes it
    toml = (manifest().replace('file = "mutants/returns-same.py"', f'file = "{file}"')
            .replace('file = "mutants/adds-two.py"', f'file = "{file}"'))
    studio = StudioWindow(catalog, ScriptedBackend())
    qtbot.addWidget(studio)
    try:
        studio.resize(1400, 900)
        studio.show()  # the error line shows what fits its width (elided), so give it room
        assert studio.open_path(write_pack(tmp_path / "packs", toml=toml))
        studio.reveal_all_errors()  # as Validate does: errors of fields not edited yet show
        studio.mutants.list.setCurrentRow(1)
        label = studio.mutants.errors["file"]
        quoted = f"{file!r} is also used by mutant 1"
        qtbot.waitUntil(lambda: quoted in label.text())
        assert_literal(label, quoted)
        tooltip = as_qt_shows(studio.mutants.list.item(1).toolTip())
        assert quoted in tooltip.toPlainText()
        assert "<img" not in tooltip.toHtml() and interpreted(tooltip) == []
    finally:
        assert studio.shutdown()
