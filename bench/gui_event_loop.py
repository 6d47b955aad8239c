"""How long does the GUI's event loop stall while a real judge run streams its results?

Opens the real main window (offscreen) on a throw-away data dir, starts a QTimer that
ticks every 10 ms, submits a test file against the real Docker engine a few times,
and records the gap between consecutive ticks. A gap well above 10 ms means the GUI
thread was busy (or blocked) that long. The issue's budget is 50 ms; this prints the
figures rather than asserting them, because timing depends on the machine.

    QT_QPA_PLATFORM=offscreen python bench/gui_event_loop.py [--runs 5] [--think 1.0] [--typing]

``--typing`` also types into the editor all along (a comment line every 0.6 s, so the
live pyflakes check runs again after each pause, as while a learner writes).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TICK_MS = 10
BUDGET_MS = 50.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--problem", default="normalize-whitespace")
    parser.add_argument("--think", type=float, default=1.0,
                        help="seconds between runs, as a learner edits (the loop is measured "
                        "then too: the next run's containers start in that time)")
    parser.add_argument("--typing", action="store_true",
                        help="type a comment line into the editor every 0.6 s meanwhile")
    parser.add_argument("--tests", default=str(REPO / "tests" / "ui" / "data" / "normalize_mixed.py"))
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["QA_ARENA_HOME"] = tempfile.mkdtemp(prefix="qa-arena-bench-")

    from PySide6.QtCore import QElapsedTimer, QTimer
    from PySide6.QtWidgets import QApplication

    from qa_arena_desktop.context import open_catalog
    from qa_arena_desktop.judging.docker_backend import DockerBackend
    from qa_arena_desktop.judging.service import JudgingService
    from qa_arena_desktop.ui.app import tune_threads
    from qa_arena_desktop.ui.main_window import MainWindow
    from qa_arena_desktop.ui.screenshot import wait_until
    from qa_arena_desktop.ui.theme import ThemeManager

    tune_threads()  # as run_app does
    app = QApplication([sys.argv[0]])
    ThemeManager(app)
    catalog, _ = open_catalog()
    backend = DockerBackend(keep_warm=os.environ.get("BENCH_KEEP_WARM", "1") == "1")
    backend.prepare()
    service = JudgingService(catalog, backend)
    window = MainWindow(catalog, service.judge, auto_doctor=False, remember=False)
    window.resize(1400, 900)
    window.show()
    if not window.select_problem(args.problem):
        print(f"no problem {args.problem!r}", file=sys.stderr)
        return 2
    window.editor.setPlainText(Path(args.tests).read_text(encoding="utf-8"))
    wait_until(lambda: window.docker.last is not None, 20)

    clock = QElapsedTimer()
    gaps: list[float] = []
    last = [0.0]
    recording = [False]

    def tick() -> None:
        now = clock.nsecsElapsed() / 1e6
        if recording[0]:
            gaps.append(now - last[0])
        last[0] = now

    timer = QTimer()
    timer.setInterval(TICK_MS)
    timer.timeout.connect(tick)
    clock.start()
    timer.start()

    typist = QTimer()
    typist.setInterval(600)
    lints = [0]
    window.linter.checked.connect(lambda: lints.__setitem__(0, lints[0] + 1))

    def type_a_line() -> None:
        cursor = window.editor.textCursor()
        cursor.movePosition(cursor.MoveOperation.End)
        cursor.insertText("# a note typed while judging\n")

    typist.timeout.connect(type_a_line)
    if args.typing:
        typist.start()

    variants = 0
    window.runs.variant_finished.connect(lambda _e: None)
    started = time.monotonic()
    recording[0] = True
    last[0] = clock.nsecsElapsed() / 1e6
    for _ in range(args.runs):
        window.submit()
        if not wait_until(lambda: not window.runs.is_running(), 180):
            print("a run did not finish in 180 s", file=sys.stderr)
            return 1
        variants += window.results_model.finished_count()
        think_until = time.monotonic() + args.think
        wait_until(lambda until=think_until: time.monotonic() >= until, args.think + 1)
    recording[0] = False
    elapsed = time.monotonic() - started
    timer.stop()
    typist.stop()
    window.shutdown()
    backend.close()

    if not gaps:
        print("no ticks recorded", file=sys.stderr)
        return 1
    worst = max(gaps)
    p99 = sorted(gaps)[max(0, int(len(gaps) * 0.99) - 1)]
    print(f"runs: {args.runs}  variants judged: {variants}  wall time: {elapsed:.2f} s"
          + (f"  live pyflakes checks while typing: {lints[0]}" if args.typing else ""))
    print(f"ticks: {len(gaps)} (every {TICK_MS} ms)  median gap: {statistics.median(gaps):.1f} ms  "
          f"p99: {p99:.1f} ms  longest stall: {worst:.1f} ms")
    verdict = "within" if worst <= BUDGET_MS else "OVER"
    print(f"longest event-loop stall {worst:.1f} ms: {verdict} the {BUDGET_MS:.0f} ms budget")
    return 0


if __name__ == "__main__":
    sys.exit(main())
