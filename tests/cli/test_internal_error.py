"""A bug in the app: two lines on screen, the traceback in a log file, exit code 1."""

from __future__ import annotations

from pathlib import Path

from qa_arena_desktop.cli.main import EXIT_INTERNAL_ERROR, _internal_error


def test_an_exception_without_text_still_gets_its_two_lines_and_a_log(capsys, isolated_home):
    try:
        raise ValueError()
    except ValueError as exc:
        code = _internal_error(exc)
    err = capsys.readouterr().err.splitlines()
    assert code == EXIT_INTERNAL_ERROR
    assert err[0] == "qa-arena: internal error: ValueError: "
    log_file = err[1].removeprefix("qa-arena: the details are in ").removesuffix(
        "; please report them")
    assert "raise ValueError()" in Path(log_file).read_text(encoding="utf-8")
    assert str(isolated_home) in log_file
