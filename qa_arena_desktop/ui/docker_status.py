"""Docker status in the status bar: engine reachable, its version, judge image ready.

``check_docker_health`` can take seconds (or hang until a timeout when the engine
is wedged), so it runs as a background task (ui/tasks.py); the label says "checking…" meanwhile.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from qa_arena_desktop.practice.doctor import DockerHealth, check_docker_health
from qa_arena_desktop.ui import icons
from qa_arena_desktop.ui.tasks import TaskRunner
from qa_arena_desktop.ui.theme import current_theme


class DockerStatusChecker(QObject):
    checked = Signal(object)  # DockerHealth

    def __init__(self, tasks: TaskRunner, parent: QObject | None = None,
                 check: Callable[[], DockerHealth] = check_docker_health) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._check = check
        self._running = False
        self.last: DockerHealth | None = None

    def is_checking(self) -> bool:
        return self._running

    def check(self) -> None:
        if self._running:
            return
        self._running = True
        check = self._check
        task = self._tasks.start(lambda _context: check())
        task.done.connect(self._on_done)
        task.failed.connect(self._on_failed)

    def _on_done(self, health: object) -> None:
        self._running = False
        assert isinstance(health, DockerHealth)
        self.last = health
        self.checked.emit(health)

    def _on_failed(self, message: str) -> None:
        from qa_arena_desktop.judging.engine import EngineInfo

        self._on_done(DockerHealth(engine=EngineInfo(reachable=False, error=message)))


class DockerStatusWidget(QWidget):
    """A coloured dot and one line of text; clicking it opens the doctor."""

    clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.dot = QLabel(self)
        self.text = QLabel(self)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        layout.setSpacing(4)
        layout.addWidget(self.dot)
        layout.addWidget(self.text)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.show_checking()

    def _set(self, state: str, text: str, tooltip: str) -> None:
        colour = current_theme().verdict_colours(state)[0].name()
        self.dot.setPixmap(icons.pixmap("status", 14, colour))
        self.text.setText(text)
        self.setToolTip(tooltip)

    def show_checking(self) -> None:
        self._set("QUEUED", "Docker: checking…", "Asking the Docker engine for its status")

    def show_health(self, health: DockerHealth) -> None:
        if health.ready:
            self._set("KILLED", health.summary(),
                      f"Engine {health.engine.version} (API {health.engine.api_version}); "
                      "judge image ready. Click for details.")
        elif health.engine.reachable:
            self._set("TIMEOUT", health.summary(), "; ".join(health.problems()) + ". Click to fix.")
        else:
            self._set("SURVIVED", health.summary(), "; ".join(health.problems()) + ". Click to fix.")

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        self.clicked.emit()
        super().mousePressEvent(event)
