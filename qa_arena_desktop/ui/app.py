"""Start the desktop app: ``qa-arena`` (no arguments) or ``qa-arena gui [--screenshot ...]``.

Builds the ``QApplication``, applies the system's theme, opens and syncs the catalog
(the same code path as the CLI), and gives the main window the judging service's
``judge`` as a plain callable. Quitting runs the window's bounded shutdown.

Process-wide settings are made here, once, before any window: the GIL switch interval
(:func:`tune_threads`) and the exception hook (ui/error_hook.py: an uncaught error is
logged to a file and said in a dialog).
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import tempfile
import threading
from pathlib import Path

from qa_arena_desktop.exit_codes import ExitCode

EXIT_BAD_INPUT = ExitCode.BAD_INPUT
EXIT_NO_DISPLAY = ExitCode.NO_DISPLAY
# Judge workers are Python threads: hand the GIL back to the GUI thread every millisecond
# rather than every 5 ms, so a busy worker cannot stall painting (bench/gui_event_loop.py).
GIL_SWITCH_INTERVAL_S = 0.001


def tune_threads() -> None:
    """The interpreter settings the GUI's responsiveness relies on; once per process."""
    sys.setswitchinterval(GIL_SWITCH_INTERVAL_S)


def run_app(args: argparse.Namespace) -> int:
    screenshot = getattr(args, "screenshot", None)
    problem = getattr(args, "problem", None)
    tests_arg = getattr(args, "tests", None)
    tab = getattr(args, "tab", None)
    if screenshot:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    tests = Path(tests_arg).expanduser() if tests_arg else None
    if tests is not None and not tests.is_file():
        sys.stderr.write(f"qa-arena: no such test file: {tests}\n")
        return EXIT_BAD_INPUT

    from qa_arena_desktop.ui.display_check import display_problem

    problem_with_display = display_problem()
    if problem_with_display:
        sys.stderr.write(f"qa-arena: {problem_with_display}\n")
        return EXIT_NO_DISPLAY

    # Qt is imported only now, so `qa-arena judge` and friends never load it.
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from qa_arena_desktop.context import open_catalog
    from qa_arena_desktop.domain.judge_models import JudgeResult
    from qa_arena_desktop.domain.pack import Pack
    from qa_arena_desktop.judging.docker_backend import DockerBackend
    from qa_arena_desktop.judging.service import JudgingService, Listener
    from qa_arena_desktop.practice.drafts import DraftStore
    from qa_arena_desktop.practice.hints import hints_allowed
    from qa_arena_desktop.ui import icons
    from qa_arena_desktop.ui.error_hook import install_exception_hook
    from qa_arena_desktop.ui.main_window import MainWindow
    from qa_arena_desktop.ui.theme import ThemeManager

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    tune_threads()
    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    # A screenshot (or any offscreen run) only logs: nobody could close a dialog there.
    install_exception_hook(app, show_dialog=not screenshot and app.platformName() != "offscreen")
    if settings_refused(show_dialog=not screenshot and app.platformName() != "offscreen"):
        return EXIT_BAD_INPUT
    app.setApplicationName("QA Arena")
    app.setApplicationDisplayName("QA Arena")
    app.setOrganizationName("qa-arena-desktop")
    ThemeManager(app)  # the window finds it (theme.theme_manager) and applies its choice
    app.setWindowIcon(icons.icon("app"))

    catalog, _report = open_catalog()
    # keep_warm: containers for the next run start while the learner types (docs/judge.md).
    backend = DockerBackend(keep_warm=not screenshot)
    service = JudgingService(catalog, backend, explain_failures=hints_allowed())
    if not screenshot:
        backend.prepare()

    def judge(pack: Pack, tests_text: str, listener: Listener, cancel: threading.Event,
              run_id: str) -> JudgeResult:
        return service.judge(pack, tests_text, listener, cancel, run_id)

    if screenshot:
        from qa_arena_desktop.ui.screenshot import take_screenshot

        with tempfile.TemporaryDirectory(prefix="qa-arena-screenshot-") as drafts:
            window = MainWindow(catalog, judge, auto_doctor=False, remember=False,
                                drafts=DraftStore(Path(drafts)))
            try:
                return take_screenshot(window, Path(screenshot), problem, tests, tab,
                                       getattr(args, "cancel_after", None),
                                       getattr(args, "help_page", None))
            finally:
                window.shutdown()
                window.close()

    window = MainWindow(catalog, judge)  # it applies the remembered theme (View › Theme)
    # Submissions a crashed session left unfinished end in one terminal state, off the GUI
    # thread; then the browser and history show their scores.
    recovery = window.tasks.start(lambda _context: recover_quietly(catalog, service))
    recovery.done.connect(lambda _none: window.refresh_scores())
    if problem and not window.select_problem(problem):
        sys.stderr.write(f"qa-arena: no problem with slug {problem!r}; showing the list\n")
    if tests is not None:
        window.editor_pane.load_file(tests)
    window.show()
    # Ctrl+C in the terminal quits through the same bounded shutdown as the window's close
    # button; the timer lets Python run its signal handler while Qt's loop is waiting.
    signal.signal(signal.SIGINT, lambda *_args: window.close())
    wake = QTimer()
    wake.start(250)
    wake.timeout.connect(lambda: None)
    code = int(app.exec())
    if not window.shutdown():
        # A worker is stuck in an engine call past the bound: do not let Qt's pool destructor
        # wait for it forever. Its container is removed by the next start's sweep.
        sys.stderr.write("qa-arena: a background task did not stop in time; exiting anyway\n")
        sys.stderr.flush()
        os._exit(code)
    backend.close()
    catalog.close()
    return code


def settings_refused(show_dialog: bool) -> bool:
    """True when a ``QA_ARENA_*`` variable has a bad value: said on stderr and, for a user
    who started the app from a menu and sees no terminal, in a dialog."""
    from qa_arena_desktop.env_settings import SettingsError, current

    try:
        current()
    except SettingsError as exc:
        sys.stderr.write(f"qa-arena: {exc}\n")
        if show_dialog:
            from PySide6.QtWidgets import QMessageBox

            QMessageBox.critical(None, "QA Arena: a setting is not valid",
                                 f"{exc}.\n\nChange or unset the variable (the settings are "
                                 "listed in docs/development.md), then start QA Arena again.")
        return True
    return False


def recover_quietly(catalog: object, service: object) -> None:
    """Finish what an earlier session left (judging.recovery); never disturb the GUI."""
    from qa_arena_desktop.judging.recovery import recover_interrupted

    try:
        recover_interrupted(catalog, service)  # type: ignore[arg-type]
    except Exception:  # noqa: BLE001 - logged; the learner's session goes on
        logging.getLogger(__name__).exception("recovering interrupted submissions failed")
