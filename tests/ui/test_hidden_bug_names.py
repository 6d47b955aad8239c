"""A learner sees "Bug 1" ... "Bug N" until a bug is caught or its hint ladder reveals it.

Every view is read the way a person (or a screen reader) reads it: item data for the
display and tooltip roles, header texts, labels, the status bar and the accessible
names Qt gives each cell. Real widgets on the real ``JudgingService`` (scripted verdicts).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QWidget

from qa_arena_desktop.domain.judge_models import GoldenResult, JudgeResult, Misconception, MutantResult
from qa_arena_desktop.domain.judge_models import TestOutcome as Outcome  # not a pytest class
from qa_arena_desktop.domain.verdicts import MutantStatus, SubmissionStatus
from qa_arena_desktop.domain.verdicts import Outcome as RunOutcome
from qa_arena_desktop.ui.kill_matrix_view import CATCHES_NOTHING_ROLE, IDLE_MARK
from tests.ui.conftest import PROBLEM, FaultyBackend, ScriptedBackend

# normalize-whitespace's scored mutants, in pack order: Bug 1 ... Bug 5.
NAMES = ["keeps-leading-space", "keeps-trailing-space", "spaces-only", "ignores-unicode-spaces",
         "no-collapse"]
ROLES = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole,
         Qt.ItemDataRole.AccessibleTextRole, Qt.ItemDataRole.AccessibleDescriptionRole,
         Qt.ItemDataRole.WhatsThisRole, Qt.ItemDataRole.StatusTipRole)


def model_texts(model: QAbstractItemModel) -> Iterator[str]:
    for role in ROLES:
        for column in range(model.columnCount()):
            yield str(model.headerData(column, Qt.Orientation.Horizontal, role) or "")
        for row in range(model.rowCount()):
            yield str(model.headerData(row, Qt.Orientation.Vertical, role) or "")
            for column in range(model.columnCount()):
                yield str(model.index(row, column).data(role) or "")


def accessible_texts(widget: QWidget) -> Iterator[str]:
    interface = QAccessible.queryAccessibleInterface(widget)
    pending = [interface] if interface is not None else []
    while pending:
        node = pending.pop()
        for kind in (QAccessible.Text.Name, QAccessible.Text.Description, QAccessible.Text.Help):
            yield node.text(kind) or ""
        pending += [node.child(i) for i in range(node.childCount()) if node.child(i) is not None]


def everything_shown(window) -> str:  # type: ignore[no-untyped-def]
    """All the text a learner can see or hear in the window, one string."""
    texts: list[str] = [window.windowTitle(), window.statusBar().currentMessage()]
    for model in (window.results_model, window.matrix.model, window.history.model,
                  window.progress.model):
        texts += model_texts(model)
    for view in (window.results.table, window.matrix.table, window.hints.survivors):
        texts += accessible_texts(view)
    hints = window.hints
    texts += [hints.survivors.item(i).text() for i in range(hints.survivors.count())]
    texts += [hints.notice.text(), hints.card_title.text(), hints.hint_text.text()]
    if hints.changed_text.isVisible():
        texts.append(hints.changed_text.text())
    if hints.diff_view.isVisible():
        texts.append(hints.diff_view.toPlainText())
    results = window.results
    texts += [results.banner_title.text(), results.banner_text.text(), results.details.text(),
              results.progress_label.text(), window.matrix.legend.text()]
    return "\n".join(texts)


def judge(window, qtbot) -> JudgeResult:  # type: ignore[no-untyped-def]
    with qtbot.waitSignals([window.runs.run_finished, window.catalog_refreshed], timeout=15_000):
        window.submit()
    result = window.shown_result
    assert result is not None
    return result


def variant_labels(window) -> list[str]:  # type: ignore[no-untyped-def]
    model = window.results_model
    return [model.index(row, 0).data() for row in range(model.rowCount())]


@pytest.fixture
def judged(make_window, qtbot):  # type: ignore[no-untyped-def]
    """A finished SUCCESS run on normalize-whitespace that caught only Bug 5 (no-collapse)."""
    window = make_window(ScriptedBackend(killed={"no-collapse"}))
    window.select_problem(PROBLEM)
    window.show()
    judge(window, qtbot)
    return window


def test_survivors_are_bug_n_in_every_view_and_the_caught_bug_is_named(judged):
    assert [m.name for m in judged.pack.scored_mutants] == NAMES
    assert variant_labels(judged) == ["Correct code", "Bug 1", "Bug 2", "Bug 3", "Bug 4",
                                      "no-collapse"]
    matrix = judged.matrix.model
    headers = [matrix.headerData(c, Qt.Orientation.Horizontal) for c in range(matrix.columnCount())]
    assert headers == ["correct code", "Bug 1", "Bug 2", "Bug 3", "Bug 4", "no-collapse"]
    assert [judged.hints.survivors.item(i).text() for i in range(4)] == [
        "Bug 1", "Bug 2", "Bug 3", "Bug 4"]
    assert judged.hints.card_title.text() == "Hint for “Bug 1”"
    assert "Run finished" in judged.statusBar().currentMessage()
    shown = everything_shown(judged)
    assert "no-collapse" in shown
    for name in NAMES[:4]:
        assert name not in shown, name


def test_every_row_is_bug_n_while_queued_and_names_come_with_the_kill(make_window, qtbot):
    hold = threading.Event()
    window = make_window(ScriptedBackend(killed={"spaces-only"}, hold=hold))
    window.select_problem(PROBLEM)
    window.submit()
    qtbot.waitUntil(lambda: window.results_model.row_state("golden") == "RUNNING")
    assert variant_labels(window)[1:] == ["Bug 1", "Bug 2", "Bug 3", "Bug 4", "Bug 5"]
    for name in NAMES:
        assert name not in everything_shown(window)
    with qtbot.waitSignal(window.runs.run_finished, timeout=15_000):
        hold.set()
    assert variant_labels(window)[1:] == ["Bug 1", "Bug 2", "spaces-only", "Bug 4", "Bug 5"]


def test_the_hint_ladder_reveals_a_bug_at_the_diff_and_hints_off_hide_it_again(judged, qtbot):
    hints = judged.hints
    hints.survivors.setCurrentRow(1)  # Bug 2: keeps-trailing-space
    hints.reveal_more()  # the changed line: still a nudge
    assert "keeps-trailing-space" not in everything_shown(judged)
    with qtbot.waitSignal(hints.revealed_changed):
        hints.reveal_more()  # the full diff shows the whole bug: its name is no secret now
    assert variant_labels(judged)[2] == "keeps-trailing-space"
    assert judged.matrix.model.headerData(2, Qt.Orientation.Horizontal) == "keeps-trailing-space"
    assert hints.survivors.item(1).text() == "keeps-trailing-space"
    assert hints.card_title.text() == "Hint for “keeps-trailing-space”"
    for name in (NAMES[0], NAMES[2], NAMES[3]):
        assert name not in everything_shown(judged)
    judged.hints_action.setChecked(False)  # hints off: nothing counts as revealed
    assert variant_labels(judged)[2] == "Bug 2"
    assert "keeps-trailing-space" not in everything_shown(judged)
    judged.hints_action.setChecked(True)
    assert variant_labels(judged)[2] == "keeps-trailing-space"


def test_with_hints_off_for_the_classroom_no_bug_is_revealed(make_window, qtbot, monkeypatch):
    monkeypatch.setenv("QA_ARENA_HINTS", "off")
    window = make_window(ScriptedBackend(killed={"no-collapse"}))
    window.select_problem(PROBLEM)
    judge(window, qtbot)
    window.hints.reveal_more()
    window.hints.reveal_more()
    assert window.hints.revealed_bugs(PROBLEM) == frozenset()
    shown = everything_shown(window)
    for name in NAMES[:4]:
        assert name not in shown


def test_a_past_submission_names_the_bugs_its_own_run_caught(make_window, qtbot):
    backend = ScriptedBackend(killed={"no-collapse"})
    window = make_window(backend)
    window.select_problem(PROBLEM)
    first = judge(window, qtbot)
    backend.killed = {"keeps-leading-space"}
    judge(window, qtbot)
    assert variant_labels(window)[1:] == ["keeps-leading-space", "Bug 2", "Bug 3", "Bug 4", "Bug 5"]
    window.show_submission_result(first.submission_id)  # History › Show results
    assert variant_labels(window)[1:] == ["Bug 1", "Bug 2", "Bug 3", "Bug 4", "no-collapse"]
    shown = everything_shown(window)
    assert "keeps-leading-space" not in shown and "no-collapse" in shown
    window.open_submission(first.submission_id)  # History › Open in editor: the same
    assert "keeps-leading-space" not in everything_shown(window)


def test_a_test_failing_on_the_correct_code_names_no_bug_even_where_it_fails_everywhere(
        make_window, qtbot):
    """The attack: ``assert False`` fails on every mutant too; those "kills" reveal nothing."""
    window = make_window(ScriptedBackend(golden=RunOutcome.FAILED))
    window.select_problem(PROBLEM)
    judge(window, qtbot)
    assert window.shown_result is not None
    assert window.shown_result.status is SubmissionStatus.FAILURE
    cheat = JudgeResult(
        submission_id="cheat", problem=PROBLEM, status=SubmissionStatus.FAILURE, score=0,
        killed_mutants=0, total_mutants=5, kill_ratio=0,
        message="test_x failed on the correct implementation: assert False",
        golden=GoldenResult(outcome="failed", failed_tests=("test_x",), message="assert False"),
        mutants=tuple(MutantResult(name=name, weight=1, status=MutantStatus.KILLED,
                                   killed_by=("test_x",),
                                   tests=(Outcome(id="test_x", outcome="failed"),))
                      for name in NAMES),
        misconceptions=(Misconception(mutant=NAMES[0], hint="Spaces at the start?"),))
    window.presenter.show_result(window.pack, cheat, "x", from_editor=False)
    assert variant_labels(window)[1:] == ["Bug 1", "Bug 2", "Bug 3", "Bug 4", "Bug 5"]
    assert "Spaces at the start?" in window.results.banner_text.text()  # the hint, unnamed
    shown = everything_shown(window)
    for name in NAMES:
        assert name not in shown, name


def test_a_caught_bug_shows_the_packs_learner_facing_title(judged):
    mutants = tuple(m.model_copy(update={"title": "Gaps stay as they are"})
                    if m.name == "no-collapse" else m for m in judged.pack.mutants)
    pack = judged.pack.model_copy(update={"mutants": mutants})
    judged.presenter.show_result(pack, judged.shown_result, "x", from_editor=False)
    assert variant_labels(judged)[-1] == "Gaps stay as they are"
    assert judged.matrix.model.headerData(5, Qt.Orientation.Horizontal) == "Gaps stay as they are"


# ---- tests that catch nothing (item 12) --------------------------------------------------------


def test_the_results_and_the_matrix_name_the_tests_that_catch_no_bug(judged):
    # The scripted run: test_a kills no-collapse, test_b passes on every bug.
    assert "Tests that catch no bug: test_b." in judged.results.banner_text.text()
    matrix = judged.matrix.model
    rows = {matrix.matrix.tests[r]: r for r in range(matrix.rowCount())}
    assert matrix.headerData(rows["test_b"], Qt.Orientation.Vertical) == IDLE_MARK + "test_b"
    assert matrix.headerData(rows["test_b"], Qt.Orientation.Vertical, CATCHES_NOTHING_ROLE)
    assert not matrix.headerData(rows["test_a"], Qt.Orientation.Vertical, CATCHES_NOTHING_ROLE)
    assert "catches no bug" in matrix.headerData(rows["test_b"], Qt.Orientation.Vertical,
                                                 Qt.ItemDataRole.ToolTipRole)
    assert "test_b" in judged.matrix.legend.text()


def test_no_test_is_called_useless_on_a_failed_run(make_window, qtbot):
    window = make_window(ScriptedBackend(golden=RunOutcome.FAILED))
    window.select_problem(PROBLEM)
    judge(window, qtbot)
    assert "catch no bug" not in window.results.banner_text.text()
    assert "catch no bug" not in window.matrix.legend.text()


@pytest.mark.docker
def test_a_real_run_names_exactly_the_bugs_it_caught_at_every_step(make_window, qtbot,
                                                                  no_leftover_containers):
    from qa_arena_desktop.judging.docker_backend import DockerBackend
    from tests.ui.conftest import DATA

    window = make_window(DockerBackend())
    window.select_problem(PROBLEM)
    window.show()
    window.editor.setPlainText((DATA / "normalize_mixed.py").read_text())
    leaks: list[str] = []

    def check(_event):  # type: ignore[no-untyped-def]  # after the window's own slot
        states = window.results_model.states()
        golden_passed = states.get("golden") == "PASSED"
        shown = everything_shown(window)
        for name in NAMES:
            caught = golden_passed and states.get(name) in ("KILLED", "TIMEOUT", "MEMORY")
            if (name in shown) != caught:
                leaks.append(f"{name} {'hidden' if caught else 'shown'} in state {states}")

    window.runs.variant_finished.connect(check)
    with qtbot.waitSignals([window.runs.run_finished, window.catalog_refreshed], timeout=120_000):
        window.submit()
    result = window.shown_result
    assert result is not None and result.status is SubmissionStatus.SUCCESS
    assert not leaks, leaks
    killed = {m.name for m in result.mutants if m.status.counts_as_killed}
    assert killed and killed != set(NAMES), "normalize_mixed.py should catch some bugs, not all"
    shown = everything_shown(window)
    for number, name in enumerate(NAMES, start=1):
        assert (name in shown) == (name in killed)
        assert (f"Bug {number}" in variant_labels(window)) == (name not in killed)


def test_a_judge_fault_on_a_bug_names_it_bug_n_in_the_banner_and_history(make_window, qtbot):
    window = make_window(FaultyBackend(killed={"no-collapse"}))
    window.select_problem(PROBLEM)
    window.show()
    result = judge(window, qtbot)
    assert result.status is SubmissionStatus.ERROR
    assert "spaces-only" in result.message  # stored as the judge said it (--json keeps it)
    assert "the judge failed on Bug 3" in window.results.banner_text.text()
    tooltip = window.history.model.index(0, 1).data(Qt.ItemDataRole.ToolTipRole)
    assert "the judge failed on Bug 3" in tooltip
    assert "spaces-only" not in everything_shown(window)
