"""The doctor: what is missing (Docker engine, judge image) and how to fix it on this system.

Opened automatically on the first run that finds a problem, and from the status bar,
the Help menu, or an ERROR result. Building the judge image from here opens
:class:`ImageBuildDialog`, which streams the build log as it happens.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from qa_arena_desktop.judging.limits_check import ENFORCED_TEXT, UNENFORCED_FIX
from qa_arena_desktop.practice.doctor import (
    DockerHealth,
    engine_fix_steps,
    image_fix_steps,
)
from qa_arena_desktop.ui import icons
from qa_arena_desktop.ui.docker_status import DockerStatusChecker
from qa_arena_desktop.ui.tasks import TaskRunner
from qa_arena_desktop.ui.theme import current_theme

Report = Callable[[str], None]  # one line of the build log


def _build_judge_image(report: Report) -> str:
    from qa_arena_desktop.judging import engine
    from qa_arena_desktop.judging.image import build_image

    client = engine.connect()
    try:
        return build_image(client, report)
    finally:
        client.close()


def _check_line(ok: bool, text: str) -> str:
    theme = current_theme()
    colour = theme.verdicts["KILLED" if ok else "SURVIVED"][0]
    mark = "✓" if ok else "✗"
    return (f'<p><span style="color:{colour}; font-weight:700;">{mark}</span>&nbsp; '
            f"{html.escape(text)}</p>")


def _rich(text: str) -> str:
    """Escape a fix step, then show `commands` as code and URLs as links."""
    escaped = html.escape(text, quote=False)
    escaped = re.sub(r"`([^`]+)`", r"<code>\1</code>", escaped)
    return re.sub(r"(https?://[^\s)]+)", r'<a href="\1">\1</a>', escaped)


def health_html(health: DockerHealth | None) -> str:
    if health is None:
        return "<p>Checking the Docker engine…</p>"
    engine = health.engine
    parts = []
    if engine.reachable:
        parts.append(_check_line(True, f"Docker engine {engine.version} (API {engine.api_version}, "
                                       f"cgroup v{engine.cgroup_version})"))
    else:
        parts.append(_check_line(False, f"Docker engine: {engine.error or 'not reachable'}"))
    if health.image is not None and not health.image.problem:
        parts.append(_check_line(True, f"Judge image {health.image.tag} is built and current"))
    elif health.image is not None:
        parts.append(_check_line(False, health.image.problem))
    elif engine.reachable:
        parts.append(_check_line(False, health.image_error or "cannot check the judge image"))
    if health.limits is not None and health.limits.ok:
        parts.append(_check_line(True, ENFORCED_TEXT))  # the same line as `qa-arena doctor`
    elif health.limits is not None:
        parts.extend(_check_line(False, problem) for problem in health.limits.problems())
    elif health.limits_error:
        parts.append(_check_line(False, f"sandbox limits: {health.limits_error}"))
    steps: list[str] = []
    if not engine.reachable and engine.setting:
        steps = [engine.advice + ".", "Click “Check again”."]  # the setting, not the install
    elif not engine.reachable:
        steps = engine_fix_steps()
    elif health.image_buildable:
        steps = image_fix_steps()
    elif health.limits is not None and not health.limits.ok:
        steps = [UNENFORCED_FIX[0].upper() + UNENFORCED_FIX[1:] + "."]
    if steps:
        items = "".join(f"<li>{_rich(step)}</li>" for step in steps)
        parts.append(f"<p><b>How to fix it</b></p><ol>{items}</ol>")
    elif health.ready:
        parts.append("<p>Everything the judge needs is in place.</p>")
    return "".join(parts)


class DoctorDialog(QDialog):
    build_requested = Signal()

    def __init__(self, checker: DockerStatusChecker, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Doctor")  # Qt adds " — QA Arena" (the display name)
        self.setMinimumWidth(560)
        self._checker = checker
        heading = QLabel("The judge runs your tests in Docker on this computer.", self)
        heading.setObjectName("bannerTitle")
        heading.setWordWrap(True)
        self.report = QLabel(self)
        self.report.setWordWrap(True)
        self.report.setTextFormat(Qt.TextFormat.RichText)
        self.report.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.report.setOpenExternalLinks(True)
        self.check_button = QPushButton(icons.icon("reset"), "Check again", self)
        self.check_button.clicked.connect(self.check_again)
        self.build_button = QPushButton(icons.icon("build"), "Build judge image", self)
        self.build_button.setObjectName("primaryButton")
        self.build_button.clicked.connect(self.build_requested)
        close = QPushButton("Close", self)
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.check_button)
        buttons.addWidget(self.build_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 14)
        layout.setSpacing(12)
        layout.addWidget(heading)
        layout.addWidget(self.report, 1)
        layout.addLayout(buttons)
        checker.checked.connect(self.show_health)
        self.show_health(checker.last)

    def check_again(self) -> None:
        self.report.setText("<p>Checking the Docker engine…</p>")
        self.check_button.setEnabled(False)
        self._checker.check()

    def show_health(self, health: object) -> None:
        assert health is None or isinstance(health, DockerHealth)
        self.check_button.setEnabled(True)
        self.report.setText(health_html(health))
        self.build_button.setVisible(health is not None and health.image_buildable)


class ImageBuildDialog(QDialog):
    """Builds the judge image in the background and shows the build log line by line."""

    finished_build = Signal(bool)  # True when the image was built

    def __init__(self, tasks: TaskRunner, parent: QWidget | None = None,
                 build: Callable[[Report], object] = _build_judge_image) -> None:
        super().__init__(parent)
        self.setWindowTitle("Building the judge image")
        self.resize(720, 460)
        self._tasks = tasks
        self._build = build
        self._building = False
        self.status = QLabel("Building the judge image: this can take a few minutes the first "
                             "time.", self)
        self.status.setWordWrap(True)
        self.bar = QProgressBar(self)
        self.bar.setRange(0, 0)
        self.bar.setFixedHeight(8)
        self.log = QPlainTextEdit(self)
        self.log.setObjectName("buildLog")
        self.log.setReadOnly(True)
        self.log.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.log.setMaximumBlockCount(5000)
        self.close_button = QPushButton("Close", self)
        self.close_button.clicked.connect(self.accept)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 12)
        layout.setSpacing(10)
        layout.addWidget(self.status)
        layout.addWidget(self.bar)
        layout.addWidget(self.log, 1)
        layout.addLayout(row)

    def is_building(self) -> bool:
        return self._building

    def start(self) -> None:
        if self._building:
            return
        self._building = True
        self.close_button.setEnabled(False)
        build = self._build
        task = self._tasks.start(lambda context: build(context.report))
        task.progress.connect(self._on_log_line)
        task.done.connect(self._on_done)
        task.failed.connect(self._on_failed)

    def _on_log_line(self, line: object) -> None:
        self.log.appendPlainText(str(line))

    def _on_done(self, _image_id: object) -> None:
        self._finish(True, "The judge image is ready. You can submit now.")

    def _on_failed(self, message: str) -> None:
        self.log.appendPlainText(message)
        self._finish(False, f"The build failed: {message.splitlines()[0] if message else ''}")

    def _finish(self, ok: bool, text: str) -> None:
        self._building = False
        self.bar.setRange(0, 1)
        self.bar.setValue(1 if ok else 0)
        self.status.setText(text)
        self.close_button.setEnabled(True)
        self.finished_build.emit(ok)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if self._building:
            event.ignore()  # the build keeps going; closing would hide its outcome
            return
        super().closeEvent(event)

    def reject(self) -> None:
        if not self._building:
            super().reject()
