"""The exit codes of every ``qa-arena`` command: one enum, documented in docs/judge.md.

Standard library only, at the bottom of the layers: the CLI, the app and the judge
server's client (which must not import the CLI) all read their codes here.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """What a ``qa-arena`` process's exit status means (a script may rely on each value)."""

    OK = 0  # the command succeeded; for `judge`, judging finished (SUCCESS or FAILURE)
    INTERNAL_ERROR = 1  # a bug in the app: one line on stderr, the traceback in a log file
    BAD_INPUT = 2  # a missing file, an invalid pack or setting, an unknown slug, bad options
    JUDGE_ERROR = 3  # the judge could not run (ERROR: no engine, no image, engine died)
    INVALID_PACKS = 4  # `problems validate`: at least one pack is not valid
    NO_DISPLAY = 5  # the desktop app has no display to open its window on
    CANCELLED = 130  # Ctrl+C: a judged submission then ends CANCELLED

    @property
    def meaning(self) -> str:
        return _MEANINGS[self]


_MEANINGS = {
    ExitCode.OK: "success (for `judge`: judging finished, SUCCESS or FAILURE)",
    ExitCode.INTERNAL_ERROR: "internal error (a bug; the details are in a log file)",
    ExitCode.BAD_INPUT: "bad input (missing file, invalid pack or setting, unknown slug)",
    ExitCode.JUDGE_ERROR: "the judge could not run (ERROR: no Docker engine, no image)",
    ExitCode.INVALID_PACKS: "`problems validate` found an invalid pack",
    ExitCode.NO_DISPLAY: "no display to open the desktop app on",
    ExitCode.CANCELLED: "cancelled with Ctrl+C",
}


def help_text() -> str:
    """The exit codes as listed at the end of ``qa-arena --help``."""
    lines = [f"  {int(code):>3}  {code.meaning}" for code in ExitCode]
    return "exit codes:\n" + "\n".join(lines)


def internal_error_text(exc: BaseException, log_file: object) -> str:
    """The two lines a user sees for a bug (the traceback is in ``log_file``), before
    :attr:`ExitCode.INTERNAL_ERROR`; the CLI and the judge server both say it this way."""
    lines = str(exc).splitlines()
    return (f"qa-arena: internal error: {type(exc).__name__}: {lines[0][:300] if lines else ''}\n"
            f"qa-arena: the details are in {log_file}; please report them\n")
