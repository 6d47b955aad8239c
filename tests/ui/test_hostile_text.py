"""What a run reports is the learner's: the GUI shows it as text, never as markup or raw controls.

A test id or failure message with markup (``<b>``, ``<img>``), a terminal escape or a
bidi override goes through the real JudgingService (a scripted backend, no Docker) to
the results table, its tooltips and details, the banner, the kill matrix and history;
each shows the literal text with its controls escaped (``text_safety.visible``). Qt
reads any tooltip (and any QLabel left in Qt.AutoText) as HTML when it looks like HTML:
:func:`as_qt_shows` renders a string the way Qt decides to.
"""

from __future__ import annotations

from PySide6 import QtGui
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QTextDocument, QTextFormat
from PySide6.QtWidgets import QLabel

from qa_arena_desktop.authoring.validation import validate_pack
from qa_arena_desktop.domain.judge_models import JudgeRequest, VariantRun
from qa_arena_desktop.domain.judge_models import TestOutcome as Entry  # not a pytest class
from qa_arena_desktop.domain.verdicts import Outcome, SubmissionStatus
from qa_arena_desktop.text_safety import visible
from qa_arena_desktop.ui.results_model import GOLDEN, NAME_ROLE, Column
from qa_arena_desktop.ui.studio.validation_panel import ValidationPanel
from tests.judging.scripted import ScriptedRuns
from tests.packs.factory import write_pack
from tests.ui.conftest import PROBLEM

ID = "test_a[<b>x</b><img src=x>\x1b[31m\u202e]"
MESSAGE = "assert '<span style=font-size:200px>big</span>' == '<a href=x>y</a>'\x1b[31m \u202eevil"
SHOWN_ID = visible(ID)  # test_a[<b>x</b><img src=x>\x1b[31m\u202e], escapes visible
SHOWN_MESSAGE = visible(MESSAGE)
TIP = Qt.ItemDataRole.ToolTipRole


def hostile_runs(golden_fails: bool = False, message: str = MESSAGE) -> ScriptedRuns:
    """Golden passes and ``ID`` kills every mutant with ``message`` (or ``ID`` fails golden)."""

    def script(request: JudgeRequest) -> list[VariantRun]:
        if golden_fails:
            return [VariantRun(variant="golden", golden=True, outcome=Outcome.FAILED,
                               failed_tests=(ID,), message=message)]
        passing = (Entry(id=ID, outcome="passed"), Entry(id="test_b", outcome="passed"))
        killing = (Entry(id=ID, outcome="failed", message=message),
                   Entry(id="test_b", outcome="passed"))
        return [VariantRun(variant="golden", golden=True, outcome=Outcome.PASSED, tests=passing),
                *(VariantRun(variant=m.name, outcome=Outcome.FAILED, tests=killing,
                             failed_tests=(ID,), message=message) for m in request.mutants)]

    return ScriptedRuns(script)


def as_qt_shows(text: str) -> QTextDocument:
    """The document a tooltip or an AutoText QLabel renders for ``text`` (Qt's own test)."""
    document = QTextDocument()
    if QtGui.Qt.mightBeRichText(text):
        document.setHtml(text)
    else:
        document.setPlainText(text)
    return document


def interpreted(document: QTextDocument) -> list[str]:
    """What in ``document`` came from markup in the hostile text: an image, a link, bold, a size."""
    found = []
    block = document.begin()
    while block.isValid():
        fragments = block.begin()
        while not fragments.atEnd():
            fragment = fragments.fragment()
            style = fragment.charFormat()
            if style.isImageFormat() or style.isAnchor() or style.fontWeight() > QFont.Weight.Normal \
                    or style.hasProperty(QTextFormat.Property.FontPixelSize):
                found.append(fragment.text())
            fragments += 1
        block = block.next()
    return found


def assert_literal(document: QTextDocument, *expected: str) -> None:
    """``document`` shows each of ``expected`` as text, no markup of it and no raw control."""
    shown = document.toPlainText()
    for text in expected:
        assert text in shown, (text, shown)
    assert "\x1b" not in shown and "\u202e" not in shown
    assert "<img" not in document.toHtml() and interpreted(document) == [], document.toHtml()


def submit(window, qtbot):  # type: ignore[no-untyped-def]
    window.select_problem(PROBLEM)
    with qtbot.waitSignals([window.runs.run_finished, window.catalog_refreshed], timeout=10_000):
        window.submit()


