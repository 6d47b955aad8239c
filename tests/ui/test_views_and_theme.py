"""Item models read through data(index, role), the themes, and the screenshot command's input checks."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import Qt

from qa_arena_desktop import paths
from qa_arena_desktop.domain.judge_models import GoldenResult, JudgeResult, MutantResult
from qa_arena_desktop.domain.judge_models import TestOutcome as Outcome  # not a pytest class
from qa_arena_desktop.domain.verdicts import MutantStatus, SubmissionStatus
from qa_arena_desktop.ui import icons
from qa_arena_desktop.ui.kill_matrix_view import OUTCOME_ROLE, KillMatrixModel
from qa_arena_desktop.ui.theme import DARK, LIGHT, stylesheet
from tests.ui.conftest import PROBLEM

RESULT = JudgeResult(
    submission_id="s1", problem=PROBLEM, status=SubmissionStatus.SUCCESS, score=65.0,
    killed_mutants=1, total_mutants=2, kill_ratio=0.5, golden=GoldenResult(outcome="passed"),
    mutants=(
        MutantResult(name="m-killed", weight=1, status=MutantStatus.KILLED, killed_by=("test_a",),
                     tests=(Outcome(id="test_a", outcome="failed", message="assert 2 == 3"),
                            Outcome(id="test_b", outcome="passed"))),
        MutantResult(name="m-survived", weight=1, status=MutantStatus.SURVIVED,
                     tests=(Outcome(id="test_a", outcome="passed"),
                            Outcome(id="test_b", outcome="passed"))),
    ),
)


def test_kill_matrix_cells_show_kills_with_the_failure_message(qtbot):
    model = KillMatrixModel()
    model.set_result(RESULT)
    assert (model.rowCount(), model.columnCount()) == (2, 3)
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(3)]
    assert headers == ["correct code", "m-killed", "Bug 2"]  # a survivor's name is withheld
    killed = model.index(0, 1)
    assert killed.data() == "✕"
    assert killed.data(OUTCOME_ROLE) == "failed"
    assert "kills m-killed" in killed.data(Qt.ItemDataRole.ToolTipRole)
    assert "assert 2 == 3" in killed.data(Qt.ItemDataRole.ToolTipRole)
    assert killed.data(Qt.ItemDataRole.BackgroundRole) == LIGHT.verdict_colours("KILLED")[1]
    assert model.index(1, 2).data() == "·"
    assert "kills 1 bug" in model.headerData(0, Qt.Orientation.Vertical, Qt.ItemDataRole.ToolTipRole)
    model.set_result(None)
    assert model.rowCount() == 0


def test_the_matrix_tab_fills_after_a_run(make_window, qtbot):
    window = make_window()
    window.select_problem(PROBLEM)
    window.matrix.set_result(RESULT)
    assert window.matrix.model.rowCount() == 2
    assert "Hover a cell" in window.matrix.legend.text()


def test_history_model_shows_time_status_score_and_kills(make_window, qtbot):
    from tests.ui.conftest import ScriptedBackend

    window = make_window(ScriptedBackend(killed={"no-collapse"}))
    window.select_problem(PROBLEM)
    with qtbot.waitSignals([window.runs.run_finished, window.catalog_refreshed], timeout=10_000):
        window.submit()
    model = window.history.model
    assert model.rowCount() == 1
    row = [model.index(0, c).data() for c in range(4)]
    assert re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", row[0])
    assert row[1:] == ["Success", "40", "1 / 5"]  # 30 + 70 * 1/7
    assert window.progress.model.rowCount() == window.browser.model.rowCount()


def test_both_stylesheets_load_with_their_resources():
    for theme in (LIGHT, DARK):
        qss = stylesheet(theme)
        assert "QPushButton#primaryButton" in qss
        assert "@resources@" not in qss
        for url in re.findall(r"url\(([^)]+)\)", qss):
            assert Path(url).is_file(), url


def test_icons_render_from_the_svg_files(qtbot):
    names = [p.stem for p in (paths.resources_dir() / "icons").glob("*.svg")]
    assert {"submit", "cancel", "app", "hint"} <= set(names)
    for name in names:
        assert not icons.icon(name).isNull(), name
    assert icons.icon("no-such-icon").isNull()


def _gui(*args: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """A real process: the app makes its own QApplication, and a process has only one."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run([sys.executable, "-m", "qa_arena_desktop", "gui", *args],
                          capture_output=True, text=True, env=env, timeout=120, cwd=tmp_path)


