"""Checks the learner's tests with pyflakes while they type, off the GUI thread.

A check starts :data:`LINT_DELAY_MS` after the last keystroke (a debounce: one check
per pause, not one per key) and runs on a task runner of its own (ui/tasks.py;
pyflakes takes about 60 ms on a 900-line file, too long for the GUI thread; a runner
of its own so a slow Docker check never makes the marks wait). Each check is tagged with the
edit count it saw; a result for an older text is dropped (the next pause checks
again), so a mark never lands on a line the learner has since changed. At most one
check runs at a time; edits during it ask for one more.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from qa_arena_desktop.practice.lint import LintIssue, lint_tests
from qa_arena_desktop.ui.code_editor import CodeEditor
from qa_arena_desktop.ui.tasks import TaskContext, TaskRunner

LINT_DELAY_MS = 400


class LiveLinter(QObject):
    checked = Signal()  # the editor shows the findings for its current text

    def __init__(self, editor: CodeEditor, parent: QObject | None = None,
                 delay_ms: int = LINT_DELAY_MS) -> None:
        super().__init__(parent)
        self._editor = editor
        self.tasks = TaskRunner(self, max_threads=1)
        self._edits = 0
        self._running = False
        self._again = False
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(delay_ms)
        self.timer.timeout.connect(self._start)
        editor.textChanged.connect(self._on_text_changed)

    def shutdown(self, wait_ms: int = 2000) -> bool:
        """No more checks; True when the one running (if any) has ended."""
        self.timer.stop()
        self._editor.textChanged.disconnect(self._on_text_changed)
        return self.tasks.shutdown(wait_ms)

    def busy(self) -> bool:
        """A check is waiting for a pause or running."""
        return self.timer.isActive() or self._running

    def _on_text_changed(self) -> None:
        self._edits += 1
        self.timer.start()

    def _start(self) -> None:
        if self._running:
            self._again = True
            return
        self._running = True
        edits, text = self._edits, self._editor.toPlainText()

        def check(_context: TaskContext) -> tuple[int, list[LintIssue]]:
            return edits, lint_tests(text)

        task = self.tasks.start(check)
        task.done.connect(self._on_done)
        task.failed.connect(self._on_failed)

    def _on_done(self, result: object) -> None:
        self._running = False
        assert isinstance(result, tuple)
        edits: int = result[0]
        issues: list[LintIssue] = result[1]
        if edits == self._edits:
            self._editor.set_lint_issues(issues)
            self.checked.emit()
        elif not self.timer.isActive():
            self._again = True
        if self._again:
            self._again = False
            self._start()

    def _on_failed(self, _message: str) -> None:
        self._running = False  # a checker bug leaves the editor unmarked, never broken
        self._editor.set_lint_issues([])