def test_hostile_test_ids_and_messages_show_as_text_in_the_table_and_matrix(make_window, qtbot):
    window = make_window(hostile_runs())
    submit(window, qtbot)
    model = window.results_model
    assert model.row_state("no-collapse") == "KILLED"
    row = [model.index(r, 0).data(NAME_ROLE) for r in range(model.rowCount())].index("no-collapse")
    assert model.index(row, Column.KILLED_BY).data() == SHOWN_ID
    assert_literal(as_qt_shows(model.index(row, 0).data(TIP)), SHOWN_ID, SHOWN_MESSAGE)

    window.results.table.setCurrentIndex(model.index(row, 0))
    details = window.results.details
    assert details.textFormat() == Qt.TextFormat.PlainText
    assert SHOWN_ID in details.text() and SHOWN_MESSAGE in details.text()
    assert "\x1b" not in details.text()

    matrix = window.matrix.model
    tests = [matrix.headerData(r, Qt.Orientation.Vertical) for r in range(matrix.rowCount())]
    assert SHOWN_ID in tests
    test_row = tests.index(SHOWN_ID)
    assert_literal(as_qt_shows(matrix.headerData(test_row, Qt.Orientation.Vertical, TIP)), SHOWN_ID)
    assert_literal(as_qt_shows(matrix.index(test_row, 1).data(TIP)), SHOWN_ID, SHOWN_MESSAGE)


def test_a_hostile_failure_on_the_correct_code_shows_as_text(make_window, qtbot):
    window = make_window(hostile_runs(golden_fails=True))
    submit(window, qtbot)
    assert window.shown_result is not None
    assert window.shown_result.status is SubmissionStatus.FAILURE
    panel = window.results
    assert panel.banner_text.textFormat() == Qt.TextFormat.RichText
    banner = QTextDocument()
    banner.setHtml(panel.banner_text.text())
    assert_literal(banner, SHOWN_ID, SHOWN_MESSAGE)
    assert panel.go_button.text() == "Show test_a"

    assert panel.model.row_at(panel.table.currentIndex().row()).name == GOLDEN
    assert panel.details.textFormat() == Qt.TextFormat.PlainText
    assert SHOWN_ID in panel.details.text() and SHOWN_MESSAGE in panel.details.text()
    assert_literal(as_qt_shows(panel.model.index(0, 0).data(TIP)), SHOWN_ID, SHOWN_MESSAGE)

    history = window.history.model
    assert_literal(as_qt_shows(history.index(0, 0).data(TIP)), SHOWN_ID, SHOWN_MESSAGE)


def test_a_long_unbroken_message_wraps_instead_of_widening_the_results(make_window, qtbot):
    long = "y" * 1800
    window = make_window(hostile_runs(golden_fails=True, message=long))
    submit(window, qtbot)
    panel = window.results
    for label in (panel.banner_text, panel.details):
        assert label.minimumSizeHint().width() < 800, label.objectName()
    assert long in panel.details.text().replace("\n", "")
    tooltip = QLabel(panel.model.index(0, 0).data(TIP))  # what QToolTip shows: a word-wrapped label
    tooltip.setWordWrap(True)
    assert tooltip.minimumSizeHint().width() < 800
    assert long in as_qt_shows(tooltip.text()).toPlainText().replace("\n", "")


def test_the_studio_shows_hostile_reference_test_results_as_text(qtbot, tmp_path):
    def script(request: JudgeRequest) -> list[VariantRun]:
        passing = (Entry(id=ID, outcome="passed"),)
        killing = (Entry(id=ID, outcome="failed", message=MESSAGE),)
        first, *others = request.mutants
        return [VariantRun(variant="golden", golden=True, outcome=Outcome.PASSED, tests=passing),
                VariantRun(variant=first.name, outcome=Outcome.FAILED, tests=killing,
                           failed_tests=(ID,), message=MESSAGE),
                *(VariantRun(variant=m.name, outcome=Outcome.ERROR, message=MESSAGE)
                  for m in others)]

    result = validate_pack(write_pack(tmp_path / "packs"), ScriptedRuns(script))
    panel = ValidationPanel()
    qtbot.addWidget(panel)
    panel.show_result(result, "Very Easy", order=("returns-same", "adds-two"))
    assert panel.problems.textFormat() == Qt.TextFormat.PlainText
    assert SHOWN_MESSAGE in panel.problems.text() and "\x1b" not in panel.problems.text()
    header = panel.table.verticalHeaderItem(0)
    assert SHOWN_ID in header.text() and "\x1b" not in header.text()
    assert_literal(as_qt_shows(panel.table.item(0, 0).toolTip()), SHOWN_ID)