def test_screenshot_rejects_an_unknown_problem_and_a_missing_file(tmp_path: Path):
    out = tmp_path / "x.png"
    missing = _gui("--screenshot", str(out), "--tests", str(tmp_path / "nope.py"), tmp_path=tmp_path)
    assert missing.returncode == 2 and "no such test file" in missing.stderr
    unknown = _gui("--screenshot", str(out), "--problem", "no-such-problem", tmp_path=tmp_path)
    assert unknown.returncode == 2 and "no-such-problem" in unknown.stderr
    assert not out.exists()


def test_a_colour_scheme_change_reapplies_the_theme(qapp, qtbot, monkeypatch):
    """The offscreen platform cannot switch schemes, so the scheme is forced through
    QA_ARENA_THEME and the manager's colorSchemeChanged slot is driven directly."""
    from qa_arena_desktop.ui.theme import ThemeManager, apply_theme, current_theme

    monkeypatch.setenv("QA_ARENA_THEME", "light")
    manager = ThemeManager(qapp)
    try:
        assert current_theme() is LIGHT
        monkeypatch.setenv("QA_ARENA_THEME", "dark")
        with qtbot.waitSignal(manager.changed, timeout=2000) as blocker:
            manager._on_scheme_changed(Qt.ColorScheme.Dark)
        assert blocker.args[0] is DARK and current_theme() is DARK
        assert "dark theme" in qapp.styleSheet()
    finally:
        apply_theme(qapp, LIGHT)
        qapp.setStyleSheet("")  # other tests run unstyled, as before
        manager.deleteLater()


def test_the_theme_menu_switches_the_window_and_a_new_window_remembers(make_window, qapp, qtbot,
                                                                        monkeypatch):
    from PySide6.QtGui import QPalette

    from qa_arena_desktop.ui import settings
    from qa_arena_desktop.ui.theme import apply_theme, current_theme, theme_manager

    monkeypatch.delenv("QA_ARENA_THEME", raising=False)
    stale = theme_manager(create=False)  # another test's, waiting for deleteLater
    if stale is not None:
        stale.deleteLater()
        qtbot.waitUntil(lambda: theme_manager(create=False) is None)
    try:
        window = make_window()
        assert window.theme_actions["system"].isChecked()
        window.theme_actions["dark"].trigger()
        assert current_theme() is DARK
        assert qapp.palette().color(QPalette.ColorRole.Window).name() == DARK.window
        assert window.editor.current_theme() is DARK  # the editor repainted its colours
        assert "dark theme" in qapp.styleSheet()
        assert settings.AppSettings().get_str(settings.THEME) == "dark"
        window.theme_actions["light"].trigger()
        assert qapp.palette().color(QPalette.ColorRole.Window).name() == LIGHT.window
        window.theme_actions["dark"].trigger()
        window.close()

        apply_theme(qapp, LIGHT)  # as at a new start: nothing applied yet
        manager = theme_manager(create=False)
        assert manager is not None
        manager.deleteLater()
        qtbot.waitUntil(lambda: theme_manager(create=False) is None)
        second = make_window()  # reads the remembered choice
        assert second.theme_actions["dark"].isChecked()
        assert current_theme() is DARK
        assert qapp.palette().color(QPalette.ColorRole.Base).name() == DARK.base
        assert second.editor.current_theme() is DARK

        monkeypatch.setenv("QA_ARENA_THEME", "light")  # the environment wins for a session
        third = make_window()
        assert third.theme_actions["light"].isChecked() and current_theme() is LIGHT
    finally:
        apply_theme(qapp, LIGHT)
        qapp.setStyleSheet("")  # other tests run unstyled, as before
        manager = theme_manager(create=False)
        if manager is not None:
            manager.deleteLater()
