"""``qa-arena``: the command line (see DESIGN.md for the machine-readable contract).

Exit codes: one :class:`~qa_arena_desktop.exit_codes.ExitCode` enum (listed in
``--help`` and docs/judge.md). A bug in the app exits INTERNAL_ERROR: the traceback
goes to a log file under the data dir, the user gets one line. Never a traceback on screen.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from qa_arena_desktop import __version__
from qa_arena_desktop.exit_codes import ExitCode, help_text, internal_error_text

__all__ = ["EXIT_BAD_INPUT", "EXIT_CANCELLED", "EXIT_INTERNAL_ERROR", "EXIT_JUDGE_ERROR",
           "EXIT_OK", "ExitCode", "build_parser", "internal_error_text", "main"]

# The command modules' names for the codes (the same enum members).
EXIT_OK = ExitCode.OK
EXIT_BAD_INPUT = ExitCode.BAD_INPUT
EXIT_JUDGE_ERROR = ExitCode.JUDGE_ERROR
EXIT_INTERNAL_ERROR = ExitCode.INTERNAL_ERROR
EXIT_CANCELLED = ExitCode.CANCELLED  # Ctrl+C: a judged submission then ends CANCELLED


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="qa-arena",
        description="QA Arena Desktop: write pytest tests that catch hidden bugs. "
        "With no command, opens the desktop app.",
        epilog=help_text() + "\n\nsettings: QA_ARENA_* environment variables, listed in "
        "docs/development.md (Settings)",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--docker-host", metavar="URL",
                        help="judge on this Docker engine (unix://, tcp:// with TLS, ssh://); "
                        "default: DOCKER_HOST or the local engine")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    judge = commands.add_parser("judge", help="judge a test file against a problem")
    source = judge.add_mutually_exclusive_group(required=True)
    source.add_argument("--problem", metavar="SLUG", help="a problem in the catalog")
    source.add_argument("--pack", metavar="DIR", help="a pack folder or .zip")
    judge.add_argument("--tests", metavar="FILE", required=True, help="your pytest file")
    judge.add_argument("--json", action="store_true",
                       help="print one JSON object (the contract is in docs/judge.md)")
    judge.add_argument("--no-server", action="store_true",
                       help="judge in this process, not in the background judge server "
                       "(also: QA_ARENA_JUDGE_SERVER=off)")

    server = commands.add_parser(
        "server", help="the background judge server that keeps `judge` fast",
        description="`qa-arena judge` hands its work to a background judge server that keeps "
        "the judge warm (containers started ahead, the app loaded); it starts one when none "
        "runs and the server exits after QA_ARENA_SERVER_IDLE_S seconds idle (default 600).")
    server_commands = server.add_subparsers(dest="server_command", metavar="ACTION",
                                            required=True)
    server_commands.add_parser("start", help="start the server for the current settings now")
    stop = server_commands.add_parser("stop", help="stop it (runs in progress finish first)")
    stop.add_argument("--all", action="store_true", help="every judge server of this user")
    server_status = server_commands.add_parser("status", help="list running judge servers")
    server_status.add_argument("--json", action="store_true",
                               help="print a JSON list, one object per server")

    problems = commands.add_parser("problems", help="list or validate problems")
    problem_commands = problems.add_subparsers(dest="problems_command", metavar="ACTION",
                                               required=True)
    listing = problem_commands.add_parser("list", help="list the catalog's problems")
    listing.add_argument("--json", action="store_true", help="print a JSON list of "
                         "{slug, title, difficulty, mutants, best_score, chapter}")
    validate = problem_commands.add_parser("validate", help="prove packs with the real judge")
    validate.add_argument("dirs", nargs="*", metavar="DIR", help="pack folders or zips "
                          "(default: every bundled pack)")
    validate.add_argument("--json", action="store_true",
                          help="print one JSON object (the contract is in docs/pack-format.md)")

    importing = problem_commands.add_parser(
        "import", help="add packs (folders or zips) to your catalog, e.g. from a USB stick")
    importing.add_argument("paths", nargs="+", metavar="PACK", help="pack folders or .zip files")

    submissions = commands.add_parser("submissions", help="list past submissions")
    submissions.add_argument("--problem", metavar="SLUG", help="only this problem's submissions")
    submissions.add_argument("--json", action="store_true", help="print a JSON list of "
                             "{id, problem, status, score, killed_mutants, total_mutants, "
                             "created_at, finished_at}")

    image = commands.add_parser("image", help="build, export or import the judge image")
    image_commands = image.add_subparsers(dest="image_command", metavar="ACTION", required=True)
    build = image_commands.add_parser("build", help="build qa-arena-judge:<version>")
    build.add_argument("--base", choices=["auto", "registry", "debootstrap"], default="auto",
                       help="where the base comes from (default: auto = local base, else "
                       "registry, else debootstrap)")
    build.add_argument("--mirror", metavar="URL", help="Debian mirror for debootstrap")

    export = image_commands.add_parser("export", help="save the judge image to a tar file")
    export.add_argument("file", metavar="FILE.tar", help="the tar file to write "
                        "(copy it to machines without internet, then `image import` it)")
    load = image_commands.add_parser("import", help="load a judge image saved by `image export`")
    load.add_argument("file", metavar="FILE.tar", help="a tar file written by `image export`")

    commands.add_parser("doctor", help="check the Docker engine and the judge image")

    grade = commands.add_parser("grade", help="grade a class's test files (batch)")
    grade_source = grade.add_mutually_exclusive_group(required=True)
    grade_source.add_argument("--problem", metavar="SLUG", help="a problem in the catalog")
    grade_source.add_argument("--pack", metavar="DIR", help="a pack folder or .zip")
    grade.add_argument("paths", nargs="+", metavar="PATH", help="test files or folders of them")
    grade.add_argument("--out", metavar="REPORT", required=True, help="REPORT.csv or REPORT.json")
    grade.add_argument("--jobs", type=int, default=2, metavar="N",
                       help="submissions judged at once (default 2)")
    from qa_arena_desktop.cli.grade_args import add_report_options

    add_report_options(grade)  # --feedback, --student-reports, --roster, --format, --invalid
    grade.add_argument("--broker", metavar="URL",
                       help="hand the files to `qa-arena worker`s through this Redis broker "
                       "(redis://HOST:PORT/N) instead of judging here")
    grade.add_argument("--max-attempts", type=int, default=3, metavar="N",
                       help="with --broker: a file whose judging fails N times is a dead "
                       "letter (default 3)")

    worker = commands.add_parser(
        "worker", help="judge a lab's grading tasks from a Redis broker (distributed grade)")
    worker.add_argument("--broker", metavar="URL", required=True,
                        help="the instructor's Redis: redis://HOST:PORT/N")
    worker.add_argument("--concurrency", type=int, default=2, metavar="N",
                        help="files judged at once on this machine (default 2)")
    worker.add_argument("--visibility-timeout", type=float, default=60, metavar="S",
                        help="a task held this long without an acknowledgement (its worker "
                        "was killed) goes to another worker (default 60 s)")

    mutants = commands.add_parser("mutants", help="generate candidate mutants (authoring)")
    mutant_commands = mutants.add_subparsers(dest="mutants_command", metavar="ACTION",
                                             required=True)
    generate = mutant_commands.add_parser("generate", help="AST mutation candidates of a golden")
    generate.add_argument("golden", metavar="GOLDEN.py", help="the correct implementation")
    generate.add_argument("--tests", metavar="REF.py", help="judge each candidate against these")
    generate.add_argument("--support", metavar="FILE", action="append",
                          help="with --tests: a file the tests import (helpers.py, conftest.py), "
                          "put next to them in every run; repeat for more")
    generate.add_argument("--json", action="store_true",
                          help="print one JSON object (the contract is in docs/authoring.md)")

    gui = commands.add_parser("gui", help="open the desktop app")
    gui.add_argument("--screenshot", metavar="OUT.png", help="save a screenshot and exit")
    gui.add_argument("--problem", metavar="SLUG", help="open on this problem")
    gui.add_argument("--tests", metavar="FILE", help="load this test file into the editor "
                     "(with --screenshot: and submit it)")
    gui.add_argument("--tab", choices=["results", "matrix", "hints", "history", "progress"],
                     help="with --screenshot: the tab to show")
    gui.add_argument("--cancel-after", metavar="SECONDS", type=float,
                     help="with --screenshot and --tests: press Cancel this long after submitting")
    gui.add_argument("--help-page", choices=["shortcuts", "scoring"],
                     help="with --screenshot: picture that Help page instead of the window")
    describe_commands(parser)
    return parser


def describe_commands(parser: argparse.ArgumentParser) -> None:
    """Give every subcommand's own ``--help`` a description: its one-line help, unless it
    has a longer description already (argparse shows ``help`` only in the parent's list)."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for choice in action._choices_actions:
                command = action.choices[choice.dest]
                if command.description is None:
                    command.description = choice.help
                describe_commands(command)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.docker_host:
        import os

        # judging.engine.HOST_OPTION_ENV: messages then name --docker-host, not DOCKER_HOST
        # (set here, not through the engine module: the judge client stays standard library)
        os.environ["DOCKER_HOST"] = os.environ["QA_ARENA_DOCKER_HOST_OPTION"] = args.docker_host
    try:
        # The app checks its settings itself (and shows a dialog); `judge` after it knows
        # whether the judge server takes the call (its client must not import pydantic).
        if args.command not in (None, "gui", "judge") and (problem := _settings_problem()):
            return _bad_settings(problem)
        if args.command is None or args.command == "gui":
            from qa_arena_desktop.cli.gui_cmd import run_gui

            return run_gui(args)
        if args.command == "judge":
            from qa_arena_desktop.judge_server.client import judge as judge_in_server

            code = judge_in_server(args)
            if code is not None:
                return code
            if problem := _settings_problem():
                return _bad_settings(problem)
            # In this process. Start the judge containers first: they boot while the catalog loads.
            from qa_arena_desktop.judging.docker_backend import DockerBackend

            backend = DockerBackend()
            backend.prepare()
            from qa_arena_desktop.cli.judge_cmd import run_judge

            return run_judge(args, backend)
        if args.command == "problems" and args.problems_command == "list":
            from qa_arena_desktop.cli.catalog_cmds import run_problems_list

            return run_problems_list(args)
        if args.command == "problems" and args.problems_command == "validate":
            from qa_arena_desktop.cli.validate_cmd import run_validate

            return run_validate(args)
        if args.command == "problems" and args.problems_command == "import":
            from qa_arena_desktop.cli.catalog_cmds import run_problems_import

            return run_problems_import(args)
        if args.command == "server":
            from qa_arena_desktop.cli.server_cmd import run_server

            return run_server(args)
        if args.command == "submissions":
            from qa_arena_desktop.cli.catalog_cmds import run_submissions

            return run_submissions(args)
        if args.command == "image" and args.image_command in ("export", "import"):
            from qa_arena_desktop.cli.image_transfer_cmd import run_image_transfer

            return run_image_transfer(args)
        if args.command == "mutants":
            from qa_arena_desktop.cli.mutants_cmd import run_mutants_generate

            return run_mutants_generate(args)
        if args.command == "grade":
            from qa_arena_desktop.cli.grade_cmd import run_grade

            return run_grade(args)
        if args.command == "worker":
            from qa_arena_desktop.cli.worker_cmd import run_worker_cmd

            return run_worker_cmd(args)
        if args.command in ("image", "doctor"):
            from qa_arena_desktop.cli.engine_cmds import run_doctor, run_image

            return run_image(args) if args.command == "image" else run_doctor(args)
    except BrokenPipeError:
        # The reader went away (`qa-arena problems list | head -3`): nothing more to say.
        import os

        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # so the final flush at exit cannot fail again
        return EXIT_OK
    except KeyboardInterrupt:
        sys.stderr.write("qa-arena: interrupted\n")
        return ExitCode.CANCELLED
    except Exception as exc:  # noqa: BLE001 - one clear line for the user, details in the log
        return _internal_error(exc)
    raise AssertionError(f"unhandled command {args.command}")


def _settings_problem() -> str:
    """What is wrong with the ``QA_ARENA_*`` variables, or "" (see docs/development.md)."""
    from qa_arena_desktop.env_settings import SettingsError, current

    try:
        current()
    except SettingsError as exc:
        return str(exc)
    return ""


def _bad_settings(problem: str) -> int:
    sys.stderr.write(f"qa-arena: {problem}\n")
    return EXIT_BAD_INPUT


def _internal_error(exc: BaseException) -> int:
    import traceback
    from datetime import datetime

    from qa_arena_desktop import paths

    log_file = paths.logs_dir() / f"error-{datetime.now():%Y%m%d-%H%M%S}.log"
    log_file.write_text("".join(traceback.format_exception(exc)), encoding="utf-8")
    sys.stderr.write(internal_error_text(exc, log_file))
    return EXIT_INTERNAL_ERROR


if __name__ == "__main__":
    sys.exit(main())
