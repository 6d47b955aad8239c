"""``qa-arena grade``: grade a class's test files with one command, resumably.

``qa-arena grade (--problem SLUG | --pack DIR) PATH... --out REPORT.(csv|json) [--jobs N]
[--broker redis://HOST:PORT/N [--max-attempts N]]``

* PATHs are test files or folders (a folder means its ``*.py`` files, sorted).
* A progress line per file goes to stderr (``[ 12/100] alice_test.py SUCCESS 72.5``),
  then one summary line to stdout.
* The report is the gradebook CSV (columns fixed by ``DESIGN.md``) or the JSON
  report with kill matrices, chosen by the suffix. Beside it,
  ``<report-stem>-mte/`` gets one mutation-testing-elements report per student
  and a ``viewer.html`` to open them in Stryker's viewer.
* Resumable: ``<report-stem>.state.jsonl`` remembers every graded file, so the
  same command after a crash, Ctrl+C or a few late submissions judges only
  what is new or changed (and retries ERROR rows).
* Also ``<report>-class-report.html``/``.json`` beside the report, and on request student
  reports (``--student-reports DIR --feedback PROFILE``), an LMS import file
  (``--roster roster.csv --format canvas|moodle``) and ``--invalid drop``: see
  :mod:`.grade_options` and docs/classroom.md.
* With ``--broker`` the files are judged by ``qa-arena worker``s on other machines
  (:mod:`.grade_broker`, :mod:`qa_arena_desktop.classroom.distributed`); everything
  else, rows and reports included, is the same code as a local run.

Exit codes: 0 the batch finished (whatever the students got), 2 bad input, 3 no
engine, no judge image or an engine that ignores the sandbox's limits (checked
once, before anything is judged), 130 Ctrl+C.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from qa_arena_desktop.catalog import store
from qa_arena_desktop.classroom.batch import NoTestFiles, Progress, ServiceJudge, discover, grade_batch
from qa_arena_desktop.classroom.invalid_tests import STATE_POLICY, DroppingJudge
from qa_arena_desktop.classroom.mte import write_mte_reports
from qa_arena_desktop.classroom.reports import Summary, summarize, write_csv, write_json
from qa_arena_desktop.classroom.state import GradeState, state_path_for
from qa_arena_desktop.cli.grade_options import BadOption, check_report_options, write_extra_reports
from qa_arena_desktop.cli.judge_cmd import resolve_pack
from qa_arena_desktop.cli.main import EXIT_BAD_INPUT, EXIT_CANCELLED, EXIT_JUDGE_ERROR, EXIT_OK
from qa_arena_desktop.console.output import error
from qa_arena_desktop.context import open_catalog
from qa_arena_desktop.domain.backend import JudgeUnavailable
from qa_arena_desktop.domain.judge_models import Limits
from qa_arena_desktop.judging import engine
from qa_arena_desktop.judging.cleanup import sweep_leftovers
from qa_arena_desktop.judging.image import require_image
from qa_arena_desktop.judging.limits_check import require_enforced_limits
from qa_arena_desktop.packs.loader import PackError
from qa_arena_desktop.text_safety import one_line, visible

if TYPE_CHECKING:
    from qa_arena_desktop.classroom.distributed import BrokerJudge

REPORT_SUFFIXES = (".csv", ".json")
MAX_JOBS = 64


class ProgressLines:
    """``[ 12/100] alice_test.py SUCCESS 72.5``: one line per finished file."""

    def __init__(self, stream: TextIO | None = None) -> None:
        # sys.stderr when called, not when imported: a caller may have redirected it since
        self.stream = stream or sys.stderr
        self.done = 0

    def __call__(self, progress: Progress) -> None:
        self.done = progress.done
        row = progress.row
        width = len(str(progress.total))
        line = (f"[{progress.done:>{width}}/{progress.total}] {one_line(row.file)} {row.status} "
                f"{row.score:.1f}")
        if row.reused:
            line += "  (unchanged, not judged again)"
        elif row.status != "SUCCESS" and row.message:
            line += "  " + one_line(row.message, 100)
        if row.flags:
            line += "  flagged: " + one_line(", ".join(row.flags), 200)
        self.stream.write(line + "\n")
        self.stream.flush()


def mte_dir_for(report: Path) -> Path:
    """``grades.csv`` -> ``grades-mte/`` beside it."""
    return report.with_name(report.stem + "-mte")


def summary_line(summary: Summary, report: Path) -> str:
    judged = summary.files - summary.reused
    mean = f"mean score {summary.mean_score:.1f}" if summary.mean_score is not None else "no scores"
    return (f"graded {summary.files} file(s) ({judged} judged, {summary.reused} unchanged): "
            f"{summary.success} SUCCESS, {summary.failure} FAILURE, {summary.error} ERROR; "
            f"{mean}; report {report}")


def check_engine(limits: Limits) -> None:
    """Raise :class:`JudgeUnavailable` unless an engine answers, has the judge image and
    enforces the sandbox's limits: one line and exit 3 instead of a column of ERROR rows.

    Also removes containers left by a crashed run now, once, rather than letting the
    first parallel runs race to sweep the same leftovers.
    """
    client = engine.connect(timeout=10)
    try:
        require_image(client)
        require_enforced_limits(client, limits)  # cached per engine: the runs reuse the answer
        with contextlib.suppress(*engine.TRANSIENT_ERRORS):
            sweep_leftovers(client)  # best effort: the backend sweeps again if this fails
    finally:
        client.close()


def run_grade(args: argparse.Namespace) -> int:
    out = Path(args.out)
    if out.suffix.lower() not in REPORT_SUFFIXES:
        error(f"--out must name a .csv or .json report, got {str(out)!r}")
        return EXIT_BAD_INPUT
    if not 1 <= args.jobs <= MAX_JOBS:
        error(f"--jobs must be between 1 and {MAX_JOBS}, got {args.jobs}")
        return EXIT_BAD_INPUT
    broker = getattr(args, "broker", None)
    if broker is not None:
        from qa_arena_desktop.cli.grade_broker import check_broker_args

        problem = check_broker_args(args)
        if problem:
            error(problem)
            return EXIT_BAD_INPUT
    try:
        options = check_report_options(args)
    except BadOption as exc:
        error(str(exc))
        return EXIT_BAD_INPUT
    try:
        submissions = discover(args.paths)
    except NoTestFiles as exc:
        error(str(exc))
        return EXIT_BAD_INPUT
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        error(f"cannot create the folder for {out}: {exc.strerror or exc}")
        return EXIT_BAD_INPUT

    catalog, _ = open_catalog(sync=not args.pack)
    try:
        try:
            pack = resolve_pack(args, catalog)
        except (PackError, store.UnknownProblem) as exc:
            error(str(exc))
            return EXIT_BAD_INPUT
        jobs = args.jobs
        judge: ServiceJudge | BrokerJudge | DroppingJudge
        if broker is not None:  # the workers check their engines; this machine needs none
            from qa_arena_desktop.cli.grade_broker import open_broker_judge

            opened = open_broker_judge(args, pack, len(submissions), options.invalid)
            if isinstance(opened, int):
                return opened
            judge, jobs = opened
        else:
            try:
                check_engine(Limits(time_limit_s=pack.time_limit_s))  # as the judging service does
            except JudgeUnavailable as exc:
                error(str(exc))
                return EXIT_JUDGE_ERROR
            sys.stderr.write(f"grading {len(submissions)} file(s) against {pack.slug} "
                             f"({len(pack.scored_mutants)} mutants), {args.jobs} at a time\n")
            judge = ServiceJudge(catalog, args.jobs)
            if options.invalid == "drop":  # (a BrokerJudge's workers drop tests themselves)
                judge = DroppingJudge(judge)
        state_file = state_path_for(out)
        progress = ProgressLines()
        try:
            state = GradeState(state_file, STATE_POLICY[options.invalid])
            rows = grade_batch(pack, submissions, judge, jobs=jobs, state=state,
                               on_progress=progress)
        except KeyboardInterrupt:
            error(f"interrupted: {progress.done} of {len(submissions)} file(s) graded and kept in "
                  f"{state_file}; run the same command again to finish")
            return EXIT_CANCELLED
        except OSError as exc:
            error(f"cannot write the grading state {state_file}: {exc.strerror or exc}")
            return EXIT_BAD_INPUT
        finally:
            judge.close()  # waits for the last containers to be removed
    finally:
        catalog.close()

    try:
        mte = write_mte_reports(mte_dir_for(out), pack, rows, {s.display: s.path for s in submissions})
        if out.suffix.lower() == ".csv":
            write_csv(rows, out)
        else:
            write_json(pack, rows, out, mte)
        extra = write_extra_reports(options, pack, rows, out)
    except OSError as exc:
        error(f"cannot write the report {out}: {exc.strerror or exc} (the grades are kept in "
              f"{state_file}: fix the path and run the same command again)")
        return EXIT_BAD_INPUT
    summary = summarize(rows)
    print(visible(summary_line(summary, out)))
    for line in extra:
        print(visible(line))
    if broker is not None:
        from qa_arena_desktop.cli.grade_broker import report_dead_letters

        report_dead_letters(judge, rows)
    if summary.error:
        error(f"{summary.error} file(s) could not be judged (ERROR: see the message column); "
              "run the same command again to retry only those")
    return EXIT_OK
